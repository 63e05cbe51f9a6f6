import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { humanBytes, printJson, table } from '../output.ts';

interface DesignView {
  package: string; title?: string; summary?: string; owners: string[]; latest: string | null;
  versions: Array<{ version: string; checksum: string; yanked: boolean; publishedAt: string }>;
  forkOf: { package: string; version: string } | null; forks: number;
  certifications: { state: string; uid?: string; version: string } | null;
}

interface VersionView {
  package: string; version: string; checksum: string; yanked: boolean; publishedAt: string; publisher: string;
  sourceCommit: string | null; git: { tag: string; commit: string };
  dependencies: Array<{ package: string; range: string; version: string }>;
  manifest: { title: string; summary: string; license: { hardware: string; documentation: string; software?: string } };
  files: Array<{ path: string; size: number }>;
}

interface ForksView { forks: Array<{ package: string; forkOf: { version: string }; versions: number }> }

export function infoCommand(program: Command): void {
  program
    .command('info <package>')
    .description('show a design (owner/name) or one version (owner/name@version)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, opts: { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const { pkg, range } = parsePackageSpec(spec);
      if (range) {
        const v = await client.json<VersionView>('GET', `/designs/${pkg}/versions/${encodeURIComponent(range)}`);
        if (opts.json) return printJson(v);
        process.stdout.write(
          `${v.package}@${v.version}${v.yanked ? '  (yanked)' : ''} — ${v.manifest.title}\n${v.manifest.summary}\n\n` +
          `licences:   hardware ${v.manifest.license.hardware}, documentation ${v.manifest.license.documentation}, software ${v.manifest.license.software ?? 'NONE'}\n` +
          `checksum:   ${v.checksum}\ngit tag:    ${v.git.tag} (commit ${v.git.commit})\npublished:  ${v.publishedAt} by ${v.publisher}\n` +
          (v.sourceCommit ? `source:     ${v.sourceCommit}\n` : '') +
          (v.dependencies.length ? `uses:       ${v.dependencies.map((d) => `${d.package}@${d.version} (${d.range})`).join(', ')}\n` : '') +
          `\n${table(['file', 'size'], v.files.map((f) => [f.path, humanBytes(f.size)]))}`,
        );
        return;
      }
      const d = await client.json<DesignView>('GET', `/designs/${pkg}`);
      const forks = d.forks ? await client.json<ForksView>('GET', `/designs/${pkg}/forks`).catch(() => undefined) : undefined;
      if (opts.json) return printJson(forks ? { ...d, forkList: forks.forks } : d);
      process.stdout.write(
        `${d.package} — ${d.title ?? ''}\n${d.summary ?? ''}\n\n` +
        `owners:  ${d.owners.join(', ')}\nlatest:  ${d.latest ?? '(none)'}\n` +
        (d.forkOf ? `fork of: ${d.forkOf.package}@${d.forkOf.version}\n` : '') +
        (d.forks ? `forks:   ${forks ? forks.forks.map((f) => `${f.package} (from ${f.forkOf.version}, ${f.versions} version(s))`).join(', ') : d.forks}\n` : '') +
        (d.certifications ? `certification: ${d.certifications.state}${d.certifications.uid ? ` ${d.certifications.uid}` : ''} (version ${d.certifications.version})\n` : '') +
        `\n${table(['version', 'published', 'yanked', 'checksum'], d.versions.map((v) => [v.version, v.publishedAt, v.yanked ? 'yes' : '', v.checksum.slice(0, 19) + '…']))}`,
      );
    });
}
