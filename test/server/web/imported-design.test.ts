/**
 * An imported design's page says where it came from, names the original licensor and shows the
 * sections its source did not provide as missing, never as invented data.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../schema/archive.ts';
import { importRecord, TABLES } from '../../../schema/interop/index.ts';
import { makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
const record = {
  oshwaUid: 'US002024', responsibleParty: 'Grace Hopper', projectName: 'Bench power supply', projectVersion: '2.0',
  projectDescription: 'A linear bench supply, 0-30 V.', primaryType: 'Electronics',
  hardwareLicense: 'CERN-OHL-S-2.0', documentationLicense: 'CC-BY-4.0', softwareLicense: 'No software', documentationUrl: 'https://example.org/psu',
};

beforeAll(async () => {
  reg = await makeRegistry();
  const alice = await reg.account('alice');
  const o = importRecord(TABLES.oshwa, record, { owner: 'alice', today: '2026-02-01', fallbackId: 'x', sourceBytes: new TextEncoder().encode(JSON.stringify(record)), sourceExt: 'json' });
  if (o.status !== 'accepted') throw new Error(JSON.stringify(o.issues));
  expect((await publish(reg.app, alice, o.design.name, '2.0.0', await writeArchive(o.design.files))).status).toBe(201);
});
afterAll(() => reg.cleanup());

describe('the page of an imported design', () => {
  it('names the source, the record and the original licensor, and marks what the source did not provide', async () => {
    const res = await request(reg.app).get('/designs/alice/bench-power-supply-us002024');
    expect(res.status).toBe(200);
    const text = res.text.replace(/\s+/g, ' ');
    expect(text).toContain('<h2 id="prov-h">Imported</h2>');
    expect(text).toMatch(/Imported on 2026-02-01 from the OSHWA certification directory \(record US002024\)/);
    expect(text).toContain('Original licensor: Grace Hopper.');
    // The source's page, marked as user content.
    expect(text).toContain('<a href="https://certification.oshwa.org/us002024.html" rel="nofollow ugc noopener noreferrer">');
    expect(text).toMatch(/Not provided by the source: [^<]*Bill of materials/);
    expect(text).toMatch(/Not provided<\/strong> by the source/);
    // No BOM table or process list is invented for it.
    expect(text).not.toContain('Download BOM CSV');
    expect(text).not.toContain('<dt>Processes</dt>');
  });
});
