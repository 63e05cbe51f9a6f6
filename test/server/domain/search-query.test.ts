import { describe, expect, it } from 'vitest';
import { OhwError } from '../../../schema/errors.ts';
import { exactNameOf, parseSearchQuery, MAX_QUERY_LENGTH } from '../../../server/domain/search-query.ts';

/** The OhwError thrown by parsing `params` (fails the test if nothing is thrown). */
function rejection(params: Record<string, unknown>): OhwError {
  try {
    parseSearchQuery(params);
  } catch (e) {
    expect(e).toBeInstanceOf(OhwError);
    return e as OhwError;
  }
  throw new Error(`expected ${JSON.stringify(params)} to be rejected`);
}

describe('parseSearchQuery', () => {
  it('defaults: empty text, relevance, page 1, limit 20, no filters', () => {
    expect(parseSearchQuery({})).toEqual({ text: '', filters: {}, sort: 'relevance', page: 1, limit: 20 });
  });

  it('reads every parameter', () => {
    const q = parseSearchQuery({
      q: '  ceb press ',
      license: 'CERN-OHL-S-2.0,cc-by-sa-4.0',
      licenseFamily: 'permissive',
      category: ['agriculture', 'Tool'],
      process: 'wel',
      maturity: 'odrl-3*,OTRL-5',
      region: 'eu,world',
      certified: 'true',
      canMake: '3DP,LAS,ASM',
      tools: ['MIG welder, 180 A or larger', '  Angle   Grinder '],
      facility: 'Garage',
      sort: 'cost',
      page: '2',
      limit: '50',
    });
    expect(q).toEqual({
      text: 'ceb press',
      filters: {
        license: ['CERN-OHL-S-2.0', 'CC-BY-SA-4.0'],
        licenseFamily: ['permissive'],
        category: ['Agriculture', 'Tool'],
        process: ['WEL'],
        maturity: ['ODRL-3*', 'OTRL-5'],
        region: ['EU', 'WORLD'],
        certified: true,
        canMake: ['3DP', 'LAS', 'ASM'],
        tools: ['mig welder, 180 a or larger', 'angle grinder'],
        facility: 'garage',
      },
      sort: 'cost',
      page: 2,
      limit: 50,
    });
  });

  it('certified: true/false/1/0/yes/no, and a bare `certified` means true', () => {
    expect(parseSearchQuery({ certified: '' }).filters.certified).toBe(true);
    expect(parseSearchQuery({ certified: '0' }).filters.certified).toBe(false);
    expect(parseSearchQuery({ certified: 'no' }).filters.certified).toBe(false);
    expect(parseSearchQuery({ certified: 'YES' }).filters.certified).toBe(true);
  });

  it('ignores empty list values and unknown parameters', () => {
    expect(parseSearchQuery({ license: '', category: ',', format: 'json' }).filters).toEqual({});
  });

  it('keeps licences and regions (open vocabularies) as literal values, even with quotes', () => {
    const q = parseSearchQuery({ license: 'MIT" OR category EXISTS', region: 'EU"]' });
    expect(q.filters.license).toEqual(['MIT" OR category EXISTS']);
    expect(q.filters.region).toEqual(['EU"]']);
    expect(parseSearchQuery({ license: 'LicenseRef-Acme-1.0' }).filters.license).toEqual(['LicenseRef-Acme-1.0']);
  });

  it('q longer than 512 characters → 400 naming q', () => {
    expect(parseSearchQuery({ q: 'x'.repeat(MAX_QUERY_LENGTH) }).text).toHaveLength(512);
    const e = rejection({ q: 'x'.repeat(MAX_QUERY_LENGTH + 1) });
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(/^q: .*512/);
    expect(e.details).toMatchObject({ param: 'q' });
  });

  it('limit above 100 → 400 (documented, not clamped)', () => {
    const e = rejection({ limit: '101' });
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe('limit: must be between 1 and 100, got 101');
    expect(parseSearchQuery({ limit: '100' }).limit).toBe(100);
  });

  it.each([
    [{ limit: '0' }, /^limit: must be between 1 and 100/],
    [{ limit: 'ten' }, /^limit: must be an integer between 1 and 100/],
    [{ page: '0' }, /^page: must be between 1 and 10000/],
    [{ page: '-1' }, /^page: must be an integer/],
    [{ page: '1.5' }, /^page: must be an integer/],
    [{ page: ['1', '2'] }, /^page: given more than once/],
    [{ q: ['a', 'b'] }, /^q: given more than once/],
  ])('bad paging/scalars %j → 400', (params, message) => {
    const e = rejection(params);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toMatch(message);
  });

  it.each([
    ['category', { category: 'Gardening' }, 'Gardening', ['3D Printing', 'Agriculture', 'Wearables']],
    ['process', { process: '3DP,LASER' }, 'LASER', ['ASM', '3DP', 'CER']],
    ['canMake', { canMake: 'ASM,XYZ' }, 'XYZ', ['ASM', 'LAS']],
    ['maturity', { maturity: 'TRL-9' }, 'TRL-9', ['OTRL-1', 'ODRL-4', 'ODRL-3*']],
    ['facility', { facility: 'castle' }, 'castle', ['apartment', 'garage', 'homestead', 'campus', 'factory']],
    ['sort', { sort: 'popularity' }, 'popularity', ['relevance', 'updated', 'cost']],
    ['certified', { certified: 'maybe' }, 'maybe', ['true', 'false']],
    ['licenseFamily', { licenseFamily: 'copyleft' }, 'copyleft', ['permissive', 'strongly-reciprocal']],
  ])('unknown %s value → 400 naming the parameter, the value and the allowed values', (param, params, value, someAllowed) => {
    const e = rejection(params);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message.startsWith(`${param}: unknown value "${value}"; allowed: `)).toBe(true);
    for (const a of someAllowed) expect(e.message).toContain(a);
    expect(e.details).toMatchObject({ param });
    expect((e.details as { allowed: string[] }).allowed).toEqual(expect.arrayContaining(someAllowed));
  });

  it('bounds list parameters: count, length, control characters', () => {
    expect(rejection({ region: Array.from({ length: 51 }, (_, i) => `R${i}`) }).message).toBe('region: at most 20 values (got 51)');
    expect(rejection({ license: 'A'.repeat(201) }).message).toMatch(/^license: value longer than 200/);
    expect(rejection({ tools: 'drill\u0000' }).message).toMatch(/^tools: control characters/);
  });
});

describe('parseSearchQuery refuses shapes it did not ask for', () => {
  it('accepts 20 values for one facet and refuses 21, repeated or comma-separated', () => {
    const twenty = Array.from({ length: 20 }, (_, i) => `R${i}`);
    expect(parseSearchQuery({ region: twenty }).filters.region).toHaveLength(20);
    expect(parseSearchQuery({ region: twenty.join(',') }).filters.region).toHaveLength(20);
    for (const params of [{ region: [...twenty, 'X'] }, { region: [...twenty, 'X'].join(',') }, { license: Array(21).fill('MIT') }]) {
      const e = rejection(params);
      expect(e.code).toBe('INVALID_REQUEST');
      expect(e.message).toMatch(/^(region|license): at most 20 values \(got 21\)$/);
      expect(e.details).toMatchObject({ param: Object.keys(params)[0] });
    }
  });

  it.each([
    ['q', { q: { a: '1' } }],
    ['page', { page: { x: '2' } }],
    ['sort', { sort: ['updated', { a: 'b' }] }],
    ['license', { license: { a: 'MIT' } }],
    ['tools', { tools: [['drill']] }],
    ['certified', { certified: { '': 'true' } }],
  ])('%s given as a mapping or nested list → 400 naming it', (param, params) => {
    const e = rejection(params);
    expect(e.code).toBe('INVALID_REQUEST');
    expect(e.message).toBe(`${param}: must be given as ${param}=value, not as a list or mapping (${param}[…]=…)`);
    expect(e.details).toEqual({ param });
  });

  it('does not read parameters from the prototype chain', () => {
    expect(parseSearchQuery(Object.create({ q: { evil: true } }) as Record<string, unknown>).text).toBe('');
  });
});

describe('exactNameOf', () => {
  it('recognises owner/name and owner/name@version, case-insensitively', () => {
    expect(exactNameOf('ose/power-cube')).toEqual({ package: 'ose/power-cube', id: 'ose--power-cube' });
    expect(exactNameOf(' OSE/Power-Cube@2.0.0-rc.1 ')).toEqual({ package: 'ose/power-cube', id: 'ose--power-cube', version: '2.0.0-rc.1' });
  });

  it('ignores anything else', () => {
    for (const t of ['power cube', 'ose/', '/power-cube', 'ose/power--cube', 'a/b/c', 'ose/power-cube extra']) expect(exactNameOf(t)).toBeUndefined();
  });
});
