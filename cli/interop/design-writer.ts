/**
 * Writes imported design folders so that a reader only ever sees complete ones: each folder is
 * written under `<out>/.ohw-import-tmp/` and renamed into place. Re-running on the same input
 * finds the same folder with the same original record and leaves it as it is (idempotent); a
 * changed record replaces its folder in one rename.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { ImportedDesign } from '../../schema/interop/index.ts';

export const TMP_DIR = '.ohw-import-tmp';

export type WriteResult = 'written' | 'unchanged' | 'replaced';

/** The folder exists and is not an import (no `import/` folder): it is never replaced. */
export class FolderTaken extends Error {}

export class DesignWriter {
  private readonly tmp: string;
  private seq = 0;

  constructor(readonly outDir: string) {
    this.tmp = path.join(outDir, TMP_DIR);
    fs.mkdirSync(outDir, { recursive: true });
    // Left by an interrupted run: never a design, always safe to drop.
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }

  write(d: ImportedDesign): WriteResult {
    const final = path.join(this.outDir, d.folder);
    if (fs.existsSync(final)) {
      if (!fs.existsSync(path.join(final, 'import'))) throw new FolderTaken(`${d.folder} exists and was not written by ohw import; it is left as it is`);
      if (sameSource(final, d)) return 'unchanged';
    }
    const staged = path.join(this.tmp, `${d.folder}.${process.pid}.${this.seq++}`);
    for (const f of d.files) {
      const p = path.join(staged, ...f.path.split('/'));
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.data);
    }
    if (!fs.existsSync(final)) {
      fs.renameSync(staged, final);
      return 'written';
    }
    const old = `${staged}.old`;
    fs.renameSync(final, old);
    fs.renameSync(staged, final);
    fs.rmSync(old, { recursive: true, force: true });
    return 'replaced';
  }

  close(): void {
    fs.rmSync(this.tmp, { recursive: true, force: true });
  }
}

/** Same original record (and side files): the existing folder already is this import. */
function sameSource(dir: string, d: ImportedDesign): boolean {
  for (const f of d.files.filter((x) => x.path.startsWith('import/'))) {
    const p = path.join(dir, ...f.path.split('/'));
    let have: Buffer;
    try { have = fs.readFileSync(p); } catch { return false; }
    if (!have.equals(Buffer.from(f.data.buffer, f.data.byteOffset, f.data.byteLength))) return false;
  }
  return fs.existsSync(path.join(dir, 'design.yaml'));
}
