/**
 * Issue 16's "Done when", end to end: the real server (examples seeded, loopback port) and the
 * real `ohw` CLI as child processes, one home (config, token) per person.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startServer, type RunningServer } from '../helpers/processes.ts';

let server: RunningServer;
const homes: Record<string, string> = {};
const CEB = 'ose/liberator-ceb-press';

function ohw(who: string, args: string[]) {
  return runCli(args, { env: { HOME: homes[who]!, XDG_CONFIG_HOME: path.join(homes[who]!, '.config'), OHW_REGISTRY: server.url } });
}
async function ok(who: string, args: string[]): Promise<string> {
  const r = await ohw(who, args);
  expect(r.code, `ohw ${args.join(' ')}\n${r.stderr}${r.stdout}`).toBe(0);
  return r.stdout;
}
const json = async <T>(who: string, args: string[]): Promise<T> => JSON.parse(await ok(who, [...args, '--json'])) as T;

const PEOPLE = ['berlinlab', 'potsdamgarage', 'munichworks', 'p1', 'p2', 'p3', 'p4', 'p5'];

beforeAll(async () => {
  server = await startServer();
  for (const who of PEOPLE) {
    homes[who] = fs.mkdtempSync(path.join(os.tmpdir(), `ohw-home-${who}-`));
    await ok(who, ['register', '--name', who, '--email', `${who}@example.org`, '--password', 'a long enough password']);
  }
}, 180_000);

afterAll(async () => {
  await server?.stop();
  for (const d of [...Object.values(homes), server?.dataDir]) if (d) fs.rmSync(d, { recursive: true, force: true });
});

const tools = ['CNC torch table', 'MIG welder 250 A', 'Magnetic drill', 'Angle grinder and flap discs', 'Hydraulic hose crimper', 'Multimeter', 'Soldering iron'];
const toolFlags = tools.flatMap((t) => ['--tool', t]);

describe('manufacture local, with the CLI', { timeout: 300_000 }, () => {
  it('three producers in different regions with different processes set their profiles', async () => {
    const out = await ok('berlinlab', ['producer', 'set', 'wedding', '--name', 'Berlin Metal Lab', '--country', 'DE', '--region', 'DE-BE',
      '--lat', '52.55', '--lon', '13.36', '--level', 'campus', '--processes', 'WEL,MEC,CNC,CIR,ASM', ...toolFlags, '--envelope', '3000x2000x1500mm',
      '--contact-email', 'hello@berlinlab.example']);
    expect(out).toContain('berlinlab/wedding — Berlin Metal Lab');
    await ok('potsdamgarage', ['producer', 'set', 'garage', '--name', 'Potsdam Garage', '--country', 'DE', '--region', 'DE-BB',
      '--lat', '52.40', '--lon', '13.06', '--level', 'garage', '--processes', 'MEC,CNC,CIR,ASM', ...toolFlags]);
    await ok('munichworks', ['producer', 'set', 'works', '--name', 'Munich Works', '--country', 'DE', '--region', 'DE-BY',
      '--lat', '48.14', '--lon', '11.58', '--level', 'factory', '--processes', 'WEL,MEC,CNC,CIR,ASM,LAS', ...toolFlags, '--serves', 'DE,AT']);
    const shown = await json<{ producers: Array<{ facility: string; contact?: unknown }> }>('berlinlab', ['producer', 'show']);
    expect(shown.producers.map((p) => p.facility)).toEqual(['wedding']);
    expect(shown.producers[0]!.contact).toBeDefined();
    const other = await ok('p1', ['producer', 'show', 'berlinlab/wedding']);
    expect(other).not.toContain('hello@berlinlab.example');
  });

  it('a bad profile is refused naming the allowed values', async () => {
    const r = await ohw('p1', ['producer', 'set', 'shed', '--name', 'Shed', '--country', 'DE', '--level', 'shed', '--processes', 'WELD']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/allowed: ASM, MEC, CIR, PCB, WEL/);
    expect(r.stderr).toMatch(/allowed: apartment, garage, homestead, campus, factory/);
  });

  it('"who can make the CEB press near 52.52,13.40" ranks them and explains the misses', async () => {
    const res = await json<{ producers: Array<{ account: string; fit: string; distanceKm: number; reasons: string[] }> }>('p1', ['producers', '--near', '52.52,13.40', '--can-make', CEB]);
    expect(res.producers.map((p) => [p.account, p.fit])).toEqual([['berlinlab', 'full'], ['munichworks', 'full'], ['potsdamgarage', 'partial']]);
    expect(res.producers[0]!.distanceKm).toBeLessThan(10);
    expect(res.producers[2]!.reasons).toEqual(['lacks WEL', 'needs a homestead facility (has garage)']);
    const text = await ok('p1', ['producers', '--near', '52.52,13.40', '--can-make', CEB]);
    expect(text).toContain('lacks WEL');
    const info = await ok('p1', ['info', CEB]);
    expect(info).toMatch(/producers: .*DE-BE 1/);
  });

  it('pledges from five accounts aggregate per region, without names', async () => {
    await ok('p1', ['pledge', CEB, '--region', 'DE-BE', '--qty', '2', '--max-price', '5000', '--currency', 'USD']);
    await ok('p2', ['pledge', CEB, '--region', 'DE-BE', '--qty', '1', '--max-price', '4500', '--currency', 'USD', '--needed-by', '2027-05-01']);
    await ok('p3', ['pledge', CEB, '--region', 'DE-BE', '--qty', '3', '--max-price', '3000', '--currency', 'USD']);
    await ok('p4', ['pledge', CEB, '--region', 'DE-BY', '--qty', '1']);
    await ok('p5', ['pledge', CEB, '--region', 'DE-BE', '--qty', '1']);
    const second = await ohw('p1', ['pledge', `${CEB}@1.2.0`, '--region', 'DE-BE', '--qty', '0']);
    expect(second.code).not.toBe(0);
    const d = await json<{ regions: Array<{ region: string; pledgers: number; units: number; ceilings: Array<{ min: number; median: number; max: number }> }> }>('p1', ['demand', CEB]);
    expect(d.regions.map((r) => [r.region, r.pledgers, r.units])).toEqual([['DE-BE', 4, 7], ['DE-BY', 1, 1]]);
    expect(d.regions[0]!.ceilings[0]).toMatchObject({ min: 3000, median: 4500, max: 5000 });
    const text = await ok('p1', ['demand', CEB]);
    expect(text).not.toMatch(/p[1-5]\b/);
  });

  let runId = '';
  it('a run reaches funded when commitments reach its minimum; only its producer moves it on', async () => {
    const run = await json<{ id: string; state: string; eligibleUnits: number }>('berlinlab', ['run', 'open', `${CEB}@1.2.0`, '--region', 'DE-BE',
      '--min', '3', '--price', '4200', '--currency', 'USD', '--deadline', '2099-12-31', '--facility', 'wedding']);
    runId = run.id;
    expect(run).toMatchObject({ state: 'open', eligibleUnits: 4 });
    expect((await json<{ state: string }>('p1', ['run', 'commit', runId])).state).toBe('open');
    const low = await ohw('p3', ['run', 'commit', runId]);
    expect(low.code).toBe(1);
    expect(low.stderr).toContain('does not cover');
    const funded = await json<{ state: string; committedUnits: number }>('p2', ['run', 'commit', runId]);
    expect(funded).toMatchObject({ state: 'funded', committedUnits: 3 });
    const mine = await json<{ pledges: Array<{ runs: Array<{ id: string; committed: boolean }> }> }>('p2', ['pledges']);
    expect(mine.pledges[0]!.runs).toEqual([expect.objectContaining({ id: runId, committed: true })]);
    const notYours = await ohw('p1', ['run', 'advance', runId, 'start']);
    expect(notYours.code).toBe(1);
    const outOfOrder = await ohw('berlinlab', ['run', 'advance', runId, 'deliver']);
    expect(outOfOrder.code).toBe(1);
    expect(outOfOrder.stderr).toContain('cannot deliver');
    expect((await json<{ state: string }>('berlinlab', ['run', 'advance', runId, 'start'])).state).toBe('in-production');
  });

  it('a build report shows in search (built=true) and on the design read', async () => {
    const photo = path.join(homes.munichworks!, 'press.png');
    fs.writeFileSync(photo, Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(32, 7)]));
    const out = await ok('munichworks', ['build', 'report', `${CEB}@1.2.0`, '--outcome', 'works', '--region', 'DE-BY', '--level', 'factory',
      '--processes', 'WEL,MEC,CNC', '--hours', '64', '--cost', '3900', '--currency', 'USD', '--qc', 'chamber-dimensions=pass',
      '--measure', 'blocks-per-hour=310', '--photo', photo]);
    expect(out).toMatch(/build report 1 of ose\/liberator-ceb-press@1.2.0 recorded/);
    const search = await json<{ hits: Array<{ package: string }>; facets: { builds: Record<string, number> } }>('p1', ['search', '--built']);
    expect(search.hits.map((h) => h.package)).toEqual([CEB]);
    expect(search.facets.builds).toEqual({ '1': 1 });
    const canMake = await json<{ hits: Array<{ package: string }> }>('p1', ['search', '--producer', 'potsdamgarage', '--limit', '100']);
    expect(canMake.hits.map((h) => h.package)).not.toContain(CEB);
    const info = await ok('p1', ['info', CEB]);
    expect(info).toMatch(/builds: +1 \(1 successful, 100%\) in DE-BY/);
    expect(info).toMatch(/blocks-per-hour >= 300 blocks\/h: measured 310–310/);
    const list = await ok('p1', ['build', 'list', `${CEB}@1.2.0`]);
    expect(list).toContain('munichworks');
  });
});
