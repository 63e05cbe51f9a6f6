import type { BomLine, Manifest, Offer } from '../../../schema/types.ts';
import { memoryRegistry } from '../../../schema/bom/memory-registry.ts';
import { resolveTree } from '../../../schema/bom/resolve.ts';
import { explode } from '../../../schema/bom/explode.ts';
import { OhwError } from '../../../schema/errors.ts';

/** A minimal valid-shaped manifest: only `name`, `version` and `bom` matter to the BOM core. */
export function design(name: string, version: string, bom: BomLine[], extra: { yanked?: boolean } = {}): Manifest & { yanked?: boolean } {
  return {
    manifestVersion: '1', name, version, title: name, summary: name, function: name,
    documentationLanguage: 'en', licensor: [{ name: 'Test' }],
    license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0' },
    docs: { readme: 'README.md', sources: ['src'] },
    bom,
    production: { processes: ['ASM'] },
    ...extra,
  };
}

/** A sub-assembly line. */
export function sub(id: string, pkg: string, range: string, quantity = 1, more: Partial<BomLine> = {}): BomLine {
  return { id, name: id, type: 'subassembly', quantity, subassembly: { package: pkg, version: range }, ...more };
}

/** A leaf line (cots, pcs unless said otherwise). */
export function leaf(id: string, quantity: number, more: Partial<BomLine> = {}): BomLine {
  return { id, name: id, type: 'cots', quantity, ...more };
}

export function offer(supplier: string, currency: string, breaks: Array<[number, number]>, more: Partial<Offer> = {}): Offer {
  return { supplier, currency, priceBreaks: breaks.map(([qty, price]) => ({ qty, price })), ...more };
}

/** Resolve + explode `root` against `others`. */
export async function explodeOf(root: Manifest, others: Manifest[] = []) {
  const reg = memoryRegistry(others);
  const tree = await resolveTree({ package: root.name, version: root.version, manifest: root }, reg);
  return explode(tree);
}

/** The OhwError a promise/function throws (fails the test if it does not throw one). */
export async function caught(f: () => unknown): Promise<OhwError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof OhwError) return e;
    throw e;
  }
  throw new Error('expected an OhwError, nothing was thrown');
}
