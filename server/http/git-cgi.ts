/**
 * The one thing the git bridge (git-bridge.ts) still asks `git http-backend` (CGI) for: protocol
 * v2's capability advertisement, captured once per router and then answered from memory. Every
 * other answer comes from `git upload-pack` directly (git-child.ts).
 */
import { execFile } from 'node:child_process';

/** Run http-backend once to completion (a GET: no request body) and parse its CGI answer. */
export function captureCgi(backend: string, env: Record<string, string>): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    execFile(backend, [], { env, encoding: 'buffer', maxBuffer: 1024 * 1024, timeout: 30_000 }, (err, stdout) => {
      if (err) return reject(err);
      const out = stdout as Buffer;
      const crlf = out.indexOf('\r\n\r\n');
      const lf = out.indexOf('\n\n');
      const [end, skip] = crlf >= 0 && (lf < 0 || crlf < lf) ? [crlf, 4] : [lf, 2];
      if (end < 0) return reject(new Error('no CGI headers'));
      const { status, headers } = parseCgiHeaders(out.subarray(0, end).toString('latin1'));
      resolve({ status, headers, body: out.subarray(end + skip) });
    });
  });
}

const PASSED_HEADERS = new Set(['content-type', 'cache-control', 'expires', 'pragma', 'content-length']);

/** `Status: 404 Not Found` + the few headers worth passing on. */
export function parseCgiHeaders(text: string): { status: number; headers: Record<string, string> } {
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const at = line.indexOf(':');
    if (at <= 0) continue;
    const name = line.slice(0, at).trim().toLowerCase();
    const value = line.slice(at + 1).trim();
    if (name === 'status') {
      const code = Number(/^(\d{3})/.exec(value)?.[1]);
      if (code >= 200 && code <= 599) status = code;
    } else if (PASSED_HEADERS.has(name) && /^[\x20-\x7e]*$/.test(value)) {
      headers[name] = value;
    }
  }
  return { status, headers };
}
