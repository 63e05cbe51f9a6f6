/** Documented maximum lengths and counts, URL schemes and YAML tags: each refused, located. */
import { describe, expect, it } from 'vitest';
import { validateManifestText } from '../../../schema/manifest/index.ts';
import { MANIFEST_LIMITS } from '../../../schema/manifest/limits.ts';
import { edit, expectIssue, MINIMAL, single, withBomLines } from './fixtures.ts';

const KB = 1000;

describe('maximum lengths and counts', () => {
  it('refuses a 1 MB summary (limit 300 characters), at the field', () => {
    const text = edit('summary: A small widget.', `summary: ${'s'.repeat(1000 * KB)}`);
    expect(text.length).toBeLessThan(MANIFEST_LIMITS.maxBytes); // it passes the file-size check: the field limit is what refuses it
    expectIssue(validateManifestText(text), {
      code: 'too-long', path: 'summary', line: 5, column: 10, message: 'must be at most 300 characters long (got 1000000)',
    });
  });

  it('refuses a 100 KB title (limit 120 characters), at the field', () => {
    expectIssue(validateManifestText(edit('title: Widget', `title: ${'t'.repeat(100 * KB)}`)), {
      code: 'too-long', path: 'title', line: 4, column: 8, message: 'must be at most 120 characters long (got 100000)',
    });
  });

  it('refuses 5,000 keywords (limit 20), and a keyword over 50 characters', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `k${i}`).join(', ');
    expectIssue(validateManifestText(`${MINIMAL}keywords: [${many}]\n`), {
      code: 'too-many-items', path: 'keywords', line: 24, column: 11, message: 'must list at most 20 items (got 5000)',
    });
    expectIssue(validateManifestText(`${MINIMAL}keywords: [ok, ${'k'.repeat(51)}]\n`), {
      code: 'too-long', path: 'keywords[1]', line: 24, column: 16, message: 'must be at most 50 characters long (got 51)',
    });
  });

  it('refuses a function over 5,000 characters and notes over 10,000', () => {
    expectIssue(validateManifestText(edit('function: Holds things together for makers.', `function: ${'f'.repeat(5001)}`)), {
      code: 'too-long', path: 'function', line: 6, column: 11, message: 'must be at most 5000 characters long (got 5001)',
    });
    expectIssue(validateManifestText(edit('    quantity: 4', `    quantity: 4\n    notes: ${'n'.repeat(10_001)}`)), {
      code: 'too-long', path: 'bom[0].notes', line: 22, column: 12, message: 'must be at most 10000 characters long (got 10001)',
    });
  });

  it('refuses more than 50 offers on a BOM line and more than 5,000 parts', () => {
    const offer = '      - {supplier: Acme, currency: EUR, priceBreaks: [{qty: 1, price: 1}]}\n';
    expectIssue(validateManifestText(edit('    quantity: 4', `    quantity: 4\n    offers:\n${offer.repeat(51)}`)), {
      code: 'too-many-items', path: 'bom[0].offers', line: 23, column: 7, message: 'must list at most 50 items (got 51)',
    });
    const parts = Array.from({ length: 5001 }, (_, i) => `  - {id: p${i}, name: Part ${i}}\n`).join('');
    const r = validateManifestText(`${MINIMAL}parts:\n${parts}`);
    expect(single(r, 'too-many-items')).toMatchObject({ path: 'parts', line: 25, message: 'must list at most 5000 items (got 5001)' });
  });

  it('still counts BOM lines against the 10,000-line limit', () => {
    const line = (i: number) => `  - {id: l${i}, name: Line, type: cots, quantity: 1}\n`;
    const r = validateManifestText(withBomLines(Array.from({ length: 10_000 }, (_, i) => line(i)).join('')));
    expect(single(r, 'bom-too-large')).toMatchObject({ path: 'bom', message: 'the BOM has 10001 lines; the limit is 10000' });
  });

  it('refuses a version over 64 characters and a licence expression over 512, located', () => {
    const version = `1.0.0-${'a'.repeat(59)}`;
    expectIssue(validateManifestText(edit('version: 1.0.0', `version: ${version}`)), {
      code: 'too-long', path: 'version', line: 3, column: 10, message: 'must be at most 64 characters long (got 65)',
    });
    const r = validateManifestText(edit('hardware: CERN-OHL-S-2.0', `hardware: ${'MIT AND '.repeat(2000)}MIT`));
    expect(r.ok).toBe(false);
    expect(single(r, 'spdx-too-long')).toEqual({
      file: 'design.yaml', path: 'license.hardware', line: 11, column: 13, code: 'spdx-too-long', severity: 'error',
      message: 'the licence expression is 16003 characters long; the limit is 512',
    });
  });
});

describe('only http: and https: URLs', () => {
  const derived = (url: string) => `${MINIMAL}derivedFrom:\n  - title: Upstream\n    url: ${JSON.stringify(url)}\n`;

  it.each(['javascript:alert(1)', 'data:text/html,<script>alert(1)</script>', 'file:///etc/passwd', 'ftp://example.org/x', 'JaVaScRiPt:alert(1)'])(
    'refuses %j in derivedFrom[].url with the field path',
    (url) => {
      expectIssue(validateManifestText(derived(url)), {
        code: 'url-scheme', path: 'derivedFrom[0].url', line: 26, column: 10,
        message: `must be an http: or https: URL such as https://example.org/page (got ${JSON.stringify(url.length > 60 ? `${url.slice(0, 57)}...` : url)})`,
      });
    },
  );

  it('accepts http: and https: URLs, in any case', () => {
    for (const url of ['https://example.org/a', 'http://example.org', 'HTTPS://EXAMPLE.ORG/']) expect(validateManifestText(derived(url)).issues).toEqual([]);
  });

  it('checks every URL field: offers, attestations, datasheets and the contact', () => {
    const offer = edit('    quantity: 4', '    quantity: 4\n    offers:\n      - {supplier: Acme, currency: EUR, url: "data:text/html,x", priceBreaks: [{qty: 1, price: 1}]}');
    expect(single(validateManifestText(offer), 'url-scheme')).toMatchObject({ path: 'bom[0].offers[0].url', line: 23 });

    const attestation = `${MINIMAL}attestations:\n  - {scheme: publication, id: x, url: "file:///etc/passwd"}\n`;
    expect(single(validateManifestText(attestation), 'url-scheme')).toMatchObject({ path: 'attestations[0].url', line: 25 });

    const datasheet = edit('    quantity: 4', '    quantity: 4\n    datasheet: "javascript:alert(1)"');
    expect(single(validateManifestText(datasheet), 'url-scheme')).toMatchObject({
      path: 'bom[0].datasheet', line: 22, message: 'must be an http: or https: URL or a path in the package (got "javascript:alert(1)")',
    });

    const party = (contact: string) => `${MINIMAL}responsibleParty: {type: Individual, name: Ada, country: DE, contact: ${JSON.stringify(contact)}}\n`;
    expect(single(validateManifestText(party('javascript:alert(1)')), 'url-scheme')).toMatchObject({ path: 'responsibleParty.contact', line: 24 });
    for (const ok of ['ada@example.org', 'https://example.org/ada', 'mailto:ada@example.org', 'tel:+49301234', 'Phone: +49 30 1234']) {
      expect(validateManifestText(party(ok)).issues, ok).toEqual([]);
    }
  });

  it('accepts a datasheet that is a path in the package or an https URL', () => {
    for (const ds of ['docs/datasheet.pdf', 'https://example.org/ds.pdf']) {
      expect(validateManifestText(edit('    quantity: 4', `    quantity: 4\n    datasheet: ${ds}`)).issues, ds).toEqual([]);
    }
  });

  it('refuses a 1 MB URL by its length, quickly', () => {
    const r = validateManifestText(derived(`https://example.org/${'a'.repeat(1000 * KB)}`));
    expect(single(r, 'too-long')).toMatchObject({ path: 'derivedFrom[0].url', message: 'must be at most 2048 characters long (got 1000020)' });
  });
});

describe('YAML tags outside the core schema', () => {
  it.each([
    ['title: !!js/function "function () { return 1 }"', '!!js/function', 15],
    ['title: !custom Widget', '!custom', 16],
    ['title: !!binary aGVsbG8=', '!!binary', 17],
    ['title: !!python/object:os.system [ls]', '!!python/object:os.system', 34],
    ['title: !foo {a: 1}', '!foo', 13],
  ])('refuses %s with its line', (line, tag, column) => {
    const r = validateManifestText(edit('title: Widget', line));
    expect(r.ok).toBe(false);
    expect(r.issues).toEqual([{
      file: 'design.yaml', path: 'title', line: 4, column: column + (line.startsWith('title: !!js') ? 7 : 0), code: 'yaml-tag', severity: 'error',
      message: `YAML tag ${JSON.stringify(tag)} is not allowed; write a plain value (only the core schema's !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are read)`,
    }]);
  });

  it('refuses a tag on a key too', () => {
    const r = validateManifestText(`${MINIMAL}!!js/function keywords: [a]\n`);
    expect(r.ok).toBe(false);
    expect(single(r, 'yaml-tag')).toMatchObject({ line: 24, message: expect.stringContaining('"!!js/function"') });
  });

  it('accepts the core tags', () => {
    expect(validateManifestText(edit('title: Widget', 'title: !!str Widget')).issues).toEqual([]);
    expect(validateManifestText(edit('    quantity: 4', '    quantity: !!int 4')).issues).toEqual([]);
  });
});

describe('paths named in the manifest follow the package path rules', () => {
  it.each([
    ['docs/CON.md', '"docs/CON.md" cannot be a file in a package: "CON.md" is a device name reserved by Windows (CON)'],
    ['.g\u200cit/config', '".g\u200cit/config" cannot be a file in a package: ".git" segments are not allowed, nor look-alikes such as ".g\\u200cit"'],
  ])('refuses %j in docs.readme, at the field', (path, message) => {
    expectIssue(validateManifestText(edit('readme: README.md', `readme: ${JSON.stringify(path)}`)), {
      code: 'path-invalid', path: 'docs.readme', line: 14, column: 11, message,
    });
  });
});
