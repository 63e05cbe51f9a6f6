import type { NextFunction, Request, Response } from 'express';
import { OhwError } from '../../schema/errors.ts';

/**
 * Read a request body into memory, refusing it as soon as it passes `maxBytes` (and before reading
 * anything when Content-Length already says so). One pass: the chunks are kept as they arrive and
 * joined once — no staging file to write, read back and clean up after a crash or a dropped client
 * (the archive reader needs the whole gzip in memory anyway, and `maxBytes` bounds it). A
 * connection that ends before Content-Length is reached is a truncated upload and is refused.
 */
export async function receiveUpload(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
  if (declared !== undefined && declared > maxBytes) {
    req.res?.set('Connection', 'close'); // the unread body must not be taken as the next request
    throw new OhwError('TOO_LARGE', `upload is ${declared} bytes; the limit is ${maxBytes} bytes compressed (maxCompressedBytes)`);
  }
  const chunks: Buffer[] = [];
  let received = 0;
  const completed = await new Promise<boolean>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received > maxBytes) {
        cleanup();
        req.res?.set('Connection', 'close');
        req.resume(); // drain and drop the rest; the answer goes out now
        reject(new OhwError('TOO_LARGE', `upload exceeds the limit of ${maxBytes} bytes compressed (maxCompressedBytes)`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => { cleanup(); resolve(true); };
    const onClose = () => { cleanup(); resolve(req.readableEnded); };
    const onError = () => { cleanup(); resolve(false); };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('close', onClose);
    req.once('error', onError);
  });
  if (!completed) throw new OhwError('INVALID_ARCHIVE', 'the upload was interrupted before it was complete');
  if (declared !== undefined && received !== declared) {
    throw new OhwError('INVALID_ARCHIVE', `the upload is truncated: received ${received} of ${declared} bytes`);
  }
  if (received === 0) throw new OhwError('INVALID_ARCHIVE', 'the request body is empty; send the package as a tar.gz (Content-Type: application/gzip)');
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, received);
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
