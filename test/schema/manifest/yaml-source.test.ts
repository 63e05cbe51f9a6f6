/** Reading design.yaml: syntax, shape, and hostile input refused quickly, with a location. */
import { describe, expect, it } from 'vitest';
import { MANIFEST_LIMITS, validateManifestText } from '../../../schema/manifest/index.ts';
import { edit, expectIssue, MINIMAL } from './fixtures.ts';

describe('YAML syntax and shape', () => {
  it('reports a syntax error at the line and column the parser gives', () => {
    expectIssue(validateManifestText(edit('title: Widget', 'title: Widget: the best')), {
      code: 'yaml-syntax', path: '', line: 4, column: 8, message: 'Nested mappings are not allowed in compact mappings',
    });
  });

  it('reports an unclosed flow list where the parser gives up', () => {
    expectIssue(validateManifestText(edit('title: Widget', 'title: [Widget')), {
      code: 'yaml-syntax', path: '', line: 5, column: 1, message: 'Flow sequence in block collection must be sufficiently indented and end with a ]',
    });
  });

  it('refuses tabs as indentation', () => {
    expectIssue(validateManifestText('a: b\n\tc: d\n'), {
      code: 'yaml-syntax', path: '', line: 2, column: 1, message: 'Tabs are not allowed as indentation',
    });
  });

  it('reports a duplicated key where the second one is', () => {
    const r = validateManifestText(edit('title: Widget', 'title: Widget\ntitle: Gadget'));
    expectIssue(r, { code: 'yaml-syntax', path: '', line: 5, column: 1, message: 'Map keys must be unique' });
  });

  it('refuses a document that is a list', () => {
    expectIssue(validateManifestText('- a\n- b\n'), {
      code: 'not-a-mapping', path: '', line: 1, column: 1, message: 'design.yaml must be a mapping of fields (name: value), got a list',
    });
  });

  it('refuses a document that is a scalar or empty', () => {
    expectIssue(validateManifestText('\n\nhello\n'), {
      code: 'not-a-mapping', path: '', line: 3, column: 1, message: 'design.yaml must be a mapping of fields (name: value), got string "hello"',
    });
    expect(validateManifestText('').issues[0]).toMatchObject({ code: 'not-a-mapping', message: 'design.yaml must be a mapping of fields (name: value), got an empty document' });
  });

  it('names the file it was given', () => {
    const r = validateManifestText('- a\n', { file: 'sub/design.yaml' });
    expect(r.issues[0]).toMatchObject({ file: 'sub/design.yaml', message: 'sub/design.yaml must be a mapping of fields (name: value), got a list' });
  });

  it('refuses .inf and .nan where numbers are expected', () => {
    expectIssue(validateManifestText(edit('quantity: 4', 'quantity: .inf')), {
      code: 'wrong-type', path: 'bom[0].quantity', line: 21, column: 15, message: 'must be a finite number, got .inf',
    });
  });
});

describe('hostile input', () => {
  it('refuses a 10 MB manifest by size, before parsing', () => {
    const huge = MINIMAL + `notes: "${'x'.repeat(10 * 1024 * 1024)}"\n`;
    const r = validateManifestText(huge);
    expectIssue(r, { code: 'file-too-large', path: '', line: 0, column: 0, message: 'design.yaml is 10.0 MiB; the limit is 1.0 MiB' });
  });

  it('counts UTF-8 bytes, not characters', () => {
    const text = MINIMAL + `notes: "${'é'.repeat(MANIFEST_LIMITS.maxBytes / 2)}"\n`; // 2 bytes each
    expect(text.length).toBeLessThan(MANIFEST_LIMITS.maxBytes);
    expect(validateManifestText(text).issues[0]?.code).toBe('file-too-large');
  });

  it('refuses aliases, so a billion-laughs document is never expanded', () => {
    const bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
      .concat(Array.from({ length: 8 }, (_, i) => {
        const p = String.fromCharCode(97 + i);
        const n = String.fromCharCode(98 + i);
        return `${n}: &${n} [*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p},*${p}]`;
      }))
      .join('\n');
    expect(MANIFEST_LIMITS.maxAliases).toBe(0);
    const before = process.memoryUsage().heapUsed;
    const r = validateManifestText(`${bomb}\n`);
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(50 * 1024 * 1024);
    expectIssue(r, { code: 'yaml-alias', path: 'b[0]', line: 2, column: 8, message: 'YAML aliases are not allowed (found *a); write the value out in full' });
  });

  it('refuses a single harmless alias too, pointing at it', () => {
    const r = validateManifestText(edit('title: Widget', 'title: &t Widget').replace('summary: A small widget.', 'summary: *t'));
    expectIssue(r, { code: 'yaml-alias', path: 'summary', line: 5, column: 10, message: 'YAML aliases are not allowed (found *t); write the value out in full' });
  });

  it('refuses 1,000-deep flow nesting before parsing, without overflowing the stack', () => {
    const deep = `${MINIMAL}notes: ${'['.repeat(1000)}${']'.repeat(1000)}\n`;
    const r = validateManifestText(deep);
    expectIssue(r, { code: 'yaml-too-deep', path: '', line: 24, column: 39, message: 'nesting deeper than 32 levels is not allowed' });
  });

  it('refuses 1,000-deep block nesting before parsing', () => {
    const lines = Array.from({ length: 1000 }, (_, i) => `${' '.repeat(i)}k:`).join('\n');
    const r = validateManifestText(`${lines}\n`);
    expectIssue(r, { code: 'yaml-too-deep', path: '', line: 33, column: 33, message: 'nesting deeper than 32 levels is not allowed' });
  });

  it('refuses deep compact sequences (`- - - …`) on one line', () => {
    const r = validateManifestText(`a:\n${'- '.repeat(100_000)}x\n`);
    expectIssue(r, { code: 'yaml-too-deep', path: '', line: 2, column: 65, message: 'nesting deeper than 32 levels is not allowed' });
  });

  it('refuses the deepest nesting that fits in the size limit', () => {
    const n = MANIFEST_LIMITS.maxBytes / 2 - 10;
    const r = validateManifestText(`a: ${'{'.repeat(n)}${'}'.repeat(n)}`);
    expect(r.issues[0]?.code).toBe('yaml-too-deep');
  });

  it('does not mistake brackets in quotes, comments or block scalars for nesting', () => {
    const text = `${MINIMAL}# ${'['.repeat(100)}\n`
      .replace('title: Widget', `title: "${'['.repeat(100)}"`)
      .replace('summary: A small widget.', `summary: '${'{'.repeat(100)}'`)
      .replace('function: Holds things together for makers.', `function: |\n  ${'['.repeat(100)}\n  it's fine`);
    const r = validateManifestText(text);
    expect(r.issues).toEqual([]);
    expect(r.ok).toBe(true);
  });

  it('keeps __proto__, constructor and prototype as plain keys: reported, never polluting', () => {
    const r = validateManifestText(`${MINIMAL}__proto__:\n  polluted: 1\nconstructor:\n  polluted: 1\n`
      .replace('  - id: m3-bolt', '  - id: m3-bolt\n    __proto__: { polluted: 1 }\n    prototype: { polluted: 1 }'));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect(r.ok).toBe(false);
    const unknown = r.issues.filter((i) => i.code === 'unknown-field').map((i) => [i.path, i.line, i.column, i.message]);
    expect(unknown).toEqual([
      ['bom[0].__proto__', 19, 5, 'unknown field "__proto__"'],
      ['bom[0].prototype', 20, 5, 'unknown field "prototype"'],
      ['__proto__', 26, 1, 'unknown field "__proto__"'],
      ['constructor', 28, 1, 'unknown field "constructor"'],
    ]);
  });
});
