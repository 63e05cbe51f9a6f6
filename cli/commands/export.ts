import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { OhwError } from '../../schema/errors.ts';
import { EXPORT_FORMATS, exportManifest, type ExportFormat } from '../../schema/interop/index.ts';
import { parsePackageSpec } from '../../schema/names.ts';
import type { Manifest } from '../../schema/types.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { loadLocalDesign, requireValid } from '../local-design.ts';

interface ExportFlags { format: string; out?: string; repo?: string }

export function exportCommand(program: Command): void {
  program
    .command('export <design>')
    .description('write a design (owner/name[@version] on the registry, or a folder) as OKH-LOSH, OKH v1 or an OSHWA application')
    .requiredOption('--format <format>', EXPORT_FORMATS.join(', '))
    .option('-o, --out <file>', 'write to this file instead of standard output')
    .option('--repo <url>', 'repository URL to state when the design names none (a folder that is not published)')
    .action(async (design: string, flags: ExportFlags, cmd: Command) => {
      if (!(EXPORT_FORMATS as readonly string[]).includes(flags.format)) {
        throw new CliError(`--format must be one of ${EXPORT_FORMATS.join(', ')} (got "${flags.format}")`, EXIT.usage);
      }
      const format = flags.format as ExportFormat;
      let manifest: Manifest;
      let designUrl = flags.repo;
      if (fs.existsSync(design) && fs.statSync(design).isDirectory()) {
        manifest = requireValid(await loadLocalDesign(design));
      } else {
        const client = clientFor(cmd);
        const { pkg, range } = parsePackageSpec(design);
        const version = range ?? (await client.json<{ latest: string | null }>('GET', `/designs/${pkg}`)).latest;
        if (!version) throw new OhwError('NOT_FOUND', `${pkg} has no visible version`);
        const v = await client.json<{ manifest: Manifest }>('GET', `/designs/${pkg}/versions/${encodeURIComponent(version)}`);
        manifest = v.manifest;
        designUrl ??= `${client.opts.registry}/designs/${pkg}`;
      }
      if (format === 'okh-losh' && !manifest.provenance?.repository && !designUrl) {
        throw new CliError('OKH-LOSH requires a repository URL and this design names none: pass --repo <url>', EXIT.user);
      }
      const out = exportManifest(manifest, format, designUrl ? { designUrl } : {});
      if (out.missing.length && format !== 'oshwa') {
        const why = Object.entries(manifest.notProvided ?? {}).map(([k, v]) => `${k}: ${v}`).join('; ');
        throw new CliError(`${format} requires ${out.missing.join(', ')}, which ${manifest.name} does not have${why ? ` (not provided by its source: ${why})` : ''}`, EXIT.user);
      }
      if (flags.out) {
        fs.mkdirSync(path.dirname(path.resolve(flags.out)), { recursive: true });
        fs.writeFileSync(flags.out, out.text);
        process.stderr.write(`wrote ${flags.out} (${format})\n`);
      } else process.stdout.write(out.text);
    });
}
