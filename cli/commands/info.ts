import type { Command } from 'commander';
import { parsePackageSpec } from '../../schema/names.ts';
import { clientFor } from '../context.ts';
import { humanBytes, printJson, table } from '../output.ts';
import { productionLines } from './producer.ts';

interface DesignView {
  package: string; title?: string; summary?: string; owners: string[]; latest: string | null;
  versions: Array<{ version: string; checksum: string; yanked: boolean; yank?: Yank | null; publishedAt: string }>;
  forkOf: { package: string; version: string } | null; forks: number;
  certifications: { state: string; uid?: string; version: string } | null;
  imported?: { format: string; sourceUrl: string | null; sourceId: string | null; licensor: string[]; importedAt: string } | null;
  delisted?: { at: string; reason?: string } | null;
}

interface Yank { at: string; by: string; reason?: string }

/** `yes`, with who, when and why when the registry kept them. */
const yankText = (y: Yank | null | undefined): string =>
  y ? `yes, by ${y.by} on ${y.at.slice(0, 10)}${y.reason ? `: ${y.reason}` : ''}` : 'yes';

/**
 * The certification line. The mark belongs to the certified version: when the latest version is
 * another, say so, so that nobody reads the latest as certified.
 */
export function certificationLine(c: NonNullable<DesignView['certifications']>, latest: string | null): string {
  let line = `certification: ${c.state}${c.uid ? ` ${c.uid}` : ''} (version ${c.version})`;
  if (c.state === 'certified' && latest && latest !== c.version) line += `; the latest version, ${latest}, is not certified`;
  return line + '\n';
}

interface VersionView {
  package: string; version: string; checksum: string; yanked: boolean; yank?: Yank | null; publishedAt: string; publisher: string;
  sourceCommit: string | null; git: { tag: string; commit: string };
  dependencies: Array<{ package: string; range: string; version: string }>;
  manifest: {
    title: string; summary: string; license: { hardware: string; documentation: string; software?: string };
    licensor?: Array<{ name: string }>; provenance?: { sourceFormat: string; sourceId?: string; sourceUrl?: string; importedAt: string };
    notProvided?: Record<string, string>;
  };
  files: Array<{ path: string; size: number }>;
}

interface DiffView {
  from: { package: string; version: string }; to: { package: string; version: string }; identical: boolean;
  manifest: Array<{ field: string }>;
  bom: {
    added: Array<{ id: string; quantity: number; unit: string }>; removed: Array<{ id: string }>;
    quantityChanged: Array<{ id: string; from: number; to: number; fromUnit: string; toUnit: string }>;
    changed: Array<{ id: string; fields: string[] }>;
  };
  files: { added: string[]; removed: string[]; changed: string[] };
}

interface ForksView {
  forks: Array<{ package: string; forkOf: { version: string }; versions: number }>;
  upstream?: { package: string; forkPoint: string; newVersions: Array<{ version: string }>; diff: DiffView | null };
}

/** Lineage towards the upstream: new upstream versions and what differs from its latest. */
export function upstreamLines(up: NonNullable<ForksView['upstream']>, max = 12): string {
  const news = up.newVersions.length
    ? `${up.newVersions.length} new upstream version(s) since ${up.forkPoint}: ${up.newVersions.map((v) => v.version).join(', ')}`
    : `no new upstream versions since ${up.forkPoint}`;
  let out = `upstream: ${news}\n`;
  const d = up.diff;
  if (!d) return out;
  const at = (s: { package: string; version: string }) => `${s.package}@${s.version}`;
  // No new upstream version: the fork point is the upstream's latest, nothing to compare.
  if (d.identical) return at(d.from) === at(d.to) ? out : out + `  ${at(d.from)} and ${at(d.to)} are identical\n`;
  const b = d.bom;
  out += `  ${at(d.from)} → ${at(d.to)}: manifest ${d.manifest.length} field(s); BOM +${b.added.length} −${b.removed.length} ` +
    `~${b.quantityChanged.length} quantity, ${b.changed.length} other; files +${d.files.added.length} −${d.files.removed.length} ~${d.files.changed.length}\n`;
  const details = [
    ...d.manifest.map((f) => `manifest ${f.field} changed`),
    ...b.added.map((l) => `bom + ${l.id} (${l.quantity} ${l.unit})`),
    ...b.removed.map((l) => `bom − ${l.id}`),
    ...b.quantityChanged.map((l) => `bom ~ ${l.id} quantity ${l.from}${l.fromUnit === 'pcs' ? '' : ` ${l.fromUnit}`} → ${l.to}${l.toUnit === 'pcs' ? '' : ` ${l.toUnit}`}`),
    ...b.changed.map((l) => `bom ~ ${l.id} ${l.fields.join(', ')}`),
    ...d.files.added.map((f) => `file + ${f}`),
    ...d.files.removed.map((f) => `file − ${f}`),
    ...d.files.changed.map((f) => `file ~ ${f}`),
  ];
  for (const line of details.slice(0, max)) out += `    ${line}\n`;
  if (details.length > max) out += `    … ${details.length - max} more (ohw info ${d.from.package} --json)\n`;
  return out;
}

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
          (v.yanked ? `yanked:     ${yankText(v.yank)}\n` : '') +
          `licences:   hardware ${v.manifest.license.hardware}, documentation ${v.manifest.license.documentation}, software ${v.manifest.license.software ?? 'NONE'}\n` +
          `checksum:   ${v.checksum}\ngit tag:    ${v.git.tag} (commit ${v.git.commit})\npublished:  ${v.publishedAt} by ${v.publisher}\n` +
          (v.manifest.provenance ? `imported:   from ${v.manifest.provenance.sourceFormat} record ${v.manifest.provenance.sourceId ?? '?'}${v.manifest.provenance.sourceUrl ? ` (${v.manifest.provenance.sourceUrl})` : ''} on ${v.manifest.provenance.importedAt}; licensor ${(v.manifest.licensor ?? []).map((l) => l.name).join(', ') || 'not provided'}\n` : '') +
          (v.manifest.notProvided ? `not provided by the source: ${Object.keys(v.manifest.notProvided).join(', ')}\n` : '') +
          (v.sourceCommit ? `source:     ${v.sourceCommit}\n` : '') +
          (v.dependencies.length ? `uses:       ${v.dependencies.map((d) => `${d.package}@${d.version} (${d.range})`).join(', ')}\n` : '') +
          `\n${table(['file', 'size'], v.files.map((f) => [f.path, humanBytes(f.size)]))}`,
        );
        return;
      }
      const d = await client.json<DesignView>('GET', `/designs/${pkg}`);
      const forks = d.forks || d.forkOf ? await client.json<ForksView>('GET', `/designs/${pkg}/forks`).catch(() => undefined) : undefined;
      // Capable producers per region (issue 16); the registry may not offer it (older servers).
      const capable = d.latest ? await client.json<{ capableByRegion: Record<string, number> }>('GET', `/designs/${pkg}/producers`).then((r) => r.capableByRegion).catch(() => undefined) : undefined;
      if (capable) Object.assign(d, { capableProducers: capable });
      if (opts.json) return printJson(forks ? { ...d, forkList: forks.forks, ...(forks.upstream ? { upstream: forks.upstream } : {}) } : d);
      process.stdout.write(
        `${d.package} — ${d.title ?? ''}\n${d.summary ?? ''}\n\n` +
        `owners:  ${d.owners.join(', ')}\nlatest:  ${d.latest ?? '(none)'}\n` +
        (d.imported ? `imported: from ${d.imported.format} record ${d.imported.sourceId ?? '?'}${d.imported.sourceUrl ? ` (${d.imported.sourceUrl})` : ''} on ${d.imported.importedAt}; licensor ${d.imported.licensor.join(', ') || 'not provided'}\n` : '') +
        (d.delisted ? `delisted: ${d.delisted.at}${d.delisted.reason ? ` (${d.delisted.reason})` : ''}; hidden from search and browse\n` : '') +
        productionLines((d as { production?: Parameters<typeof productionLines>[0] }).production, capable) +
        (d.forkOf ? `fork of: ${d.forkOf.package}@${d.forkOf.version}\n` : '') +
        (forks?.upstream ? upstreamLines(forks.upstream) : '') +
        (d.forks ? `forks:   ${forks ? forks.forks.map((f) => `${f.package} (from ${f.forkOf.version}, ${f.versions} version(s))`).join(', ') : d.forks}\n` : '') +
        (d.certifications ? certificationLine(d.certifications, d.latest) : '') +
        `\n${table(['version', 'published', 'checksum', 'yanked'], d.versions.map((v) => [v.version, v.publishedAt, v.checksum.slice(0, 19) + '…', v.yanked ? yankText(v.yank) : '']))}`,
      );
    });
}
