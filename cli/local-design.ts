import path from 'node:path';
import { OhwError } from '../schema/errors.ts';
import { validateDesign, type ValidationResult } from '../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../io/design-folder.ts';
import type { Manifest } from '../schema/types.ts';
import type { PackageFile } from '../schema/package-file.ts';

export interface LocalDesign { dir: string; files: PackageFile[]; result: ValidationResult }

/** Read a design folder as `ohw pack` would and validate it as the registry will. */
export async function loadLocalDesign(dir = '.'): Promise<LocalDesign> {
  const abs = path.resolve(dir);
  const files = await readDesignFolder(abs);
  return { dir: abs, files, result: validateDesign(designSource(files)) };
}

/** The manifest, or an INVALID_MANIFEST error carrying the located issues. */
export function requireValid(design: LocalDesign): Manifest {
  const errors = design.result.issues.filter((i) => i.severity === 'error');
  if (!design.result.manifest || errors.length) {
    throw new OhwError('INVALID_MANIFEST', `${path.relative(process.cwd(), design.dir) || '.'}: design.yaml has ${errors.length} problem(s)`, { issues: design.result.issues });
  }
  return design.result.manifest;
}
