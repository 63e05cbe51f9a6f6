/**
 * The API as an OpenAPI 3.1 document (GET /api/v1/openapi.json, shown at GET /api). Written by
 * hand next to the routes; test/server/http/openapi.test.ts fails when a registered route is
 * missing here, and validates real responses of the main routes against these schemas.
 */
type Schema = Record<string, unknown>;

const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
const str: Schema = { type: 'string' };
const int: Schema = { type: 'integer' };
const num: Schema = { type: 'number' };
const bool: Schema = { type: 'boolean' };
const arr = (items: Schema): Schema => ({ type: 'array', items });
const obj = (properties: Record<string, Schema>, required: string[] = Object.keys(properties)): Schema => ({ type: 'object', properties, required });
const nullable = (s: Schema): Schema => ({ anyOf: [s, { type: 'null' }] });
const ANY: Schema = { type: 'object' };

const schemas: Record<string, Schema> = {
  Error: obj({
    error: obj({
      code: { type: 'string', enum: ['INVALID_MANIFEST', 'INVALID_ARCHIVE', 'INVALID_REQUEST', 'VERSION_EXISTS', 'NAME_TAKEN', 'NAME_TOO_SIMILAR', 'NOT_FOUND', 'UNAUTHENTICATED', 'FORBIDDEN', 'CONFLICT', 'INVALID_TRANSITION', 'TOO_LARGE', 'RATE_LIMITED', 'SEARCH_UNAVAILABLE', 'INTEGRITY', 'INSUFFICIENT_STORAGE', 'INTERNAL'] },
      message: str,
      issues: arr(obj({ path: str, line: int, column: int, message: str }, ['message'])),
      details: { type: 'object' },
    }, ['code', 'message']),
  }),
  Health: obj({
    status: { const: 'ok' },
    versions: obj({ server: str, api: str, manifestSchema: str }, ['server', 'api']),
    search: obj({ ok: bool, engine: str, status: str, reason: str }, ['ok', 'engine']),
  }),
  Token: obj({ account: str, token: str, tokenId: str, scopes: arr(str) }),
  TokenInfo: obj({ id: str, name: str, scopes: arr(str), createdAt: str, revokedAt: str }, ['id', 'name', 'scopes', 'createdAt']),
  Me: obj({ account: str, email: str, roles: arr(str), scopes: arr(str) }),
  VersionEntry: obj({
    version: str, checksum: str, yanked: bool,
    yank: nullable(obj({ at: str, by: str, reason: str }, ['at', 'by'])),
    publishedAt: str, publisher: str, tag: str, commit: str,
  }, ['version', 'checksum', 'yanked', 'publishedAt', 'publisher']),
  Package: obj({
    package: str, title: str, summary: str, owners: arr(str), createdAt: str,
    latest: nullable(str),
    versions: arr(ref('VersionEntry')),
    forkOf: nullable(obj({ package: str, version: str, at: str, by: str }, ['package', 'version'])),
    forks: int,
    certifications: nullable(obj({ id: str, state: str, uid: str, version: str }, ['id', 'state', 'version'])),
  }, ['package', 'owners', 'latest', 'versions', 'forkOf', 'forks', 'certifications']),
  FileEntry: obj({ path: str, size: int, sha256: str, executable: bool }, ['path', 'size', 'sha256']),
  Version: obj({
    package: str, version: str, checksum: str, yanked: bool, yank: nullable({ type: 'object' }),
    publishedAt: str, publisher: str, sourceCommit: nullable(str),
    dependencies: arr(obj({ package: str, range: str, version: str }, ['package', 'version'])),
    git: obj({ tag: str, commit: str, tree: str, ref: str }),
    manifest: { type: 'object', description: 'design.yaml as JSON (schema/design.schema.json)', required: ['name', 'version', 'title'] },
    files: arr(ref('FileEntry')),
  }),
  PublishResult: { type: 'object', required: ['package', 'version'], properties: { package: str, version: str, checksum: str } },
  YankResult: obj({ package: str, version: str, yanked: bool }),
  Owners: obj({ package: str, owners: arr(str) }),
  SearchHit: obj({
    package: str, owner: str, name: str, version: str, title: str, summary: str,
    category: str, categories: arr(str), licenses: arr(str), licenseFamily: str, processes: arr(str),
    facilityLevel: str, otrl: str, odrl: str, certified: bool, certification: str, forkOf: str,
    estimatedCost: obj({ amount: num, currency: str }), updatedAt: str, score: num,
  }, ['package', 'version', 'title', 'summary', 'licenses', 'processes', 'certified']),
  SearchResult: obj({
    hits: arr(ref('SearchHit')), total: int,
    facets: { type: 'object', additionalProperties: { type: 'object', additionalProperties: int } },
    page: int, limit: int, totalCapped: { const: true },
  }, ['hits', 'total', 'facets', 'page', 'limit']),
  BomReport: obj({
    package: str, version: str, batch: int, currency: nullable(str),
    tree: obj({ depth: int, packages: arr(obj({ package: str, version: str, yanked: bool, dependencies: arr({ type: 'object' }) })) }),
    lines: arr(obj({ key: str, id: str, package: str, name: str, type: str, unit: str, quantityPerUnit: num, needed: num }, ['key', 'name', 'unit', 'needed'])),
    totals: arr(obj({ currency: str, amount: num, perUnit: num, lines: int })),
    unpriced: arr({ type: 'object' }), purchasing: arr({ type: 'object' }), warnings: arr(str),
  }, ['package', 'version', 'batch', 'tree', 'lines', 'totals', 'unpriced', 'purchasing', 'warnings']),
  Dependents: obj({
    package: str, version: nullable(str), total: int,
    packages: arr(obj({ package: str, versions: arr(str), direct: bool, yanked: bool })),
    dependents: arr({ type: 'object' }),
  }),
  Forks: obj({
    package: str,
    forks: arr(obj({ package: str, forkOf: { type: 'object' }, versions: int, forkedAt: str, forkedBy: str })),
    upstream: obj({ package: str, forkPoint: str, forkedAt: str, forkedBy: str, newVersions: arr(obj({ version: str, publishedAt: str })), diff: nullable({ type: 'object' }) }),
  }, ['package', 'forks']),
  Certificate: obj({
    uid: { type: 'string', pattern: '^OHC-\\d{6}$' }, certification: str, package: str, version: str, checksum: str, tag: str,
    validFrom: str, validUntil: str, maturity: obj({ technology: str, documentation: str }, ['documentation']), reviewers: arr(str), state: str,
  }, ['uid', 'certification', 'package', 'version', 'checksum', 'validFrom', 'validUntil', 'reviewers', 'state']),
  CertificateRead: { allOf: [ref('Certificate'), obj({ flags: arr(str), record: obj({ path: str, commit: nullable(str), repository: str }) })] },
  Certification: obj({
    id: str, package: str, version: str, checksum: str, tag: str,
    state: { type: 'string', enum: ['submitted', 'in-review', 'certified', 'changes-requested', 'rejected', 'expired', 'suspended', 'revoked', 'withdrawn'] },
    quorum: int, approvals: int, owners: arr(str),
    checks: arr(obj({ id: str, result: { enum: ['pass', 'warn', 'fail'] }, evidence: str })),
    checksPassed: bool,
    checklist: arr(obj({ id: str, question: str, required: bool })),
    reviews: arr(obj({ reviewer: str, at: str, round: int, decision: { enum: ['approve', 'changes', 'reject'] }, checklist: { type: 'object' } }, ['reviewer', 'at', 'decision', 'checklist'])),
    certificate: nullable(ref('Certificate')),
    flags: arr(str),
    history: arr(obj({ seq: int, type: str, at: str, actor: str, reason: str }, ['seq', 'type', 'at', 'actor'])),
  }),
  ReviewBody: obj({
    decision: { enum: ['approve', 'changes', 'reject'] },
    checklist: { type: 'object', additionalProperties: obj({ result: { enum: ['pass', 'fail', 'n/a'] }, comment: str }, ['result']) },
    maturity: obj({ technology: str, documentation: str }, []),
    comment: str,
  }, ['decision', 'checklist']),
};

interface Op {
  summary: string;
  tag: string;
  auth?: boolean;
  query?: Array<[name: string, schema: Schema, description: string]>;
  body?: Schema | { content: string; description: string };
  ok: [status: number, schema: Schema | string];
}

const json = (schema: Schema) => ({ 'application/json': { schema } });

/** Express-style path → operations. The test reads this table's keys against the router. */
export const OPERATIONS: Record<string, Record<string, Op>> = {
  '/health': { get: { summary: 'Status, versions and the active search engine', tag: 'registry', ok: [200, ref('Health')] } },
  '/openapi.json': { get: { summary: 'This document', tag: 'registry', ok: [200, { type: 'object' }] } },
  '/accounts': { post: { summary: 'Register an account; returns a first token (publish scope)', tag: 'accounts', body: obj({ name: str, email: str, password: str }), ok: [201, ref('Token')] } },
  '/tokens': {
    post: { summary: 'Log in: name and password for a new token', tag: 'accounts', body: obj({ name: str, password: str, scopes: arr({ enum: ['publish', 'review', 'admin'] }), tokenName: str }, ['name', 'password']), ok: [201, ref('Token')] },
    get: { summary: 'Your tokens (never the secrets)', tag: 'accounts', auth: true, ok: [200, obj({ tokens: arr(ref('TokenInfo')) })] },
  },
  '/tokens/:id': { delete: { summary: 'Revoke a token', tag: 'accounts', auth: true, ok: [200, obj({ revoked: str })] } },
  '/accounts/:name/roles': { put: { summary: 'Set roles (admin only)', tag: 'accounts', auth: true, body: obj({ roles: arr({ enum: ['reviewer', 'admin'] }) }), ok: [200, obj({ account: str, roles: arr(str) })] } },
  '/me': { get: { summary: 'The account of the token', tag: 'accounts', auth: true, ok: [200, ref('Me')] } },
  '/designs/:owner/:name': { get: { summary: 'A design: versions (checksum, yanked, publishedAt), latest, owners, lineage, forks, certification', tag: 'designs', ok: [200, ref('Package')] } },
  '/designs/:owner/:name/versions/:version': {
    put: { summary: 'Publish a version: the package as tar.gz', tag: 'designs', auth: true, body: { content: 'application/gzip', description: 'the design folder as a .tar.gz' }, ok: [201, ref('PublishResult')] },
    get: { summary: 'A version: manifest, files with sizes and hashes, checksum, git ids', tag: 'designs', ok: [200, ref('Version')] },
  },
  '/designs/:owner/:name/versions/:version/archive': { get: { summary: 'The version as tar.gz (ETag = checksum)', tag: 'designs', ok: [200, 'application/gzip'] } },
  '/designs/:owner/:name/versions/:version/files/*path': { get: { summary: 'One file, always as a download (octet-stream, nosniff)', tag: 'designs', ok: [200, 'application/octet-stream'] } },
  '/designs/:owner/:name/versions/:version/yank': {
    post: { summary: 'Yank a version (owners); an optional reason is shown', tag: 'designs', auth: true, body: obj({ reason: str }, []), ok: [200, ref('YankResult')] },
    delete: { summary: 'Un-yank a version (owners)', tag: 'designs', auth: true, ok: [200, ref('YankResult')] },
  },
  '/designs/:owner/:name/owners': { put: { summary: 'Add or remove owners (owners only)', tag: 'designs', auth: true, body: obj({ add: arr(str), remove: arr(str) }, []), ok: [200, ref('Owners')] } },
  '/designs/:owner/:name/versions/:version/bom': {
    get: {
      summary: 'Exploded BOM for a batch: sub-assemblies resolved, totals per currency, purchasing list', tag: 'bom',
      query: [['batch', int, 'units to build (default 1)'], ['currency', str, 'ISO 4217 currency'], ['rates', str, 'CODE:rate pairs or rates JSON'], ['format', { enum: ['json', 'csv'] }, 'json (default) or csv']],
      ok: [200, ref('BomReport')],
    },
  },
  '/designs/:owner/:name/dependents': { get: { summary: 'Where-used: designs whose BOM includes this one', tag: 'bom', query: [['version', str, 'only dependents of this version'], ['excludeYanked', bool, 'leave yanked dependents out']], ok: [200, ref('Dependents')] } },
  '/designs/:owner/:name/fork': { post: { summary: 'Fork a design (new package with lineage)', tag: 'forks', auth: true, body: obj({ owner: str, name: str, version: str }, []), ok: [201, ref('Package')] } },
  '/designs/:owner/:name/forks': { get: { summary: 'Forks, and for a fork the upstream changes since the fork point', tag: 'forks', ok: [200, ref('Forks')] } },
  '/search': {
    get: {
      summary: 'Search designs: hits, total and facet counts', tag: 'search',
      query: [
        ['q', str, 'free text; owner/name pins that design'], ['license', str, 'SPDX ids (any of)'], ['licenseFamily', str, 'licence families'],
        ['category', str, 'OSHWA categories'], ['process', str, 'process codes (any of)'], ['canMake', str, 'your process codes: designs needing only these'],
        ['tools', str, 'your tools (repeat the parameter)'], ['facility', str, 'highest facility level you have'], ['maturity', str, 'OTRL/ODRL levels'],
        ['region', str, 'supplier regions'], ['certified', bool, 'certified designs only'], ['sort', { enum: ['relevance', 'updated', 'cost'] }, 'order'],
        ['page', int, '1…10000'], ['limit', int, '1…100'],
      ],
      ok: [200, ref('SearchResult')],
    },
  },
  '/certifications': { post: { summary: 'Request certification of a version (owners); automatic checks run at once', tag: 'certification', auth: true, body: obj({ package: str, version: str }), ok: [201, ref('Certification')] } },
  '/certifications/:id': { get: { summary: 'State, checks, checklist, reviews, certificate and history', tag: 'certification', ok: [200, ref('Certification')] } },
  '/certifications/:id/reviews': { post: { summary: 'A reviewer\'s assessment (reviewer role, review scope; not on own designs)', tag: 'certification', auth: true, body: ref('ReviewBody'), ok: [201, ref('Certification')] } },
  '/certifications/:id/:action': { post: { summary: 'Lifecycle: withdraw, suspend, revoke, renew, reinstate, resubmit', tag: 'certification', auth: true, body: obj({ reason: str, version: str }, []), ok: [200, ref('Certification')] } },
  '/certificates/:uid': { get: { summary: 'The certificate, with where to verify it', tag: 'certification', ok: [200, ref('CertificateRead')] } },
  '/certificates/:uid/badge.svg': { get: { summary: 'The certification mark (SVG, no script)', tag: 'certification', ok: [200, 'image/svg+xml'] } },

  // Interop (SPEC §8). Response shapes of these later routes are documented as objects only.
  '/designs/:owner/:name/versions/:version/okh.toml': { get: { summary: 'The version in OKH-LOSH form (for OKH crawlers)', tag: 'interop', ok: [200, 'application/toml'] } },
  '/designs/:owner/:name/delist': {
    post: { summary: 'Delist an imported design (owners, admins)', tag: 'interop', auth: true, body: obj({ reason: str }, []), ok: [200, ANY] },
    delete: { summary: 'List a delisted design again', tag: 'interop', auth: true, ok: [200, ANY] },
  },

  // Local production network (SPEC §9).
  '/producers': { get: { summary: 'Find producers (facility profiles) by process, region, capacity; ?account= lists one account\'s', tag: 'production', ok: [200, ANY] } },
  '/producers/:account/:facility': {
    put: { summary: 'Create or replace a facility profile (its account)', tag: 'production', auth: true, body: ANY, ok: [200, ANY] },
    get: { summary: 'A facility profile', tag: 'production', ok: [200, ANY] },
    delete: { summary: 'Remove a facility profile', tag: 'production', auth: true, ok: [200, ANY] },
  },
  '/producers/:account/:facility/offers/:owner/:name': {
    put: { summary: 'Offer to make a design at a level (product, kit, parts…)', tag: 'production', auth: true, body: ANY, ok: [200, ANY] },
    delete: { summary: 'Withdraw an offer', tag: 'production', auth: true, query: [['level', str, 'which offer']], ok: [200, ANY] },
  },
  '/designs/:owner/:name/producers': { get: { summary: 'Producers able to make this design, with reasons', tag: 'production', ok: [200, ANY] } },
  '/designs/:owner/:name/offers': { get: { summary: 'Producers\' offers for this design', tag: 'production', ok: [200, ANY] } },
  '/designs/:owner/:name/pledges': { post: { summary: 'Pledge to buy units of this design in a region', tag: 'production', auth: true, body: ANY, ok: [201, ANY] } },
  '/designs/:owner/:name/demand': { get: { summary: 'Pledged demand for this design by region', tag: 'production', ok: [200, ANY] } },
  '/pledges': { get: { summary: 'Your pledges', tag: 'production', auth: true, ok: [200, ANY] } },
  '/pledges/:id': {
    put: { summary: 'Change a pledge', tag: 'production', auth: true, body: ANY, ok: [200, ANY] },
    delete: { summary: 'Withdraw a pledge', tag: 'production', auth: true, ok: [200, ANY] },
  },
  '/runs': { post: { summary: 'Open a production run (a producer)', tag: 'production', auth: true, body: ANY, ok: [201, ANY] } },
  '/runs/:id': { get: { summary: 'A production run and its state', tag: 'production', ok: [200, ANY] } },
  '/runs/:id/commit': { post: { summary: 'Commit your pledge to a run (empty body)', tag: 'production', auth: true, ok: [200, ANY] } },
  '/runs/:id/:action': { post: { summary: 'Advance a run (producer actions)', tag: 'production', auth: true, ok: [200, ANY] } },
  '/designs/:owner/:name/versions/:version/builds': {
    post: { summary: 'Report a build of this version (JSON; photos uploaded first)', tag: 'production', auth: true, body: ANY, ok: [201, ANY] },
    get: { summary: 'Build reports of this version', tag: 'production', ok: [200, ANY] },
  },
  '/designs/:owner/:name/versions/:version/builds/:id/endorse': { post: { summary: 'Endorse a build report', tag: 'production', auth: true, ok: [200, ANY] } },
  '/photos': { post: { summary: 'Upload a build photo (PNG, JPEG or WebP bytes)', tag: 'production', auth: true, body: { content: 'application/octet-stream', description: 'the image bytes' }, ok: [201, ANY] } },
  '/photos/:sha256': { get: { summary: 'A build photo (its own image type, nosniff)', tag: 'production', ok: [200, 'image/*'] } },
};

/** `/designs/:owner/:name/files/*path` → `/designs/{owner}/{name}/files/{path}` */
export const openApiPath = (expressPath: string) => expressPath.replace(/[:*]([A-Za-z0-9_]+)/g, '{$1}');

function operation(path: string, method: string, op: Op): Schema {
  const params = [...path.matchAll(/[:*]([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: str }));
  const query = (op.query ?? []).map(([name, schema, description]) => ({ name, in: 'query', required: false, schema, description }));
  const [status, body] = op.ok;
  const responses: Record<string, Schema> = {
    [String(status)]: { description: 'OK', content: typeof body === 'string' ? { [body]: { schema: { type: 'string', format: 'binary' } } } : json(body) },
    default: { description: 'Error (see the codes in Error)', content: json(ref('Error')) },
  };
  const out: Schema = { operationId: `${method}${openApiPath(path).replace(/[{}]/g, '').replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`, summary: op.summary, tags: [op.tag], parameters: [...params, ...query], responses };
  if (op.auth) out.security = [{ bearer: [] }];
  if (op.body) {
    out.requestBody = 'content' in op.body && typeof op.body.content === 'string'
      ? { required: true, description: op.body.description, content: { [op.body.content]: { schema: { type: 'string', format: 'binary' } } } }
      : { required: true, content: json(op.body as Schema) };
  }
  return out;
}

let cached: Schema | undefined;

export function openApiDocument(): Schema {
  if (cached) return cached;
  const paths: Record<string, Record<string, Schema>> = {};
  for (const [path, methods] of Object.entries(OPERATIONS)) {
    const item: Record<string, Schema> = {};
    for (const [method, op] of Object.entries(methods)) item[method] = operation(path, method, op);
    paths[openApiPath(path)] = item;
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Open Hardware Commons registry API',
      version: 'v1',
      description: 'A git-backed registry for open hardware designs. JSON in and out; errors are {"error": {code, message, issues?, details?}}.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    servers: [{ url: '/api/v1' }],
    paths,
    components: { schemas, securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'a token from POST /tokens or `ohw login`' } } },
  };
  return cached;
}
