/**
 * The benchmark design of issue 13, the same shape as ../shared/measure/side-by-side.mjs uses:
 * 30 files, ~1.1 MB gzipped (14 OpenSCAD parts that compress well, 12 ~95 KB photos that do not),
 * with a JSON design.yaml. Photos come from a seeded generator so every run publishes the same bytes.
 */
import { writeArchive } from '../schema/archive.ts';
import type { PackageFile } from '../schema/package-file.ts';
import { rng } from './util.ts';

export function typicalDesignFiles(name: string, version: string, seed = 1): PackageFile[] {
  const files: PackageFile[] = [];
  const cad: string[] = [];
  for (let i = 0; i < 14; i++) {
    const p = `cad/part-${i}.scad`;
    cad.push(p);
    files.push({ path: p, data: Buffer.from(`// part ${i}\n` + `translate([${i},0,0]) cube([10,${i + 1},5]);\n`.repeat(1500)) });
  }
  const random = rng(seed);
  for (let i = 0; i < 12; i++) {
    const photo = Buffer.alloc(95_000);
    for (let j = 0; j < photo.length; j += 4) photo.writeUInt32LE(Math.floor(random() * 0x1_0000_0000), j);
    files.push({ path: `docs/photos/photo-${i}.jpg`, data: photo });
  }
  files.push({ path: 'README.md', data: Buffer.from(`# ${name}\n\nHow to build it.\n`) });
  files.push({ path: 'docs/assembly.md', data: Buffer.from('# Assembly\n\n1. Print.\n2. Bolt.\n') });
  files.push({ path: 'LICENSE', data: Buffer.from('CERN-OHL-S-2.0\n') });
  const manifest = {
    manifestVersion: '1', name, version, title: 'Bench design', summary: 'A typical design for benchmarks',
    function: 'Measures how fast the registry publishes a typical design', documentationLanguage: 'en',
    licensor: [{ name: 'Bench' }], license: { hardware: 'CERN-OHL-S-2.0', documentation: 'CC-BY-SA-4.0', software: 'NONE' },
    docs: { readme: 'README.md', sources: cad, assembly: ['docs/assembly.md'] },
    bom: [{ id: 'screw-m3', name: 'Screw M3x8', type: 'cots', quantity: 4, unit: 'pcs' }, { id: 'pla', name: 'PLA filament', type: 'raw', quantity: 200, unit: 'g' }],
    production: { processes: ['ASM', '3DP'] },
  };
  files.push({ path: 'design.yaml', data: Buffer.from(JSON.stringify(manifest, null, 2)) });
  return files;
}

export function typicalDesignArchive(name: string, version: string, seed = 1): Promise<Buffer> {
  return writeArchive(typicalDesignFiles(name, version, seed));
}
