import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';
import { OhwError } from '../../schema/errors.ts';
import { writeArchive } from '../../schema/archive.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../../io/design-folder.ts';
import type { PackageFile } from '../store/ports.ts';
import type { Deps } from './deps.ts';
import { publishVersion } from './publish-version.ts';

interface SeedDesign { dir: string; pkg: string; version: string; files: PackageFile[]; needs: string[] }

/**
 * Publish every example in `designs/` as its owner, so a new registry is populated at once.
 * Idempotent: versions already there are skipped. Sub-assemblies are published before the
 * designs that use them. Owner accounts are created with an unusable random password; an admin
 * can add real owners later.
 */
export async function seedDesigns(deps: Deps, root: string): Promise<{ published: string[]; skipped: string[] }> {
  const seeds: SeedDesign[] = [];
  for (const entry of (await fs.promises.readdir(root, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const dir = path.join(root, entry.name);
    if (!entry.isDirectory() || !fs.existsSync(path.join(dir, 'design.yaml'))) continue;
    const files = await readDesignFolder(dir, deps.limits);
    const { manifest, issues } = validateDesign(designSource(files));
    if (!manifest) {
      throw new OhwError('INVALID_MANIFEST', `example design ${entry.name} does not validate`, { issues });
    }
    const needs = manifest.bom.flatMap((l) => (l.subassembly ? [l.subassembly.package] : []));
    seeds.push({ dir, pkg: manifest.name, version: manifest.version, files, needs });
  }

  const published: string[] = [];
  const skipped: string[] = [];
  for (const seed of topologicalOrder(seeds)) {
    const owner = seed.pkg.split('/')[0]!;
    if (await deps.designs.version(seed.pkg, seed.version).catch(() => undefined)) {
      skipped.push(`${seed.pkg}@${seed.version}`);
      continue;
    }
    const account = (await deps.accounts.get(owner)) ?? (await deps.accounts.create({
      name: owner,
      email: `${owner}@example.invalid`,
      password: crypto.randomBytes(24).toString('base64url'),
    }));
    await publishVersion(deps, {
      pkg: seed.pkg,
      version: seed.version,
      archive: await writeArchive(seed.files),
      actor: { name: account.name, email: account.email, roles: account.roles, scopes: ['publish'] },
    });
    published.push(`${seed.pkg}@${seed.version}`);
  }
  return { published, skipped };
}

function topologicalOrder(seeds: SeedDesign[]): SeedDesign[] {
  const byPkg = new Map(seeds.map((s) => [s.pkg, s]));
  const done = new Set<string>();
  const out: SeedDesign[] = [];
  const visit = (s: SeedDesign, stack: string[]) => {
    if (done.has(s.pkg)) return;
    if (stack.includes(s.pkg)) throw new Error(`example designs form a cycle: ${[...stack, s.pkg].join(' → ')}`);
    for (const need of s.needs) {
      const dep = byPkg.get(need);
      if (dep) visit(dep, [...stack, s.pkg]);
    }
    done.add(s.pkg);
    out.push(s);
  };
  for (const s of seeds) visit(s, []);
  return out;
}
