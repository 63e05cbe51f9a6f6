/**
 * One writer process per data dir (README). The server holds `$OHW_DATA/server.lock`, created
 * exclusively with its pid; a second server on the same data dir is refused with the pid that
 * holds it. A lock left by a process that no longer runs (kill -9, power loss) is taken over.
 */
import fs from 'node:fs';
import path from 'node:path';

export class DataDirLockedError extends Error {
  override name = 'DataDirLockedError';
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else — still alive.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function acquireDataDirLock(dataDir: string): { release(): void } {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = path.join(path.resolve(dataDir), 'server.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx', 0o600);
      fs.writeSync(fd, `${process.pid}\n`);
      fs.fsyncSync(fd);
      fs.closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (fs.readFileSync(file, 'utf8').trim() === String(process.pid)) fs.unlinkSync(file);
        } catch { /* already gone */ }
      };
      process.once('exit', release);
      return { release };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const pid = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
      throw new DataDirLockedError(
        `another registry process (pid ${pid}) is using the data dir ${dataDir}; ` +
        'one server per data dir — stop it first, or set OHW_DATA to another folder',
      );
    }
    // Stale: its process is gone. Remove and try again (another starter may race us: exclusive create decides).
    try { fs.unlinkSync(file); } catch { /* someone else removed it */ }
  }
  throw new DataDirLockedError(`could not take the lock on the data dir ${dataDir}`);
}
