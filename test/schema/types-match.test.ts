/**
 * schema/design.schema.json and schema/types.ts describe the same manifest.
 *
 * Enums are compared at run time. Field lists are checked twice: the `satisfies`/`Exact` lines
 * below make `tsc` fail if a list here drifts from the TypeScript interface, and the test makes
 * vitest fail if it drifts from the JSON Schema. Together: schema ⇔ this file ⇔ types.ts.
 */
import { describe, expect, it } from 'vitest';
import schema from '../../schema/design.schema.json' with { type: 'json' };
import * as T from '../../schema/types.ts';

type RequiredKeys<O> = { [K in keyof O]-?: object extends Pick<O, K> ? never : K }[keyof O];
type Exact<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const fields = <O>() => <const A extends readonly (keyof O)[], const R extends readonly RequiredKeys<O>[]>(
  all: A & (Exact<A[number], keyof O> extends true ? unknown : { missing: Exclude<keyof O, A[number]> }),
  required: R & (Exact<R[number], RequiredKeys<O>> extends true ? unknown : { missing: Exclude<RequiredKeys<O>, R[number]> }),
) => ({ all: [...all] as string[], required: [...required] as string[] });

type SchemaNode = { properties?: Record<string, SchemaNode>; required?: string[]; items?: SchemaNode; $ref?: string; enum?: unknown[] };
const defs = schema.$defs as unknown as Record<string, SchemaNode>;
const deref = (n: SchemaNode | undefined): SchemaNode => {
  if (n?.$ref) return deref(defs[n.$ref.replace('#/$defs/', '')]);
  return n ?? {};
};
/** The object schema at a property path; `[]` steps into array items. */
function at(path: string[]): SchemaNode {
  let n = deref(schema as unknown as SchemaNode);
  for (const p of path) n = deref(p === '[]' ? n.items : n.properties?.[p]);
  return n;
}

const OBJECTS: [string[], { all: string[]; required: string[] }][] = [
  [[], fields<T.Manifest>()(['manifestVersion', 'name', 'version', 'title', 'summary', 'function', 'description', 'keywords', 'category', 'documentationLanguage', 'licensor', 'responsibleParty', 'license', 'proprietaryComponents', 'forkOf', 'derivedFrom', 'maturity', 'docs', 'bom', 'parts', 'production', 'supplyChain', 'productLevels', 'standards', 'attestations', 'notProvided', 'provenance'],
    ['manifestVersion', 'name', 'version', 'title', 'summary', 'function', 'documentationLanguage', 'licensor', 'license', 'docs', 'bom', 'production'])],
  [['category'], fields<T.CategoryRef>()(['primary', 'additional'], ['primary'])],
  [['licensor', '[]'], fields<T.Licensor>()(['name', 'email'], ['name'])],
  [['responsibleParty'], fields<T.ResponsibleParty>()(['type', 'name', 'country', 'contact'], ['type', 'name', 'country', 'contact'])],
  [['license'], fields<T.License>()(['hardware', 'documentation', 'software'], ['hardware', 'documentation'])],
  [['proprietaryComponents', '[]'], fields<T.ProprietaryComponent>()(['bomRef', 'reason', 'datasheet'], ['bomRef', 'reason', 'datasheet'])],
  [['forkOf'], fields<T.ForkOf>()(['package', 'version'], ['package', 'version'])],
  [['derivedFrom', '[]'], fields<T.DerivedFrom>()(['title', 'url', 'license'], ['title', 'url'])],
  [['maturity'], fields<T.Maturity>()(['technology', 'documentation'], [])],
  [['docs'], fields<T.Docs>()(['readme', 'sources', 'exports', 'assembly', 'manufacturing', 'userManual', 'maintenance', 'disposal', 'riskAssessment', 'photos'], ['readme', 'sources'])],
  [['bom', '[]'], fields<T.BomLine>()(['id', 'name', 'type', 'quantity', 'unit', 'references', 'fitted', 'manufacturer', 'mpn', 'datasheet', 'part', 'subassembly', 'offers', 'alternatives', 'attritionPercent', 'notes', 'supplierParts'], ['id', 'name', 'type', 'quantity'])],
  [['bom', '[]', 'supplierParts', '[]'], fields<T.SupplierPart>()(['supplier', 'sku'], ['supplier', 'sku'])],
  [['bom', '[]', 'subassembly'], fields<T.SubassemblyRef>()(['package', 'version'], ['package', 'version'])],
  [['bom', '[]', 'offers', '[]'], fields<T.Offer>()(['supplier', 'sku', 'url', 'region', 'currency', 'priceBreaks', 'moq', 'leadTimeDays'], ['supplier', 'currency', 'priceBreaks'])],
  [['bom', '[]', 'offers', '[]', 'priceBreaks', '[]'], fields<T.PriceBreak>()(['qty', 'price'], ['qty', 'price'])],
  [['bom', '[]', 'alternatives', '[]'], fields<T.Alternative>()(['manufacturer', 'mpn', 'compatibility'], ['mpn', 'compatibility'])],
  [['parts', '[]'], fields<T.Part>()(['id', 'name', 'processes', 'source', 'export', 'material', 'massG', 'outerDimensionsMm'], ['id', 'name'])],
  [['production'], fields<T.Production>()(['processes', 'tools', 'skills', 'facilityLevel', 'estimatedBuildHours', 'qualityControl', 'training', 'performance'], ['processes'])],
  [['production', 'performance', '[]'], fields<T.PerformanceCriterion>()(['id', 'metric', 'unit', 'target', 'comparison'], ['id', 'metric', 'unit', 'target', 'comparison'])],
  [['production', 'qualityControl', '[]'], fields<T.QualityControlStep>()(['step', 'method', 'acceptance'], ['step', 'method', 'acceptance'])],
  [['supplyChain'], fields<T.SupplyChain>()(['feedstocks', 'regionsServed', 'notes'], [])],
  [['supplyChain', 'feedstocks', '[]'], fields<T.Feedstock>()(['material', 'form', 'localSourcing'], ['material'])],
  [['standards', '[]'], fields<T.Standard>()(['publisher', 'reference', 'title'], ['publisher', 'reference'])],
  [['attestations', '[]'], fields<T.Attestation>()(['scheme', 'id', 'url'], ['scheme', 'id'])],
  [['provenance'], fields<T.Provenance>()(['imported', 'sourceFormat', 'sourceUrl', 'sourceId', 'sourceVersion', 'repository', 'homepage', 'originalLicenses', 'importedAt', 'licenseFrom', 'unmapped'], ['imported', 'sourceFormat', 'importedAt'])],
  [['provenance', 'originalLicenses'], fields<T.OriginalLicenses>()(['hardware', 'documentation', 'software'], [])],
  [['notProvided'], fields<T.NotProvided>()(['bom', 'production', 'docs.sources', 'documentationLanguage', 'function', 'licensor'], [])],
];

describe('design.schema.json matches schema/types.ts', () => {
  it('has a versioned $id and draft 2020-12', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toMatch(/\/design\/\d+\.\d+\.\d+\/design\.schema\.json$/);
  });

  it.each(OBJECTS.map(([path, f]) => [path.join('.') || '(root)', path, f] as const))('%s: same fields and required fields', (_, path, f) => {
    const node = at(path);
    expect(Object.keys(node.properties ?? {}).sort()).toEqual([...f.all].sort());
    expect([...(node.required ?? [])].sort()).toEqual([...f.required].sort());
  });

  it.each([
    ['production.processes[]', ['production', 'processes', '[]'], T.PROCESS_CODES],
    ['parts[].processes[]', ['parts', '[]', 'processes', '[]'], T.PROCESS_CODES],
    ['production.facilityLevel', ['production', 'facilityLevel'], T.FACILITY_LEVELS],
    ['category.primary', ['category', 'primary'], T.CATEGORIES],
    ['category.additional[]', ['category', 'additional', '[]'], T.CATEGORIES],
    ['bom[].type', ['bom', '[]', 'type'], T.BOM_LINE_TYPES],
    ['bom[].unit', ['bom', '[]', 'unit'], T.UNITS],
    ['maturity.technology', ['maturity', 'technology'], T.OTRL_LEVELS],
    ['maturity.documentation', ['maturity', 'documentation'], T.ODRL_LEVELS],
    ['productLevels[]', ['productLevels', '[]'], T.PRODUCT_LEVELS],
    ['attestations[].scheme', ['attestations', '[]', 'scheme'], T.ATTESTATION_SCHEMES],
    ['responsibleParty.type', ['responsibleParty', 'type'], T.PARTY_TYPES],
    ['bom[].alternatives[].compatibility', ['bom', '[]', 'alternatives', '[]', 'compatibility'], T.COMPATIBILITY],
    ['provenance.sourceFormat', ['provenance', 'sourceFormat'], T.INTEROP_FORMATS],
  ] as const)('%s enum equals the const array', (_, path, values) => {
    expect(at([...path]).enum).toEqual([...values]);
  });

  it('manifestVersion is the constant "1"', () => {
    const one: T.Manifest['manifestVersion'] = '1';
    expect(schema.properties.manifestVersion.const).toBe(one);
  });
});
