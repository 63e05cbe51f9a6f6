/**
 * Build photos: png, jpeg or webp only, recognised by their first bytes (never by the declared
 * Content-Type or a file name), at most MAX_PHOTO_BYTES each. A refused upload stores nothing.
 */
import { OhwError } from '../../../schema/errors.ts';
import type { PhotoType } from '../../store/production-port.ts';
import type { Deps } from '../deps.ts';

export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** The image type of `bytes` by magic number, or undefined. */
export function sniffPhoto(bytes: Uint8Array): PhotoType | undefined {
  const b = bytes;
  if (b.length >= 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP') return 'image/webp';
  return undefined;
}

export async function storePhoto(deps: Deps, bytes: Buffer) {
  if (bytes.length === 0) throw new OhwError('INVALID_REQUEST', 'the photo is empty');
  if (bytes.length > MAX_PHOTO_BYTES) throw new OhwError('TOO_LARGE', `a photo is at most ${MAX_PHOTO_BYTES} bytes (got ${bytes.length})`, { details: { limit: MAX_PHOTO_BYTES } });
  const type = sniffPhoto(bytes);
  if (!type) throw new OhwError('UNSUPPORTED_MEDIA_TYPE', 'a build photo must be a PNG, JPEG or WebP image (checked by its content)');
  const ref = await deps.photos.put(bytes, type);
  return { id: `sha256:${ref.sha256}`, type: ref.type, size: ref.size, url: `/api/v1/photos/${ref.sha256}` };
}
