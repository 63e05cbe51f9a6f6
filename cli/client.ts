import http from 'node:http';
import https from 'node:https';
import { OhwError, type ErrorCode, type Issue } from '../schema/errors.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface ClientOptions { registry: string; token?: string }

interface ApiErrorBody { error?: { code?: ErrorCode; message?: string; issues?: Issue[] } }

/** Typed HTTP client over the registry API; API errors come back as OhwError with their code. */
export class RegistryClient {
  constructor(readonly opts: ClientOptions) {}

  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body === undefined ? undefined : {
      data: Buffer.from(JSON.stringify(body)),
      type: 'application/json',
    });
    return JSON.parse(res.body.toString('utf8')) as T;
  }

  async bytes(path: string): Promise<{ body: Buffer; headers: http.IncomingHttpHeaders }> {
    return this.request('GET', path);
  }

  /** Upload with an optional progress callback (bytes sent, total). */
  async upload<T>(method: string, path: string, data: Buffer, headers: Record<string, string>, onProgress?: (sent: number, total: number) => void): Promise<T> {
    const res = await this.request(method, path, { data, type: 'application/gzip', headers, onProgress });
    return JSON.parse(res.body.toString('utf8')) as T;
  }

  requireToken(): string {
    if (!this.opts.token) throw new OhwError('UNAUTHENTICATED', 'not logged in: run `ohw login` (or `ohw register`), or set OHW_TOKEN');
    return this.opts.token;
  }

  private request(method: string, path: string, body?: { data: Buffer; type: string; headers?: Record<string, string>; onProgress?: (sent: number, total: number) => void }): Promise<{ body: Buffer; headers: http.IncomingHttpHeaders }> {
    const url = new URL(`/api/v1${path}`, this.opts.registry);
    const lib = url.protocol === 'https:' ? https : http;
    const headers: Record<string, string> = { Accept: 'application/json', ...(body?.headers ?? {}) };
    if (this.opts.token) headers.Authorization = `Bearer ${this.opts.token}`;
    if (body) {
      headers['Content-Type'] = body.type;
      headers['Content-Length'] = String(body.data.length);
    }
    return new Promise((resolve, reject) => {
      const req = lib.request(url, { method, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(new CliError(`connection to ${this.opts.registry} failed: ${e.message}`, EXIT.network)));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve({ body: buf, headers: res.headers });
          let parsed: ApiErrorBody = {};
          try { parsed = JSON.parse(buf.toString('utf8')) as ApiErrorBody; } catch { /* not JSON */ }
          const err = parsed.error;
          if (err?.code) {
            const opts: { issues?: Issue[] } = {};
            if (err.issues) opts.issues = err.issues;
            return reject(new OhwError(err.code, err.message ?? err.code, opts));
          }
          reject(new CliError(`registry answered ${status} for ${method} ${url.pathname}`, status >= 500 ? EXIT.network : EXIT.user));
        });
      });
      req.on('error', (e) => reject(new CliError(`cannot reach the registry at ${this.opts.registry}: ${e.message} (set --registry or OHW_REGISTRY)`, EXIT.network)));
      if (body) {
        const total = body.data.length;
        const chunk = 64 * 1024;
        let sent = 0;
        const writeMore = () => {
          while (sent < total) {
            const piece = body.data.subarray(sent, Math.min(total, sent + chunk));
            sent += piece.length;
            body.onProgress?.(sent, total);
            if (!req.write(piece)) return void req.once('drain', writeMore);
          }
          req.end();
        };
        writeMore();
      } else req.end();
    });
  }
}
