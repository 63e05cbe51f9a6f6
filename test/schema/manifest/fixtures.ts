/** Small inline packages for the validator tests. */
import { expect } from 'vitest';
import type { DesignSource } from '../../../schema/design-source.ts';
import type { Issue } from '../../../schema/errors.ts';
import type { ValidationResult } from '../../../schema/manifest/index.ts';

/**
 * The smallest manifest that validates. Tests edit it, so line numbers below are stable:
 * 1 manifestVersion · 8 licensor · 10 license · 11 hardware · 13 docs · 16 sources[0] ·
 * 17 bom · 18 bom[0].id · 21 bom[0].quantity · 22 production · 23 processes
 */
export const MINIMAL = `manifestVersion: "1"
name: acme/widget
version: 1.0.0
title: Widget
summary: A small widget.
function: Holds things together for makers.
documentationLanguage: en
licensor:
  - name: Ada
license:
  hardware: CERN-OHL-S-2.0
  documentation: CC-BY-4.0
docs:
  readme: README.md
  sources:
    - cad/widget.scad
bom:
  - id: m3-bolt
    name: M3x10 bolt
    type: cots
    quantity: 4
production:
  processes: [ASM]
`;

/** MINIMAL with `from` replaced by `to` (which must occur exactly once). */
export function edit(from: string, to: string, base = MINIMAL): string {
  const at = base.indexOf(from);
  if (at === -1 || base.indexOf(from, at + 1) !== -1) throw new Error(`fixture: "${from}" must occur exactly once`);
  return base.slice(0, at) + to + base.slice(at + from.length);
}

/** MINIMAL with more BOM lines (YAML, indented as list items of `bom`) after bom[0]. */
export const withBomLines = (lines: string, base = MINIMAL): string => edit('production:\n', `${lines}production:\n`, base);

const enc = new TextEncoder();

/** A DesignSource over an in-memory map of path → content. */
export function source(files: Record<string, string | Uint8Array>): DesignSource {
  const map = new Map(Object.entries(files).map(([p, c]) => [p, typeof c === 'string' ? enc.encode(c) : c]));
  return { read: (p) => map.get(p), files: () => [...map.keys()].sort() };
}

/** A package holding `yaml` as design.yaml and the files MINIMAL names. */
export const pkg = (yaml: string, extra: Record<string, string> = {}): DesignSource =>
  source({ 'design.yaml': yaml, 'README.md': '# Widget\n', 'cad/widget.scad': 'cube(10);\n', ...extra });

/** The one issue with `code`; fails the test if there is none or more than one. */
export function single(result: ValidationResult, code: string): Issue {
  const found = result.issues.filter((i) => i.code === code);
  expect(found, `issues with code ${code} in ${JSON.stringify(result.issues, null, 1)}`).toHaveLength(1);
  return found[0] as Issue;
}

/** Asserts the result was refused with exactly this located issue (plus nothing else of severity error). */
export function expectIssue(result: ValidationResult, want: Pick<Issue, 'code' | 'path' | 'line' | 'column' | 'message'> & { file?: string }): void {
  expect(result.ok).toBe(false);
  expect(result.manifest).toBeUndefined();
  const issue = single(result, want.code);
  expect(issue).toEqual({ file: 'design.yaml', severity: 'error', ...want });
}
