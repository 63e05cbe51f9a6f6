/**
 * The SearchIndex contract: every engine must behave like this on the same documents.
 * Used by embedded.test.ts and meili-fake.test.ts (always) and meili.test.ts (when MEILI_HOST is
 * set: a real Meilisearch). Written against observable behaviour only, so it passes unchanged
 * against a real server.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SearchDocument } from '../../../server/domain/search-document.ts';
import type { SearchIndex } from '../../../server/search/port.ts';
import { FACETS } from '../../../server/domain/search-query.ts';
import { browseOrder, expectedFacets, ids, idsOf, q, sortedIds } from './contract-helpers.ts';
import {
  AQ_SENSOR,
  CEB_PRESS,
  CNC_ROUTER,
  FIXTURES,
  LASER_BOX,
  LIFETRAC,
  MENDEL,
  MICROSCOPE,
  PI_CASE,
  POWER_CUBE,
} from './fixtures.ts';

export function runSearchContract(name: string, makeIndex: () => Promise<SearchIndex>): void {
  describe(`SearchIndex contract: ${name}`, () => {
    let index: SearchIndex;

    beforeEach(async () => {
      index = await makeIndex();
      await index.init();
      await index.replaceAll(FIXTURES);
    });

    afterEach(async () => {
      await index.close();
    });

    describe('free text', () => {
      it('finds the tractor despite a typo ("tractr")', async () => {
        const r = await index.search(q({ text: 'tractr' }));
        expect(ids(r)[0]).toBe(LIFETRAC.id);
      });

      it('matches the last word by prefix and ranks title/keyword matches first ("ceb pres")', async () => {
        const r = await index.search(q({ text: 'ceb pres' }));
        expect(ids(r)[0]).toBe(CEB_PRESS.id);
        // The Power Cube mentions "the CEB press" only in its function text.
        expect(ids(r)).toContain(POWER_CUBE.id);
      });

      it('matches by prefix ("microsc")', async () => {
        const r = await index.search(q({ text: 'microsc' }));
        expect(ids(r)[0]).toBe(MICROSCOPE.id);
      });

      it('requires every word to match', async () => {
        const r = await index.search(q({ text: 'tractor microscope' }));
        expect(r.total).toBe(0);
        expect(r.hits).toEqual([]);
      });

      it('finds designs by part number, without typo tolerance on part numbers', async () => {
        expect(ids(await index.search(q({ text: 'SPS30' })))).toEqual([AQ_SENSOR.id]);
        expect(ids(await index.search(q({ text: 'SPS31' })))).not.toContain(AQ_SENSOR.id);
      });

      it('returns whole documents as hits', async () => {
        const r = await index.search(q({ text: 'hydraulic power unit' }));
        expect(r.hits[0]?.id).toBe(POWER_CUBE.id);
        const { score, ...doc } = r.hits[0]!;
        expect(score === undefined || typeof score === 'number').toBe(true);
        expect(doc).toEqual(POWER_CUBE);
      });

      it('treats quotes and filter syntax in the text as plain words', async () => {
        const r = await index.search(q({ text: 'MIT" OR category EXISTS' }));
        expect(r.total).toBe(0);
      });

      // Query syntax parity: Meilisearch reads `"…"` as a phrase and a leading `-word` as "without
      // this word"; neither is our syntax, so both engines read plain words (README, Search).
      it('a leading - is no exclusion: `-laser case` finds the designs with both words', async () => {
        const r = await index.search(q({ text: '-laser case' }));
        expect(sortedIds(r)).toEqual(idsOf(LASER_BOX, PI_CASE));
      });

      it('quotes are no phrase: `"case laser"` finds the designs with both words, in any order', async () => {
        const r = await index.search(q({ text: '"case laser"' }));
        expect(sortedIds(r)).toEqual(idsOf(LASER_BOX, PI_CASE));
      });

      it('more than 10 words is refused (Meilisearch would silently ignore the rest), 10 are fine', async () => {
        const ten = 'case laser plywood raspberry pi finger jointed fan mount enclosure';
        expect(ids(await index.search(q({ text: ten })))).toEqual([LASER_BOX.id]);
        await expect(index.search(q({ text: `${ten} zzzz qqqq` }))).rejects.toMatchObject({
          code: 'INVALID_REQUEST',
          details: { param: 'q', limit: 10 },
        });
      });
    });

    describe('empty query', () => {
      it('returns every design in browse order (updated desc)', async () => {
        const r = await index.search(q({ limit: 100 }));
        expect(ids(r)).toEqual(browseOrder(FIXTURES));
        expect(r.total).toBe(FIXTURES.length);
        expect(r.page).toBe(1);
        expect(r.limit).toBe(100);
      });
    });

    describe('filters', () => {
      it('license: any of the given SPDX ids', async () => {
        const r = await index.search(q({ filters: { license: ['CERN-OHL-P-2.0'] } }));
        expect(sortedIds(r)).toEqual(idsOf(LASER_BOX, CNC_ROUTER));
        const r2 = await index.search(q({ filters: { license: ['CC0-1.0', 'Apache-2.0'] } }));
        expect(sortedIds(r2)).toEqual(idsOf(PI_CASE, AQ_SENSOR));
      });

      it('licenseFamily', async () => {
        const r = await index.search(q({ filters: { licenseFamily: ['permissive', 'public-domain'] } }));
        expect(sortedIds(r)).toEqual(idsOf(LASER_BOX, CNC_ROUTER, PI_CASE));
      });

      it('category matches primary and additional categories', async () => {
        expect(sortedIds(await index.search(q({ filters: { category: ['Agriculture'] } })))).toEqual(idsOf(LIFETRAC, CEB_PRESS));
        expect(sortedIds(await index.search(q({ filters: { category: ['IOT'] } })))).toEqual(idsOf(AQ_SENSOR));
      });

      it('process: designs using any of the processes', async () => {
        const r = await index.search(q({ filters: { process: ['WEL'] } }));
        expect(sortedIds(r)).toEqual(idsOf(CEB_PRESS, LIFETRAC, POWER_CUBE));
      });

      it('maturity, including the derived ODRL-3*', async () => {
        expect(sortedIds(await index.search(q({ filters: { maturity: ['ODRL-3*'] } })))).toEqual(idsOf(CEB_PRESS, AQ_SENSOR, MICROSCOPE));
        expect(sortedIds(await index.search(q({ filters: { maturity: ['ODRL-3'] } })))).toEqual(idsOf(POWER_CUBE, LASER_BOX));
        expect(sortedIds(await index.search(q({ filters: { maturity: ['OTRL-6'] } })))).toEqual(idsOf(MENDEL, LASER_BOX, MICROSCOPE));
      });

      it('region of supplier offers', async () => {
        expect(sortedIds(await index.search(q({ filters: { region: ['WORLD'] } })))).toEqual(idsOf(MENDEL, CNC_ROUTER));
      });

      it('certified true / false', async () => {
        expect(sortedIds(await index.search(q({ filters: { certified: true } })))).toEqual(idsOf(CEB_PRESS, AQ_SENSOR, MICROSCOPE));
        const r = await index.search(q({ filters: { certified: false } }));
        expect(r.total).toBe(FIXTURES.length - 3);
      });

      it('combines filters with AND and text', async () => {
        const r = await index.search(q({ text: 'case', filters: { license: ['CERN-OHL-P-2.0'], category: ['Enclosure'] } }));
        expect(ids(r)).toEqual([LASER_BOX.id]);
      });

      it('compares filter values case-insensitively', async () => {
        const r = await index.search(q({ filters: { license: ['cern-ohl-p-2.0'], region: ['world'] } }));
        expect(ids(r)).toEqual([CNC_ROUTER.id]);
      });
    });

    describe('can make (processes ⊆ the producer’s set)', () => {
      it('canMake=3DP,LAS,ASM returns only designs whose processes are all in the set', async () => {
        const r = await index.search(q({ filters: { canMake: ['3DP', 'LAS', 'ASM'] } }));
        expect(sortedIds(r)).toEqual(idsOf(MICROSCOPE, LASER_BOX, PI_CASE));
        for (const h of r.hits) expect(h.processes.every((p) => ['3DP', 'LAS', 'ASM'].includes(p))).toBe(true);
      });

      it('a superset of a design’s processes still matches it; a missing one excludes it', async () => {
        const r = await index.search(q({ filters: { canMake: ['3DP', 'ASM', 'CIR', 'PCB'] } }));
        expect(sortedIds(r)).toEqual(idsOf(MICROSCOPE, MENDEL, AQ_SENSOR));
      });

      it('all process codes match every design', async () => {
        const all = ['ASM', 'MEC', 'CIR', 'PCB', 'WEL', '3DP', 'LAS', 'CNC', 'CST', 'WOD', 'TEX', 'CER'] as const;
        const r = await index.search(q({ filters: { canMake: [...all] }, limit: 100 }));
        expect(r.total).toBe(FIXTURES.length);
      });

      it('tools: designs whose tools are all in the set (case-insensitive)', async () => {
        const r = await index.search(q({ filters: { tools: ['Soldering Iron', 'screwdriver set'] } }));
        expect(sortedIds(r)).toEqual(idsOf(MENDEL, AQ_SENSOR, MICROSCOPE));
      });

      it('tools: correct for any number of distinct tools, more than a facet lists (2,000)', async () => {
        // 2,000 tools used twice each, and one used once: a vocabulary read from a capped facet
        // (most frequent first) would miss the rare one and count its design as makeable.
        const doc = (name: string, tool: string): SearchDocument => ({ ...PI_CASE, id: `tools--${name}`, package: `tools/${name}`, name, owner: 'tools', tools: [tool] });
        const docs = Array.from({ length: 4000 }, (_, j) => doc(`${j % 2 ? 'b' : 'a'}${j >> 1}`, `tool ${j >> 1}`));
        await index.replaceAll([...docs, doc('rare', 'rare lathe')]);
        expect(sortedIds(await index.search(q({ filters: { tools: ['tool 7'] } })))).toEqual(['tools--a7', 'tools--b7']);
        expect(ids(await index.search(q({ filters: { tools: ['Rare Lathe'] } })))).toEqual(['tools--rare']);
      }, 60_000);

      it('facility: designs needing at most that level; unknown levels never match', async () => {
        expect(sortedIds(await index.search(q({ filters: { facility: 'apartment' } })))).toEqual(idsOf(MENDEL, AQ_SENSOR, MICROSCOPE));
        expect(sortedIds(await index.search(q({ filters: { facility: 'garage' } })))).toEqual(
          idsOf(MENDEL, AQ_SENSOR, MICROSCOPE, POWER_CUBE, LASER_BOX, CNC_ROUTER),
        );
        const factory = await index.search(q({ filters: { facility: 'factory' } }));
        expect(factory.total).toBe(FIXTURES.length - 1);
        expect(ids(factory)).not.toContain(PI_CASE.id);
      });

      it('combines canMake with facility and certified', async () => {
        const r = await index.search(q({ filters: { canMake: ['3DP', 'ASM', 'CIR', 'PCB'], facility: 'apartment', certified: true } }));
        expect(sortedIds(r)).toEqual(idsOf(AQ_SENSOR, MICROSCOPE));
      });
    });

    describe('facets', () => {
      it('count every facet over the whole result set', async () => {
        const r = await index.search(q({ limit: 2 }));
        expect(r.hits).toHaveLength(2);
        expect(r.facets).toEqual(expectedFacets(FIXTURES));
      });

      it('count over the filtered result set, not just the page', async () => {
        const r = await index.search(q({ filters: { process: ['ASM'] }, limit: 1 }));
        const matching = FIXTURES.filter((d) => d.processes.includes('ASM'));
        expect(r.total).toBe(matching.length);
        expect(r.facets).toEqual(expectedFacets(matching));
      });

      it('count over text results', async () => {
        const r = await index.search(q({ text: 'case' }));
        expect(sortedIds(r)).toEqual(idsOf(LASER_BOX, PI_CASE));
        expect(r.facets).toEqual(expectedFacets([LASER_BOX, PI_CASE]));
      });

      it('are present (empty) when nothing matches', async () => {
        const r = await index.search(q({ text: 'zzzzqqq' }));
        expect(r.facets).toEqual(Object.fromEntries(FACETS.map((f) => [f, {}])));
      });
    });

    describe('sort and pagination', () => {
      it('sort=updated: newest first, also with text', async () => {
        expect(ids(await index.search(q({ sort: 'updated', limit: 100 })))).toEqual(browseOrder(FIXTURES));
        // By relevance the Pi case comes first ("case" in its title); an explicit sort must win over
        // relevance, not only break its ties (Meilisearch: `sort` before the relevance rules).
        expect(ids(await index.search(q({ text: 'case' })))).toEqual([PI_CASE.id, LASER_BOX.id]);
        const r = await index.search(q({ text: 'case', sort: 'updated' }));
        expect(ids(r)).toEqual([LASER_BOX.id, PI_CASE.id]);
      });

      it('sort=cost with text: cheapest first, whatever the relevance', async () => {
        expect(ids(await index.search(q({ text: 'print' })))[0]).toBe(MENDEL.id);
        const r = await index.search(q({ text: 'print', sort: 'cost' }));
        expect(ids(r)).toEqual(expect.arrayContaining([MENDEL.id, AQ_SENSOR.id, MICROSCOPE.id]));
        expect(ids(r)).toEqual([...r.hits].sort((a, b) => (a.costSort ?? Infinity) - (b.costSort ?? Infinity)).map((h) => h.id));
      });

      it('relevance ties are broken by updated desc, then id asc (not by insertion order)', async () => {
        const twin = (name: string): SearchDocument => ({ ...PI_CASE, id: `tie--${name}`, package: `tie/${name}`, name, owner: 'tie', title: 'Zebrawood twin', keywords: [] });
        await index.upsert([twin('bbb')]);
        await index.upsert([twin('aaa')]);
        expect(ids(await index.search(q({ text: 'zebrawood' })))).toEqual(['tie--aaa', 'tie--bbb']);
      });

      it('sort=cost: cheapest first, unpriced designs last', async () => {
        const r = await index.search(q({ sort: 'cost', limit: 100 }));
        expect(ids(r)).toEqual([PI_CASE, LASER_BOX, AQ_SENSOR, MICROSCOPE, MENDEL, POWER_CUBE, CEB_PRESS, LIFETRAC, CNC_ROUTER].map((d) => d.id));
      });

      it('page 2 continues where page 1 stopped', async () => {
        const all = browseOrder(FIXTURES);
        const p1 = await index.search(q({ limit: 4, page: 1 }));
        const p2 = await index.search(q({ limit: 4, page: 2 }));
        const p3 = await index.search(q({ limit: 4, page: 3 }));
        expect(ids(p1)).toEqual(all.slice(0, 4));
        expect(ids(p2)).toEqual(all.slice(4, 8));
        expect(ids(p3)).toEqual(all.slice(8));
        expect([p1.total, p2.total, p3.total]).toEqual([9, 9, 9]);
        expect(p2.page).toBe(2);
      });

      it('a page past the end is empty but keeps the total', async () => {
        const r = await index.search(q({ limit: 5, page: 3 }));
        expect(r.hits).toEqual([]);
        expect(r.total).toBe(FIXTURES.length);
      });
    });

    describe('exact name', () => {
      it('owner/name returns that design first', async () => {
        const r = await index.search(q({ text: 'ose/power-cube' }));
        expect(ids(r)[0]).toBe(POWER_CUBE.id);
        expect(ids(r).filter((id) => id === POWER_CUBE.id)).toHaveLength(1);
      });

      it('owner/name@version finds it by any non-yanked version', async () => {
        const r = await index.search(q({ text: 'ose/power-cube@1.0.0' }));
        expect(ids(r)[0]).toBe(POWER_CUBE.id);
        expect(r.total).toBe(1);
        const unknown = await index.search(q({ text: 'ose/power-cube@9.9.9' }));
        expect(ids(unknown)).not.toContain(POWER_CUBE.id);
      });

      it('is pinned first even when other designs match the words better, and counted once', async () => {
        // "acme/pi-case" also matches the laser box ("case", fork of acme/pi-case).
        const r = await index.search(q({ text: 'makers/laser-box', limit: 1 }));
        expect(ids(r)).toEqual([LASER_BOX.id]);
        const page2 = await index.search(q({ text: 'makers/laser-box', limit: 1, page: 2 }));
        expect(page2.total).toBe(r.total);
        expect(ids(page2)).not.toContain(LASER_BOX.id);
      });

      it('respects filters', async () => {
        const r = await index.search(q({ text: 'ose/power-cube', filters: { category: ['Electronics'] } }));
        expect(r.total).toBe(0);
      });
    });

    describe('writes', () => {
      it('upsert replaces a document with the same id', async () => {
        await index.upsert([{ ...LIFETRAC, title: 'LifeTrac 7 — orchard tractor', summary: 'Narrow tracked tractor.', keywords: ['orchard'], updatedAt: '2024-07-01T00:00:00.000Z', updatedAtTs: Date.parse('2024-07-01T00:00:00.000Z') }]);
        const r = await index.search(q({ text: 'orchard' }));
        expect(ids(r)).toEqual([LIFETRAC.id]);
        expect(r.hits[0]?.title).toBe('LifeTrac 7 — orchard tractor');
        const all = await index.search(q({ limit: 100 }));
        expect(all.total).toBe(FIXTURES.length);
        expect(ids(all)[0]).toBe(LIFETRAC.id);
        expect((await index.search(q({ text: 'skid' }))).total).toBe(0);
      });

      it('upsert adds new documents', async () => {
        const fork: SearchDocument = { ...POWER_CUBE, id: 'village--power-cube', package: 'village/power-cube', owner: 'village', forkOf: 'ose/power-cube', versions: ['2.0.1'], version: '2.0.1' };
        await index.upsert([fork]);
        const r = await index.search(q({ text: 'hydraulic power unit' }));
        expect(sortedIds(r)).toEqual([fork.id, POWER_CUBE.id].sort());
      });

      it('upsert of a yanked document removes it', async () => {
        await index.upsert([{ ...MENDEL, versions: [], yanked: true }]);
        expect((await index.search(q({ text: 'mendelmax' }))).total).toBe(0);
        expect((await index.search(q({ limit: 100 }))).total).toBe(FIXTURES.length - 1);
      });

      it('remove deletes by id (unknown ids are ignored)', async () => {
        await index.remove([CEB_PRESS.id, 'nobody--nothing']);
        expect(ids(await index.search(q({ text: 'ceb pres' })))).not.toContain(CEB_PRESS.id);
        expect((await index.search(q({ limit: 100 }))).total).toBe(FIXTURES.length - 1);
      });

      it('replaceAll leaves exactly the given documents', async () => {
        await index.replaceAll([MICROSCOPE, PI_CASE]);
        const r = await index.search(q({ limit: 100 }));
        expect(ids(r)).toEqual([MICROSCOPE.id, PI_CASE.id]);
        expect((await index.search(q({ text: 'tractr' }))).total).toBe(0);
      });
    });

    describe('hostile input', () => {
      it('a filter value with quotes is a literal: `MIT" OR category EXISTS` matches nothing, no error', async () => {
        const r = await index.search(q({ filters: { license: ['MIT" OR category EXISTS'] } }));
        expect(r.total).toBe(0);
        expect(r.hits).toEqual([]);
      });

      it('backslashes and brackets in values are literals too', async () => {
        const values = ['MIT\\', '\\"MIT', 'MIT"]', '"] OR licenses EXISTS OR x IN ["'];
        for (const v of values) {
          expect((await index.search(q({ filters: { license: [v], region: [v] } }))).total).toBe(0);
          expect((await index.search(q({ filters: { tools: [v] } }))).total).toBe(0);
        }
      });

      it('a literal value next to a real one still matches the real one', async () => {
        const r = await index.search(q({ filters: { license: ['MIT" OR category EXISTS', 'MIT'] } }));
        expect(ids(r)).toEqual([CNC_ROUTER.id]);
      });
    });

    describe('production network: built, builds, offers (issue 16)', () => {
      it('built=true finds designs with a successful build report; builds and offers are facets', async () => {
        await index.upsert([
          { ...CEB_PRESS, built: true, builds: '2-4', offerLevels: ['product', 'production'] },
          { ...MICROSCOPE, built: false, builds: 'none', offerLevels: ['product'] },
        ]);
        const r = await index.search(q({ filters: { built: true } }));
        expect(ids(r)).toEqual([CEB_PRESS.id]);
        expect(r.facets.builds).toEqual({ '2-4': 1 });
        expect(r.facets.offers).toEqual({ product: 1, production: 1 });
        expect(ids(await index.search(q({ filters: { built: false } })))).toEqual([MICROSCOPE.id]);
        expect((await index.search(q({ limit: 100 }))).facets.offers).toEqual({ product: 2, production: 1 });
      });
    });

    it('reports health', async () => {
      const h = await index.health();
      expect(h.ok).toBe(true);
      expect(h.engine).toBe(index.engine);
    });
  });
}
