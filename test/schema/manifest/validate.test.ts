/** The validator end to end: real example packages, results, and speed on big BOMs. */
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatIssue } from '../../../schema/errors.ts';
import { validateDesign, validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, MINIMAL, pkg, source, withBomLines } from './fixtures.ts';

function folderSource(root: string) {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir)) {
      const p = join(dir, e);
      if (statSync(p).isDirectory()) walk(p);
      else files.push(relative(root, p).split('\\').join('/'));
    }
  };
  walk(root);
  return source(Object.fromEntries(files.map((f) => [f, new Uint8Array(readFileSync(join(root, f)))])));
}

describe('validateDesign', () => {
  const designs = join(import.meta.dirname, '../../../designs');
  const examples = existsSync(designs) ? readdirSync(designs).filter((d) => existsSync(join(designs, d, 'design.yaml'))) : [];

  it.each(examples)('accepts the example package designs/%s', (dir) => {
    const r = validateDesign(folderSource(join(designs, dir)));
    expect(r.issues.filter((i) => i.severity === 'error').map(formatIssue)).toEqual([]);
    expect(r.ok).toBe(true);
    expect(Array.isArray(r.manifest?.bom)).toBe(true);
  });

  it('returns the manifest only when there is no error', () => {
    const good = validateDesign(pkg(MINIMAL));
    expect(good).toMatchObject({ ok: true, issues: [] });
    expect(good.manifest?.name).toBe('acme/widget');
    const bad = validateDesign(pkg(edit('quantity: 4', 'quantity: 0')));
    expect(bad.ok).toBe(false);
    expect(bad.manifest).toBeUndefined();
  });

  it('refuses design.yaml that is not UTF-8, and one over the size limit before decoding it', () => {
    expect(validateDesign(source({ 'design.yaml': new Uint8Array([0x61, 0x3a, 0xff]) })).issues).toEqual([
      { file: 'design.yaml', path: '', line: 0, column: 0, code: 'not-utf8', message: 'design.yaml is not valid UTF-8 text', severity: 'error' },
    ]);
    const big = validateDesign(source({ 'design.yaml': new Uint8Array(2 * 1024 * 1024) }));
    expect(big.issues[0]).toMatchObject({ code: 'file-too-large', message: 'design.yaml is 2.0 MiB; the limit is 1.0 MiB', line: 0, column: 0 });
  });
});

describe('speed', () => {
  const bigBom = (n: number, offers = true): string => withBomLines(Array.from({ length: n }, (_, i) => [
    `  - id: part-${i}`, `    name: Part number ${i}`, '    type: cots', `    quantity: ${(i % 7) + 1}`, '    manufacturer: Acme', `    mpn: AC-${i}`,
    ...(offers ? ['    offers:', '      - supplier: Mouser', '        currency: EUR', '        region: DE', '        priceBreaks: [{ qty: 1, price: 0.12 }, { qty: 100, price: 0.08 }]'] : []),
  ].join('\n')).join('\n') + '\n');

  it('validates a 2,000-line BOM (speed is measured by npm run bench)', () => {
    const text = bigBom(2000);
    validateManifestText(text); // warm up the JIT
    const r = validateManifestText(text);
    expect(r.ok).toBe(true);
    expect(r.manifest?.bom).toHaveLength(2001);
  });

  it('locates thousands of issues', () => {
    const text = bigBom(2000, false).replace(/quantity: \d/g, 'quantity: 0');
    const r = validateManifestText(text);
    expect(r.issues.filter((i) => i.code === 'out-of-range')).toHaveLength(2001);
    expect(r.issues.at(-1)).toMatchObject({ path: 'bom[2000].quantity', line: 22 + 1999 * 6 + 3 });
  });
});
