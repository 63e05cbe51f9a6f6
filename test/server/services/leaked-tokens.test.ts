/** A live token found in published content is revoked at publish, and the publisher told why. */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeArchive } from '../../../schema/archive.ts';
import { designFiles, makeRegistry, publish, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
beforeAll(async () => { reg = await makeRegistry(); });
afterAll(() => reg.cleanup());

const me = (token: string) => request(reg.app).get('/api/v1/me').set('Authorization', `Bearer ${token}`);

describe('tokens in published content', () => {
  it('a token pasted into a file is revoked, the publish refused with where it was, and nothing stored', async () => {
    const token = await reg.account('lena');
    const files = designFiles('lena/probe');
    files.push({ path: 'docs/notes.md', data: Buffer.from(`# Notes\n\nupload with\n  OHW_TOKEN=${token} ohw publish\n`) });
    const res = await publish(reg.app, token, 'lena/probe', '1.0.0', await writeArchive(files));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('INVALID_ARCHIVE');
    expect(res.body.error.message).toMatch(/revoked/);
    expect(res.body.error.issues).toEqual([expect.objectContaining({ file: 'docs/notes.md', line: 4, column: 13, code: 'token-leaked' })]);
    expect(res.body.error.issues[0].message).toMatch(/revoked/);
    expect(res.body.error.issues[0].message).not.toContain(token);
    expect((await me(token)).status).toBe(401);
    expect(await reg.deps.designs.exists('lena/probe')).toBe(false);
  });

  it('another account\'s token in the manifest is revoked too', async () => {
    const victim = await reg.account('mona');
    const publisher = await reg.account('nell');
    const files = designFiles('nell/probe', '1.0.0', (y) => y.replace(/^summary:.*$/m, `summary: "token ${victim}"`));
    const res = await publish(reg.app, publisher, 'nell/probe', '1.0.0', await writeArchive(files));
    expect(res.status).toBe(400);
    expect(res.body.error.issues[0]).toMatchObject({ file: 'design.yaml', code: 'token-leaked' });
    expect((await me(victim)).status).toBe(401);
    expect((await me(publisher)).status).toBe(200);
  });

  it('a token-shaped string that is no live token is left alone', async () => {
    const token = await reg.account('olga');
    const files = designFiles('olga/probe');
    files.push({ path: 'docs/example.md', data: Buffer.from(`OHW_TOKEN=ohw_0123456789abcdef_${'A'.repeat(43)}\n`) });
    const res = await publish(reg.app, token, 'olga/probe', '1.0.0', await writeArchive(files));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  });
});
