import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// schema/ is shared by CLI and server and must stay pure (DESIGN.md): the BOM core reaches the
// registry only through the BomRegistry function it is given.
const dir = join(import.meta.dirname, '../../../schema/bom');
const ALLOWED = new Set(['semver', 'csv-stringify/sync']);

describe('schema/bom is pure', () => {
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
    it(`${file} imports only relative .ts modules, semver and csv-stringify/sync`, () => {
      const src = readFileSync(join(dir, file), 'utf8');
      const specs = [...src.matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!);
      for (const s of specs) {
        if (s.startsWith('.')) expect(s, `${file}: ${s}`).toMatch(/\.ts$/);
        else expect(ALLOWED.has(s), `${file} imports ${s}`).toBe(true);
      }
    });
  }
});
