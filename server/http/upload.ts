import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { NextFunction, Request, Response } from 'express';
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
    req.res?.set('Connection', 'close'); // the unread body must not be taken as the next request
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

/** Largest JSON request body (accounts, owners, reviews…): body-parser's `1mb`. */
export const JSON_BODY_MAX_BYTES = 1024 * 1024;

/**
 * Answers 413 as soon as the headers declare a JSON body over `maxBytes`, before any of it is read.
 * (body-parser refuses it too, but first waits for the whole declared body to arrive and be
 * discarded — so a client that declares 10 GB and sends nothing would hold the request open.)
 * The connection is closed after the answer: the unread body must not be taken as the next request.
 */
export function refuseDeclaredJsonOver(maxBytes: number) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > maxBytes && req.is('application/json')) {
      res.set('Connection', 'close');
      next(new OhwError('TOO_LARGE', `the JSON body is ${declared} bytes; the limit is ${maxBytes} bytes`, { details: { limit: maxBytes } }));
      return;
    }
    next();
  };
}
