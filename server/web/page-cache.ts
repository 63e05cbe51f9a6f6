/**
 * Rendered design pages for visitors who are not signed in, keyed by the stored state they were
 * made from: the derived-state watermark (the index head the stored rows reflect, which moves
 * with every publish, yank, owner change and certification event anywhere, so where-used and
 * sub-assembly changes count) and the design's stored package read. A short TTL covers what
 * changes with time alone (a certificate expiring).
 */
import crypto from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Request } from 'express';
import type { Deps } from '../services/deps.ts';
import { packageJsonText } from '../services/read-design.ts';

const MAX_PAGES = 500;
const TTL_MS = 60_000;

export class PageCache {
  readonly #pages = new LRUCache<string, string>({ max: MAX_PAGES, ttl: TTL_MS });

  /** The cache key for this request, or undefined when the page must not be cached. */
  async keyFor(deps: Deps, req: Request, pkg: string): Promise<string | undefined> {
    if (req.webUser) return undefined; // signed-in pages carry a CSRF token and owner forms
    const [mark, stored] = await Promise.all([deps.derived.watermark(), packageJsonText(deps, pkg)]);
    const state = crypto.createHash('sha1').update(mark ?? '').update('\0').update(stored).digest('base64url');
    return `${state}\0${req.get('host') ?? ''}\0${req.originalUrl}`;
  }

  get(key: string | undefined): string | undefined {
    return key ? this.#pages.get(key) : undefined;
  }

  set(key: string | undefined, html: string): void {
    if (key) this.#pages.set(key, html);
  }
}
