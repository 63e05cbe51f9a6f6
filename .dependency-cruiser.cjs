/**
 * The dependency rules of DESIGN.md, checked by test/architecture.test.ts with dependency-cruiser.
 * (dependency-cruiser cannot parse TypeScript 7 itself; the test transpiles the sources with
 * esbuild first, so type-only imports, which vanish at run time, are not seen.)
 *
 * @type {import('dependency-cruiser').IConfiguration}
 */
// Resolved names: the test cruises a transpiled copy outside the repo, so packages stay bare names.
const IO_PACKAGES = '^(express|isomorphic-git|simple-git|meilisearch|better-sqlite3|kysely|rate-limiter-flexible|lru-cache)(/|$)';
const IO_CORE = '^(node:)?(fs|fs/promises|child_process|http|https|net)$';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle: modules that cannot be understood (or loaded) one without the other.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'pure-core-no-io',
      comment: 'schema/ and server/domain/ are pure: no HTTP, git, database, search engine, file system or processes.',
      severity: 'error',
      from: { path: '^(schema|server/domain)/' },
      to: { path: [IO_PACKAGES, IO_CORE] },
    },
    {
      name: 'schema-stands-alone',
      comment: 'schema/ depends on nothing of the server, the CLI or io/.',
      severity: 'error',
      from: { path: '^schema/' },
      to: { path: '^(server|cli|io)/' },
    },
    {
      name: 'domain-only-schema',
      comment: 'server/domain/ uses schema/ and itself (port types are type-only imports).',
      severity: 'error',
      from: { path: '^server/domain/' },
      to: { path: '^(server|cli|io)/', pathNot: '^server/domain/' },
    },
    {
      name: 'cli-never-imports-server',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: '^server/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    moduleSystems: ['es6'],
  },
};
