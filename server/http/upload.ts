import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { Request } from 'express';
import { OhwError } from '../../schema/errors.ts';

/**
 * Stream a request body to a temp file, refusing it as soon as it passes `maxBytes` (and before
 * reading anything when Content-Length already says so). The temp file is always removed; the
 * caller gets the bytes. A connection that ends before Content-Length is reached is a truncated
 * upload and is refused.
 */
export async function receiveUpload(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) {
    throw new OhwError('TOO_LARGE', `upload is ${declared} bytes; the limit is ${maxBytes} bytes compressed (maxCompressedBytes)`);
  }
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'ohw-upload-'));
  const file = path.join(dir, 'upload.tar.gz');
  let received = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      received += chunk.length;
      if (received > maxBytes) {
        done(new OhwError('TOO_LARGE', `upload exceeds the limit of ${maxBytes} bytes compressed (maxCompressedBytes)`));
      } else done(null, chunk);
    },
  });
  try {
    let completed = false;
    req.once('end', () => { completed = true; });
    try {
      await pipeline(req, cap, fs.createWriteStream(file, { mode: 0o600 }));
    } catch (e) {
      if (e instanceof OhwError) throw e;
      throw new OhwError('INVALID_ARCHIVE', 'the upload was interrupted before it was complete');
    }
    if (!completed || (declared !== undefined && received !== declared)) {
      throw new OhwError('INVALID_ARCHIVE', `the upload is truncated: received ${received} of ${declared ?? 'unknown'} bytes`);
    }
    if (received === 0) throw new OhwError('INVALID_ARCHIVE', 'the request body is empty; send the package as a tar.gz (Content-Type: application/gzip)');
    return await fs.promises.readFile(file);
  } finally {
    await fs.promises.rm(dir, { recursive: true, force: true });
  }
}
