/**
 * Runs every benchmark in sequence (`npm run bench`), or only the named ones
 * (`npm run bench -- bom search`). Each bench is an exported async function in `bench/<name>.ts`
 * that prints its own results; adding one is one line in BENCHES.
 */
import { benchBom } from './bom.ts';
import { benchClone } from './clone.ts';
import { benchImport } from './import.ts';
import { benchPublish } from './publish.ts';
import { benchProduction } from './production.ts';
import { benchRatios } from './ratios.ts';
import { benchRegistry } from './registry.ts';
import { benchSearch } from './search.ts';
import { benchStartup } from './startup.ts';
import { benchSearchMemory } from './search-memory.ts';
import { benchValidate } from './validate.ts';
import { benchWeb } from './web.ts';

const BENCHES: Array<[name: string, run: () => Promise<void>]> = [
  ['validate', () => benchValidate()],
  ['registry', () => benchRegistry()],
  ['bom', () => benchBom()],
  ['search', () => benchSearch()],
  ['clone', () => benchClone()],
  ['publish', () => benchPublish()],
  ['ratios', () => benchRatios()],
  ['web', async () => { await benchWeb(); }],
  ['startup', () => benchStartup()],
  ['search-memory', () => benchSearchMemory()],
  ['import', () => benchImport()],
  ['production', () => benchProduction()],
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHES.some(([n]) => n === w));
if (unknown.length) {
  console.error(`unknown bench: ${unknown.join(', ')} (have: ${BENCHES.map(([n]) => n).join(', ')})`);
  process.exit(2);
}

for (const [name, run] of BENCHES) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n# bench: ${name}  (node ${process.version}, ${new Date().toISOString()})`);
  const t0 = performance.now();
  await run();
  console.log(`# bench: ${name} done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}
