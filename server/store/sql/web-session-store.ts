/**
 * WebSessionStore in the operational database. The session id is 32 random bytes (base64url) and
 * only its SHA-256 is stored, so a copy of the database does not hand out signed-in sessions.
 */
import crypto from 'node:crypto';
import type { WebSession, WebSessionStore } from '../web-session-port.ts';
import type { Database } from './database.ts';

const ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const hashOf = (id: string) => `sha256:${crypto.createHash('sha256').update(id).digest('hex')}`;
const randomToken = () => crypto.randomBytes(32).toString('base64url');

export class SqlWebSessionStore implements WebSessionStore {
  readonly #db: Database;
  readonly #now: () => Date;

  constructor(db: Database, now: () => Date = () => new Date()) {
    this.#db = db;
    this.#now = now;
  }

  async create(account: string, ttlMs: number): Promise<{ id: string; session: WebSession }> {
    const id = randomToken();
    const now = this.#now();
    const session: WebSession = {
      account,
      csrfToken: randomToken(),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    await this.#db.kysely.insertInto('web_sessions').values({
      id_hash: hashOf(id), account, csrf_token: session.csrfToken, created_at: session.createdAt, expires_at: session.expiresAt,
    }).execute();
    return { id, session };
  }

  async find(id: string): Promise<WebSession | undefined> {
    if (!ID_PATTERN.test(id)) return undefined;
    const row = await this.#db.kysely.selectFrom('web_sessions').selectAll().where('id_hash', '=', hashOf(id)).executeTakeFirst();
    if (!row || row.expires_at <= this.#now().toISOString()) return undefined;
    return { account: row.account, csrfToken: row.csrf_token, createdAt: row.created_at, expiresAt: row.expires_at };
  }

  async remove(id: string): Promise<void> {
    if (!ID_PATTERN.test(id)) return;
    await this.#db.kysely.deleteFrom('web_sessions').where('id_hash', '=', hashOf(id)).execute();
  }

  async sweep(): Promise<number> {
    const r = await this.#db.kysely.deleteFrom('web_sessions').where('expires_at', '<=', this.#now().toISOString()).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
