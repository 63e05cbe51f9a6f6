/**
 * Build report photos on disk: `$OHW_DATA/photos/<first two hex>/<sha256>.<ext>`, content-
 * addressed so a photo is stored once however many reports show it. Written atomically (temp
 * file, fsync, rename) so a crash never leaves a torn photo under its final name. Type and size
 * are checked before a photo reaches this store (server/services/build-photos.ts).
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { PhotoRef, PhotoStore, PhotoType } from './production-port.ts';
import { writeFileDurably } from './durable-file.ts';

const EXT: Record<PhotoType, string> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };
const HEX64 = /^[0-9a-f]{64}$/;

export class FsPhotoStore implements PhotoStore {
  readonly #root: string;

  constructor(opts: { dataDir: string }) {
    this.#root = path.join(path.resolve(opts.dataDir), 'photos');
  }

  #file(sha: string, type: PhotoType): string {
    return path.join(this.#root, sha.slice(0, 2), `${sha}.${EXT[type]}`);
  }

  async put(bytes: Uint8Array, type: PhotoType): Promise<PhotoRef> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const file = this.#file(sha256, type);
    await writeFileDurably(file, bytes);
    return { sha256, type, size: bytes.byteLength };
  }

  async #find(sha: string): Promise<{ file: string; type: PhotoType } | undefined> {
    if (!HEX64.test(sha)) return undefined;
    for (const type of Object.keys(EXT) as PhotoType[]) {
      const file = this.#file(sha, type);
      try {
        await fs.access(file);
        return { file, type };
      } catch { /* try the next type */ }
    }
    return undefined;
  }

  async get(sha256: string) {
    const f = await this.#find(sha256);
    return f ? { bytes: await fs.readFile(f.file), type: f.type } : undefined;
  }

  async has(sha256: string): Promise<boolean> {
    return (await this.#find(sha256)) !== undefined;
  }
}
