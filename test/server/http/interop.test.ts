/**
 * SPEC §8 on the server: the okh.toml of a version (OKH-LOSH, schema-valid), an imported design
 * marked as imported with its source and licensor, and delisting by an admin (hidden from search,
 * kept in git and downloadable), refused for anyone else with nothing changed.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseToml } from 'smol-toml';
import { writeArchive } from '../../../schema/archive.ts';
import { importRecord, TABLES } from '../../../schema/interop/index.ts';
import { ensureAdmin } from '../../../server/store/accounts/ensure-admin.ts';
import { designArchive, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';
import { okhLoshErrors } from '../../schema/interop/okh-losh-validator.ts';

let reg: TestRegistry;
let alice: string;
const admin = `ohw_admin-test_${'y'.repeat(43)}`;
const api = () => request(reg.app);

const record = {
  oshwaUid: 'DE000777', responsibleParty: 'Ada Lovelace', projectName: 'Quiet fan controller', projectVersion: '1.1',
  projectDescription: 'A fan controller that keeps a workshop quiet. It reads two thermistors.', primaryType: 'Electronics',
  hardwareLicense: 'TAPR', documentationLicense: 'CC-BY-SA-4.0', softwareLicense: 'No software', documentationUrl: 'https://example.org/fan',
};

beforeAll(async () => {
  reg = await makeRegistry();
  alice = await reg.account('alice');
  await ensureAdmin(reg.deps.accounts, { dataDir: reg.dataDir, adminToken: admin, log: () => {} });
  expect((await publish(reg.app, alice, 'alice/lamp', '1.0.0', await designArchive('alice/lamp', '1.0.0'))).status).toBe(201);
  const o = importRecord(TABLES.oshwa, record, { owner: 'alice', today: '2026-01-15', fallbackId: 'x', sourceBytes: new TextEncoder().encode(JSON.stringify(record)), sourceExt: 'json' });
  if (o.status !== 'accepted') throw new Error(JSON.stringify(o.issues));
  const res = await publish(reg.app, alice, o.design.name, '1.1.0', await writeArchive(o.design.files));
  expect(res.status).toBe(201);
});
afterAll(() => reg.cleanup());

const FAN = 'alice/quiet-fan-controller-de000777';

describe('GET …/versions/:version/okh.toml', () => {
  it('serves a registry design as OKH-LOSH TOML that the OKH-LOSH schema accepts, its page as repo', async () => {
    const res = await api().get('/api/v1/designs/alice/lamp/versions/1.0.0/okh.toml');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/toml/);
    const doc = parseToml(res.text);
    expect(okhLoshErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({ okhv: 'OKH-LOSHv1.0', name: 'Test alice/lamp', version: '1.0.0', license: 'CERN-OHL-S-2.0', licensor: ['alice'] });
    expect(doc.repo).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/designs\/alice\/lamp$/);
    expect(doc.tsdc).toEqual(['ASM', '3DP']);
  });

  it('serves an imported design with the repository its source named', async () => {
    const res = await api().get(`/api/v1/designs/${FAN}/versions/1.1.0/okh.toml`).expect(200);
    const doc = parseToml(res.text);
    expect(okhLoshErrors(doc)).toEqual([]);
    expect(doc).toMatchObject({ name: 'Quiet fan controller', license: 'TAPR-OHL-1.0', licensor: ['Ada Lovelace'], repo: 'https://example.org/fan' });
  });

  it('answers 404 for an unknown version or design', async () => {
    expect((await api().get('/api/v1/designs/alice/lamp/versions/9.9.9/okh.toml')).status).toBe(404);
    expect((await api().get('/api/v1/designs/alice/nothing/versions/1.0.0/okh.toml')).status).toBe(404);
  });
});

describe('imported designs are marked as imported', () => {
  it('the design read names the source, the record and the licensor', async () => {
    const res = await api().get(`/api/v1/designs/${FAN}`).expect(200);
    expect(res.body.imported).toEqual({
      format: 'oshwa', sourceUrl: 'https://certification.oshwa.org/de000777.html', sourceId: 'DE000777', licensor: ['Ada Lovelace'],
      originalLicenses: { hardware: 'TAPR', documentation: 'CC-BY-SA-4.0', software: 'No software' }, importedAt: '2026-01-15',
    });
    expect((await api().get('/api/v1/designs/alice/lamp')).body.imported).toBeNull();
  });
});

describe('delisting at the licensor\'s request', () => {
  const found = async () => ((await api().get('/api/v1/search?q=quiet+fan')).body.hits as Array<{ package: string }>).map((h) => h.package);

  it('is refused to an owner without admin powers, and nothing changes', async () => {
    expect(await found()).toContain(FAN);
    const res = await api().post(`/api/v1/designs/${FAN}/delist`).set('Authorization', `Bearer ${alice}`).send({ reason: 'asked' });
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('FORBIDDEN');
    expect((await reg.deps.designs.state(FAN)).delisted).toBeUndefined();
    expect(await found()).toContain(FAN);
    expect((await api().post(`/api/v1/designs/${FAN}/delist`).send({})).status).toBe(401);
  });

  it('hides the design from search; it stays in git and downloadable; relisting brings it back', async () => {
    const res = await api().post(`/api/v1/designs/${FAN}/delist`).set('Authorization', `Bearer ${admin}`).send({ reason: 'the licensor asked on 2026-01-20' });
    expect(res.status).toBe(200);
    expect(res.body.delisted).toMatchObject({ by: expect.any(String), reason: 'the licensor asked on 2026-01-20' });
    expect(await found()).not.toContain(FAN);
    expect((await api().get('/accounts/alice')).text).not.toContain('quiet-fan-controller');
    expect((await api().get(`/api/v1/designs/${FAN}`)).body.delisted).toMatchObject({ reason: 'the licensor asked on 2026-01-20' });
    expect((await api().get(`/api/v1/designs/${FAN}/versions/1.1.0/archive`)).status).toBe(200);

    await api().delete(`/api/v1/designs/${FAN}/delist`).set('Authorization', `Bearer ${admin}`).expect(200);
    expect((await reg.deps.designs.state(FAN)).delisted).toBeUndefined();
    expect(await found()).toContain(FAN);
    expect((await api().get('/accounts/alice')).text).toContain('quiet-fan-controller');
  });

  it('refuses a reason that is not one short line, with nothing stored', async () => {
    const res = await api().post(`/api/v1/designs/${FAN}/delist`).set('Authorization', `Bearer ${admin}`).send({ reason: 'a\nb' });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('"reason" must be one line');
    expect((await reg.deps.designs.state(FAN)).delisted).toBeUndefined();
  });
});
