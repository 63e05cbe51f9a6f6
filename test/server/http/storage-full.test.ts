/**
 * A full disk during a write: the request answers 507 with the reason, and nothing is stored.
 * SQLite's own page limit makes the database full for real (SQLITE_FULL), the way a full disk does.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRegistry, type TestRegistry } from '../../helpers/registry.ts';

let reg: TestRegistry;
beforeAll(async () => {
  reg = await makeRegistry();
});
afterAll(() => reg.cleanup());

function fillTheDisk(): () => void {
  const { sqlite } = reg.deps.db;
  const pages = sqlite.pragma('page_count', { simple: true }) as number;
  sqlite.pragma(`max_page_count = ${pages}`);
  return () => { sqlite.pragma('max_page_count = 1073741823'); };
}

describe('a full database', () => {
  it('answers a registration with 507 INSUFFICIENT_STORAGE and stores no account', async () => {
    const undo = fillTheDisk();
    let res;
    let refused = '';
    try {
      // The free pages fill up first; the registration that needs a new page is refused.
      for (let i = 0; i < 50 && !refused; i++) {
        res = await request(reg.app).post('/api/v1/accounts').send({ name: `filler${i}`, email: `f${i}@example.org`, password: 'correct horse battery' });
        if (res.status !== 201) refused = `filler${i}`;
      }
    } finally {
      undo();
    }
    expect(refused).not.toBe('');
    expect(res!.status).toBe(507);
    expect(res!.body.error.code).toBe('INSUFFICIENT_STORAGE');
    expect(res!.body.error.message).toMatch(/out of storage space; nothing was stored/);
    expect(JSON.stringify(res!.body)).not.toMatch(/ohw\.db|\/tmp\/|SQLITE/);
    expect(await reg.deps.accounts.get(refused)).toBeUndefined();
    expect(reg.deps.db.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
    // Once there is room again, the same registration goes through.
    const again = await request(reg.app).post('/api/v1/accounts').send({ name: refused, email: 'a@example.org', password: 'correct horse battery' });
    expect(again.status).toBe(201);
  });
});
