/**
 * Paths a manifest names (docs, parts sources, the BOM CSV): they must stay inside the package,
 * and, when the package files are at hand, exist.
 */
import type { DesignSource } from '../design-source.ts';
import { NO_SIZE_LIMITS, checkPackagePath } from '../package-rules.ts';
import { closest } from './suggest.ts';

/** Why `p` cannot name a file inside the package, or undefined when it can. */
export function pathProblem(p: string): string | undefined {
  if (p.startsWith('/') || /^[A-Za-z]:/.test(p) || p.startsWith('\\')) return `"${p}" is an absolute path; write it relative to the package root`;
  if (p.includes('\\')) return `"${p}" uses "\\"; separate folders with "/"`;
  if (p.split('/').includes('..')) return `"${p}" leaves the package (".."); only files inside the package can be referenced`;
  if (p.includes('\0')) return `"${p}" contains a NUL character`;
  // The rules every path in a package follows (Windows device names, .git look-alikes, …).
  const normal = normalizePath(p);
  const reason = normal === '' ? null : checkPackagePath(normal, NO_SIZE_LIMITS);
  if (reason !== null) return `"${p}" cannot be a file in a package: ${reason}`;
  return undefined;
}

/** `./docs//a.md` → `docs/a.md`: spellings that mean the same package path. */
export function normalizePath(p: string): string {
  return p.split('/').filter((s) => s !== '' && s !== '.').join('/');
}

/** The package's files and folders, indexed once per validation. */
export class PackageFiles {
  private readonly files: Set<string>;
  private readonly dirs = new Set<string>();

  constructor(src: DesignSource) {
    this.files = new Set(src.files());
    for (const f of this.files) {
      for (let i = f.indexOf('/'); i !== -1; i = f.indexOf('/', i + 1)) this.dirs.add(f.slice(0, i));
    }
  }

  /** A file, or a folder holding files (`sources: [cad]` names a whole CAD folder). */
  has(p: string): boolean {
    const n = normalizePath(p);
    return this.files.has(n) || this.dirs.has(n);
  }

  // Each suggestion compares against every file; bound the total so that a manifest naming
  // thousands of missing files stays fast.
  private suggestionsLeft = 20;

  suggest(p: string): string | undefined {
    if (this.suggestionsLeft <= 0) return undefined;
    this.suggestionsLeft--;
    return closest(normalizePath(p), this.files);
  }
}
