/**
 * Killing the server (SIGKILL) while it takes production writes loses no acknowledged record:
 * every pledge, facility profile and build report that was answered 2xx is there after a restart,
 * and index.git is intact.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { designArchive } from '../helpers/registry.ts';
import { startServer, type RunningServer } from '../helpers/processes.ts';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-prod-crash-'));
let server: RunningServer | undefined;
afterAll(async () => {
  await server?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const start = () => startServer({ OHW_DATA: dataDir, OHW_SEED: '0' });

async function call(method: string, url: string, token: string, body?: unknown, type = 'application/json') {
  const res = await fetch(url, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': type },
    body: body === undefined ? undefined : type === 'application/json' ? JSON.stringify(body) : new Uint8Array(body as Buffer),
  });
  return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
}

interface Acked { pledges: string[]; facilities: string[]; builds: number }

/** Fire writes in parallel streams until `after` are acknowledged, then SIGKILL the server. */
async function writeAndKill(s: RunningServer, token: string, round: number, after: number): Promise<Acked> {
  const acked: Acked = { pledges: [], facilities: [], builds: 0 };
  let count = 0;
  let killed = false;
  const exited = new Promise((r) => s.child.once('exit', r));
  let scheduled = false;
  // The kill comes once `after` writes are acknowledged and at least one of them is a build report
  // (a report goes through git and takes longer than a pledge: without this the kill could come
  // before any report, and the run would test only the database writes).
  const ack = () => {
    count += 1;
    if (scheduled || count < after || acked.builds === 0) return;
    scheduled = true;
    setTimeout(() => { killed = true; s.child.kill('SIGKILL'); }, Math.floor(Math.random() * 30));
  };
  const stream = async (kind: 'pledge' | 'profile' | 'build') => {
    for (let i = 0; !killed && i < 40; i++) {
      try {
        if (kind === 'pledge') {
          const region = `DE-${round}${String(i).padStart(2, '0')}`;
          const r = await call('POST', `${s.url}/api/v1/designs/alice/stool/pledges`, token, { region, quantity: 1 + i });
          if (r.status === 201) { acked.pledges.push(r.body!.id as string); ack(); }
        } else if (kind === 'profile' && i < 6) {
          const facility = `r${round}f${i}`;
          const r = await call('PUT', `${s.url}/api/v1/producers/alice/${facility}`, token, { name: facility, location: { country: 'DE' }, facilityLevel: 'garage', processes: ['ASM'] });
          if (r.status === 201) { acked.facilities.push(facility); ack(); }
        } else if (kind === 'build') {
          const r = await call('POST', `${s.url}/api/v1/designs/alice/stool/versions/1.0.0/builds`, token, { outcome: 'works', region: 'DE-BE', notes: `round ${round} #${i}` });
          if (r.status === 201) { acked.builds += 1; ack(); }
        }
      } catch {
        return; // the connection died with the server
      }
    }
  };
  await Promise.all([stream('pledge'), stream('profile'), stream('build')]);
  if (!killed) s.child.kill('SIGKILL');
  await exited;
  return acked;
}

describe('a crash during production writes', () => {
  it('keeps every acknowledged pledge, profile and build report', async () => {
    server = await start();
    const reg = await fetch(`${server.url}/api/v1/accounts`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'alice', email: 'alice@example.org', password: 'a long enough password' }) });
    const token = ((await reg.json()) as { token: string }).token;
    const pub = await call('PUT', `${server.url}/api/v1/designs/alice/stool/versions/1.0.0`, token, await designArchive('alice/stool', '1.0.0'), 'application/gzip');
    expect(pub.status).toBe(201);

    const all: Acked = { pledges: [], facilities: [], builds: 0 };
    for (let round = 1; round <= 2; round++) {
      const acked = await writeAndKill(server, token, round, 6 + 3 * round);
      all.pledges.push(...acked.pledges);
      all.facilities.push(...acked.facilities);
      all.builds += acked.builds;
      server = await start();
    }
    expect(all.pledges.length + all.facilities.length + all.builds).toBeGreaterThanOrEqual(15);

    const pledges = (await call('GET', `${server.url}/api/v1/pledges`, token)).body!.pledges as Array<{ id: string }>;
    expect(pledges.map((p) => p.id)).toEqual(expect.arrayContaining(all.pledges));
    const facilities = (await call('GET', `${server.url}/api/v1/producers?account=alice`, token)).body!.producers as Array<{ facility: string }>;
    expect(facilities.map((f) => f.facility)).toEqual(expect.arrayContaining(all.facilities));
    const builds = (await call('GET', `${server.url}/api/v1/designs/alice/stool/versions/1.0.0/builds`, token)).body!;
    expect((builds.reports as unknown[]).length).toBeGreaterThanOrEqual(all.builds);
    // The design read caught up with git (derived state repaired at start).
    const design = (await call('GET', `${server.url}/api/v1/designs/alice/stool`, token)).body as { production: { builds: { builds: number } } };
    expect(design.production.builds.builds).toBe((builds.reports as unknown[]).length);
    execFileSync('git', ['-C', path.join(dataDir, 'index.git'), 'fsck', '--full', '--no-dangling'], { stdio: 'pipe' });
  }, 300_000);
});
