import { readdirSync } from 'node:fs';
import { validateDesign } from '../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../io/design-folder.ts';
let total = 0;
for (const d of readdirSync('designs', { withFileTypes: true }).filter((e) => e.isDirectory())) {
  const folder = await readDesignFolder(`designs/${d.name}`);
  const v = validateDesign(designSource(folder as never));
  const m = v.manifest!;
  const bad = m.bom.filter((l) => !(l.quantity > 0) || !(l.mpn || l.offers?.length || l.part || l.subassembly));
  const errs = v.issues.filter((i) => i.severity === 'error').length;
  const currencies = [...new Set(m.bom.flatMap((l) => (l.offers ?? []).map((o) => o.currency)))];
  total += bad.length;
  console.log(`${d.name}: ${m.bom.length} lines, ${bad.length} unsourced, ${errs} errors, ${v.issues.length - errs} warnings, currencies ${currencies}`);
  if (process.argv.includes('-v')) for (const l of bad) console.log(`   ${l.id} [${l.type}] ${l.quantity}${l.unit ?? ''} ${l.name}`);
}
console.log('TOTAL unsourced', total);
