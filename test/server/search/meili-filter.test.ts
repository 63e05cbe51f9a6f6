import { describe, expect, it } from 'vitest';
import { defaultSearchQuery, type SearchFilters } from '../../../server/domain/search-query.ts';
import { buildMeiliFilter, quoteFilterValue, MEILI_SETTINGS } from '../../../server/search/meili.ts';

const filter = (filters: SearchFilters, toolUniverse?: string[]) =>
  buildMeiliFilter(defaultSearchQuery({ filters }), toolUniverse ? { toolUniverse } : {});

describe('quoteFilterValue', () => {
  it('wraps in double quotes and backslash-escapes `\\` and `"`', () => {
    expect(quoteFilterValue('MIT')).toBe('"MIT"');
    expect(quoteFilterValue('MIT" OR category EXISTS')).toBe('"MIT\\" OR category EXISTS"');
    expect(quoteFilterValue('a\\b')).toBe('"a\\\\b"');
    // A trailing backslash must not escape the closing quote.
    expect(quoteFilterValue('MIT\\')).toBe('"MIT\\\\"');
    expect(quoteFilterValue('\\"')).toBe('"\\\\\\""');
  });

  it('the quoted value always reads back as exactly one string literal', () => {
    for (const v of ['', 'MIT" OR category EXISTS', '"] OR x IN ["', 'a\\', '\\\\"\\', "it's", 'ünï 🎉']) {
      const quoted = quoteFilterValue(v);
      // Reference reader for Meilisearch's quoted strings: `\` escapes the next character.
      let i = 1;
      let out = '';
      for (; i < quoted.length - 1; i++) {
        const c = quoted[i]!;
        if (c === '\\') out += quoted[++i];
        else if (c === '"') throw new Error(`unescaped quote inside ${quoted}`);
        else out += c;
      }
      expect(i).toBe(quoted.length - 1);
      expect(quoted.endsWith('"')).toBe(true);
      expect(out).toBe(v);
    }
  });
});

describe('buildMeiliFilter', () => {
  it('no filters → no expressions', () => {
    expect(filter({})).toEqual([]);
  });

  it('list filters become `field IN [quoted, …]`', () => {
    expect(
      filter({
        license: ['MIT', 'CERN-OHL-S-2.0'],
        licenseFamily: ['permissive'],
        category: ['3D Printing'],
        process: ['WEL'],
        maturity: ['ODRL-3*'],
        region: ['EU'],
      }),
    ).toEqual([
      'licenses IN ["MIT", "CERN-OHL-S-2.0"]',
      'licenseFamily IN ["permissive"]',
      'categories IN ["3D Printing"]',
      'processes IN ["WEL"]',
      'maturity IN ["ODRL-3*"]',
      'regions IN ["EU"]',
    ]);
  });

  it('an injection attempt stays inside its string literal', () => {
    expect(filter({ license: ['MIT" OR category EXISTS'] })).toEqual(['licenses IN ["MIT\\" OR category EXISTS"]']);
    expect(filter({ region: ['EU"] OR regions EXISTS OR regions IN ["'] })).toEqual([
      'regions IN ["EU\\"] OR regions EXISTS OR regions IN [\\""]',
    ]);
  });

  it('certified is a typed boolean', () => {
    expect(filter({ certified: true })).toEqual(['certified = true']);
    expect(filter({ certified: false })).toEqual(['certified = false']);
  });

  it('canMake → NOT processes IN [complement of the set]', () => {
    expect(filter({ canMake: ['3DP', 'LAS', 'ASM'] })).toEqual([
      'NOT processes IN ["MEC", "CIR", "PCB", "WEL", "CNC", "CST", "WOD", "TEX", "CER"]',
    ]);
  });

  it('canMake with every process code → no restriction', () => {
    expect(filter({ canMake: ['ASM', 'MEC', 'CIR', 'PCB', 'WEL', '3DP', 'LAS', 'CNC', 'CST', 'WOD', 'TEX', 'CER'] })).toEqual([]);
  });

  it('tools → NOT tools IN [known tools − the given ones], quoted', () => {
    expect(filter({ tools: ['Soldering Iron'] }, ['soldering iron', 'mig welder, 180 a', 'x"y'])).toEqual([
      'NOT tools IN ["mig welder, 180 a", "x\\"y"]',
    ]);
    expect(() => filter({ tools: ['drill'] })).toThrow(/toolUniverse/);
  });

  it('facility → facilityRank <= rank (apartment 0 … factory 4)', () => {
    expect(filter({ facility: 'apartment' })).toEqual(['facilityRank <= 0']);
    expect(filter({ facility: 'garage' })).toEqual(['facilityRank <= 1']);
    expect(filter({ facility: 'factory' })).toEqual(['facilityRank <= 4']);
  });
});

describe('MEILI_SETTINGS', () => {
  it('searchable in priority order, identifiers without typo tolerance, every filtered field filterable', () => {
    expect(MEILI_SETTINGS.searchableAttributes?.slice(0, 5)).toEqual(['title', 'package', 'keywords', 'summary', 'function']);
    expect(MEILI_SETTINGS.typoTolerance?.disableOnAttributes).toEqual(['mpns', 'licenses']);
    for (const f of ['licenses', 'licenseFamily', 'categories', 'processes', 'maturity', 'regions', 'certified', 'tools', 'facilityRank', 'id', 'versions']) {
      expect(MEILI_SETTINGS.filterableAttributes).toContain(f);
    }
    expect(MEILI_SETTINGS.sortableAttributes).toEqual(expect.arrayContaining(['updatedAtTs', 'costSort']));
  });
});
