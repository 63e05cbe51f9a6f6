/**
 * Validation throughput (issue 2): manifests per second for each example design, and for a
 * generated manifest with a 2,000-line BOM.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { validateDesign } from '../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../io/design-folder.ts';
import { printTable, throughput } from './util.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function bigBomManifest(lines: number): string {
  const bom = Array.from({ length: lines }, (_, i) => `  - id: part-${i}
    name: "M3x${8 + (i % 20)} socket head screw, DIN 912, A2 ${i}"
    type: cots
    quantity: ${1 + (i % 7)}
    manufacturer: Bossard
    mpn: "BN610-M3x${8 + (i % 20)}-${i}"
    offers:
      - supplier: Mouser
        sku: "M-${i}"
        region: US
        currency: USD
        priceBreaks:
          - {qty: 1, price: 0.${String(10 + (i % 89)).padStart(2, '0')}}
          - {qty: 100, price: 0.0${1 + (i % 9)}}
        moq: 1
        leadTimeDays: ${3 + (i % 20)}
`).join('');
  return `manifestVersion: "1"
name: bench/big-bom
version: 1.0.0
title: Big BOM
summary: A generated design with a ${lines}-line BOM
function: Measures validation speed
documentationLanguage: en
licensor:
  - name: Bench
license:
  hardware: CERN-OHL-S-2.0
  documentation: CC-BY-SA-4.0
  software: NONE
docs:
  readme: README.md
  sources: [src/model.scad]
production:
  processes: [ASM]
bom:
${bom}`;
}

export async function benchValidate(): Promise<void> {
  const rows: Array<Array<string | number>> = [];
  const dirs = fs.readdirSync(path.join(root, 'designs'), { withFileTypes: true }).filter((d) => d.isDirectory());
  for (const d of dirs) {
    const files = await readDesignFolder(path.join(root, 'designs', d.name));
    const src = designSource(files);
    const lines = validateDesign(src).manifest?.bom.length ?? 0;
    const { perSecond } = await throughput(() => validateDesign(src), 1000);
    rows.push([d.name, lines, perSecond.toFixed(0)]);
  }
  const text = bigBomManifest(2000);
  const src = designSource([
    { path: 'design.yaml', data: Buffer.from(text) },
    { path: 'README.md', data: Buffer.from('# Big BOM\n') },
    { path: 'src/model.scad', data: Buffer.from('cube(1);\n') },
  ]);
  const result = validateDesign(src);
  if (!result.ok) throw new Error(`generated manifest does not validate: ${JSON.stringify(result.issues.slice(0, 3))}`);
  const { perSecond } = await throughput(() => validateDesign(src), 3000);
  rows.push([`generated (${(text.length / 1024).toFixed(0)} KiB)`, 2000, perSecond.toFixed(2)]);
  printTable('Validation throughput', ['design', 'BOM lines', 'manifests/s'], rows);
}

if (import.meta.url === `file://${process.argv[1]}`) await benchValidate();
