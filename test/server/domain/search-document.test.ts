import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { BomLine, Manifest } from '../../../schema/types.ts';
import {
  FACILITY_UNKNOWN_RANK,
  buildSearchDocument,
  deriveOdrl,
  estimateCost,
  searchDocumentId,
} from '../../../server/domain/search-document.ts';

const offer = (currency: string, ...breaks: Array<[number, number]>) => ({
  supplier: 'Acme',
  currency,
  priceBreaks: breaks.map(([qty, price]) => ({ qty, price })),
});

function manifest(overrides: Partial<Manifest> = {}): Manifest {
  return {
    manifestVersion: '1',
    name: 'sensor-lab/air-quality-sensor',
    version: '2.1.0',
    title: 'Air quality sensor',
    summary: 'PM2.5 and CO2 monitor.',
    function: 'Measures air quality for citizen science.',
    keywords: ['air quality', ' co2 ', 'air quality'],
    category: { primary: 'Environmental', additional: ['IOT', 'Science'] },
    documentationLanguage: 'en',
    licensor: [{ name: 'Sensor Lab' }],
    license: { hardware: 'CERN-OHL-W-2.0', documentation: 'CC-BY-4.0', software: 'Apache-2.0 OR MIT' },
    maturity: { technology: 'OTRL-5', documentation: 'ODRL-3' },
    docs: { readme: 'README.md', sources: ['pcb/aq.kicad_pro'] },
    bom: [
      {
        id: 'pm', name: 'Particulate matter sensor', type: 'cots', quantity: 1, mpn: 'SPS30',
        alternatives: [{ mpn: 'PMS5003', compatibility: 'functional' }],
        offers: [offer('EUR', [10, 30], [1, 38.5]), offer('USD', [1, 40])],
      },
      { id: 'co2', name: 'CO2 sensor', type: 'cots', quantity: 1, mpn: 'SCD41', offers: [{ ...offer('EUR', [1, 49.9]), region: 'de' }] },
      { id: 'screw', name: 'M3 screw', type: 'cots', quantity: 4, offers: [{ ...offer('EUR', [1, 0.1]), region: 'EU' }] },
      { id: 'cable', name: 'USB cable', type: 'cots', quantity: 1, offers: [{ ...offer('USD', [1, 3]), region: 'US' }] },
      { id: 'dnp', name: 'Debug header', type: 'cots', quantity: 1, fitted: false, offers: [offer('EUR', [1, 100])] },
      { id: 'case', name: 'Printed housing', type: 'printed', quantity: 1, part: 'housing' },
    ],
    parts: [{ id: 'housing', name: 'Housing', processes: ['3DP'] }],
    production: { processes: ['PCB', 'ASM', 'CIR'], tools: ['Soldering  Iron', 'soldering iron', ' Hot-air station '], facilityLevel: 'apartment' },
    ...overrides,
  };
}

describe('buildSearchDocument', () => {
  it('derives every search field from the manifest', () => {
    const doc = buildSearchDocument({ manifest: manifest(), versions: ['2.0.0', '2.1.0'], updatedAt: '2024-04-15T07:15:00Z' });
    expect(doc).toEqual({
      id: 'sensor-lab--air-quality-sensor',
      package: 'sensor-lab/air-quality-sensor',
      owner: 'sensor-lab',
      name: 'air-quality-sensor',
      version: '2.1.0',
      versions: ['2.0.0', '2.1.0'],
      title: 'Air quality sensor',
      summary: 'PM2.5 and CO2 monitor.',
      function: 'Measures air quality for citizen science.',
      keywords: ['air quality', 'co2'],
      category: 'Environmental',
      categories: ['Environmental', 'IOT', 'Science'],
      licenses: ['CERN-OHL-W-2.0', 'CC-BY-4.0', 'Apache-2.0', 'MIT'],
      licenseFamily: 'weakly-reciprocal',
      processes: ['3DP', 'ASM', 'CIR', 'PCB'],
      tools: ['soldering iron', 'hot-air station'],
      facilityLevel: 'apartment',
      facilityRank: 0,
      otrl: 'OTRL-5',
      odrl: 'ODRL-3',
      maturity: ['OTRL-5', 'ODRL-3'],
      certified: false,
      built: false,
      builds: 'none',
      offerLevels: [],
      partNames: ['Particulate matter sensor', 'CO2 sensor', 'M3 screw', 'USB cable', 'Debug header', 'Printed housing', 'Housing'],
      mpns: ['SPS30', 'PMS5003', 'SCD41'],
      regions: ['DE', 'EU', 'US'],
      // EUR has 3 priced fitted lines (38.5 at qty 1 + 49.9 + 4 × 0.1), USD 1; the unfitted line is ignored.
      estimatedCost: { amount: 88.8, currency: 'EUR' },
      costSort: 88.8,
      updatedAt: '2024-04-15T07:15:00.000Z',
      updatedAtTs: Date.parse('2024-04-15T07:15:00Z'),
    });
  });

  it('counts successful builds into built and a builds bucket, and lists offered levels (issue 16)', () => {
    const doc = (n: number) => buildSearchDocument({ manifest: manifest(), versions: ['2.1.0'], updatedAt: '2024-01-01T00:00:00Z', successfulBuilds: n, offerLevels: ['production', 'product'] });
    expect([0, 1, 3, 5].map((n) => [doc(n).built, doc(n).builds])).toEqual([[false, 'none'], [true, '1'], [true, '2-4'], [true, '5+']]);
    expect(doc(1).offerLevels).toEqual(['product', 'production']);
  });

  it('a certified design gets ODRL-3* and certified=true', () => {
    const doc = buildSearchDocument({ manifest: manifest(), versions: ['2.1.0'], updatedAt: '2024-01-01T00:00:00Z', certification: { state: 'certified' } });
    expect(doc.certified).toBe(true);
    expect(doc.certification).toBe('certified');
    expect(doc.odrl).toBe('ODRL-3*');
    expect(doc.maturity).toEqual(['OTRL-5', 'ODRL-3*']);
  });

  it('other certification states do not certify', () => {
    for (const state of ['submitted', 'in-review', 'suspended', 'revoked', 'expired']) {
      const doc = buildSearchDocument({ manifest: manifest(), versions: ['2.1.0'], updatedAt: '2024-01-01T00:00:00Z', certification: { state } });
      expect(doc.certified).toBe(false);
      expect(doc.certification).toBe(state);
      expect(doc.odrl).toBe('ODRL-3');
    }
  });

  it('ODRL-3* derivation: certificate lifts an absent or lower claim, keeps ODRL-4', () => {
    expect(deriveOdrl(undefined, true)).toBe('ODRL-3*');
    expect(deriveOdrl('ODRL-1', true)).toBe('ODRL-3*');
    expect(deriveOdrl('ODRL-4', true)).toBe('ODRL-4');
    expect(deriveOdrl('ODRL-2', false)).toBe('ODRL-2');
    expect(deriveOdrl(undefined, false)).toBeUndefined();
  });

  it('lineage: forkOf from the registry state wins over the manifest', () => {
    const m = manifest({ forkOf: { package: 'ose/aq', version: '1.0.0' } });
    expect(buildSearchDocument({ manifest: m, versions: ['2.1.0'], updatedAt: '2024-01-01T00:00:00Z' }).forkOf).toBe('ose/aq');
    expect(buildSearchDocument({ manifest: m, versions: ['2.1.0'], updatedAt: '2024-01-01T00:00:00Z', forkOf: 'other/aq' }).forkOf).toBe('other/aq');
  });

  it('missing optional parts: no category, no facility level, no prices, software NONE', () => {
    const doc = buildSearchDocument({
      manifest: manifest({
        category: undefined as never,
        license: { hardware: 'CERN-OHL-P-2.0', documentation: 'CC-BY-4.0', software: 'NONE' },
        maturity: undefined as never,
        bom: [{ id: 'x', name: 'Plywood', type: 'raw', quantity: 1 }],
        parts: undefined as never,
        production: { processes: ['LAS'] },
      }),
      versions: ['1.0.0'],
      owner: 'Makers',
      updatedAt: '2024-01-01T00:00:00Z',
    });
    expect(doc.category).toBeUndefined();
    expect(doc.categories).toEqual([]);
    expect(doc.licenses).toEqual(['CERN-OHL-P-2.0', 'CC-BY-4.0']);
    expect(doc.licenseFamily).toBe('permissive');
    expect(doc.facilityLevel).toBeUndefined();
    expect(doc.facilityRank).toBe(FACILITY_UNKNOWN_RANK);
    expect(doc.maturity).toEqual([]);
    expect(doc.estimatedCost).toBeUndefined();
    expect(doc.costSort).toBeUndefined();
    expect(doc.tools).toEqual([]);
    expect(doc.owner).toBe('makers');
    expect('yanked' in doc).toBe(false);
  });

  it('no non-yanked versions → yanked: true (engines remove it on upsert)', () => {
    expect(buildSearchDocument({ manifest: manifest(), versions: [], updatedAt: '2024-01-01T00:00:00Z' }).yanked).toBe(true);
  });

  it('rejects an unreadable updatedAt', () => {
    expect(() => buildSearchDocument({ manifest: manifest(), versions: ['2.1.0'], updatedAt: 'yesterday' })).toThrow(/updatedAt/);
  });

  it('searchDocumentId uses `--` (Meilisearch ids allow [A-Za-z0-9_-])', () => {
    expect(searchDocumentId('OSE/power-cube')).toBe('ose--power-cube');
  });
});

describe('estimateCost', () => {
  const line = (quantity: number, ...offers: BomLine['offers'] & object): BomLine => ({ id: 'l', name: 'l', type: 'cots', quantity, offers });

  it('uses the lowest-quantity break of the first offer, times quantity', () => {
    expect(estimateCost([line(3, offer('EUR', [100, 1], [1, 2.5], [10, 2]), offer('EUR', [1, 0.01]))])).toEqual({ amount: 7.5, currency: 'EUR' });
  });

  it('picks the currency with most priced lines; ties → larger sum', () => {
    expect(estimateCost([line(1, offer('USD', [1, 5])), line(1, offer('USD', [1, 5])), line(1, offer('EUR', [1, 500]))])).toEqual({ amount: 10, currency: 'USD' });
    expect(estimateCost([line(1, offer('USD', [1, 5])), line(1, offer('EUR', [1, 6]))])).toEqual({ amount: 6, currency: 'EUR' });
  });

  it('undefined without any price', () => {
    expect(estimateCost([])).toBeUndefined();
    expect(estimateCost([line(1), line(2, offer('EUR'))])).toBeUndefined();
  });

  it('rounds to cents', () => {
    expect(estimateCost([line(3, offer('EUR', [1, 0.1]))])).toEqual({ amount: 0.3, currency: 'EUR' });
  });
});

describe('real designs in designs/', () => {
  const load = (dir: string): Manifest => parseYaml(readFileSync(new URL(`../../../designs/${dir}/design.yaml`, import.meta.url), 'utf8')) as Manifest;

  it.each(['ose--power-cube', 'ose--lifetrac', 'ose--liberator-ceb-press', 'fablab--laser-cut-enclosure', 'sensor-lab--air-quality-sensor'])(
    '%s builds a document whose fields come from its manifest',
    (dir) => {
      const m = load(dir);
      const doc = buildSearchDocument({ manifest: m, versions: [m.version], updatedAt: '2024-01-01T00:00:00Z' });
      expect(doc.id).toBe(dir);
      expect(doc.title).toBe(m.title);
      expect(doc.processes).toEqual(expect.arrayContaining(m.production.processes));
      expect(doc.licenses.length).toBeGreaterThan(0);
      expect(doc.licenseFamily).not.toBe('unknown');
      expect(doc.partNames.length).toBeGreaterThan(0);
      if (doc.estimatedCost) expect(doc.estimatedCost.amount).toBeGreaterThan(0);
    },
  );
});
