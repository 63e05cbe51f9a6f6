import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeArchive } from '../../schema/archive.ts';
import { packageChecksum } from '../../schema/checksum.ts';
import { loadLocalDesign, requireValid } from '../local-design.ts';
import { humanBytes, printIssues, printJson } from '../output.ts';

export function packCommand(program: Command): void {
  program
    .command('pack [dir]')
    .description('build the tar.gz that `ohw publish` uploads, and print its checksum')
    .option('-o, --output <file>', 'where to write the archive (default: <owner>-<name>-<version>.tar.gz)')
    .option('--json', 'machine-readable result')
    .action(async (dir: string | undefined, opts: { output?: string; json?: boolean }) => {
      const design = await loadLocalDesign(dir ?? '.');
      const manifest = requireValid(design);
      const gz = await writeArchive(design.files);
      const out = path.resolve(opts.output ?? `${manifest.name.replace('/', '-')}-${manifest.version}.tar.gz`);
      fs.writeFileSync(out, gz);
      const checksum = packageChecksum(design.files);
      const bytes = design.files.reduce((n, f) => n + f.data.byteLength, 0);
      if (opts.json) {
        printJson({ name: manifest.name, version: manifest.version, archive: out, files: design.files.length, bytes, compressedBytes: gz.length, checksum });
        return;
      }
      printIssues(design.result.issues);
      process.stdout.write(
        `packed ${manifest.name}@${manifest.version}: ${design.files.length} files, ${humanBytes(bytes)} → ${humanBytes(gz.length)}\n` +
        `archive:  ${path.relative(process.cwd(), out) || out}\n` +
        `checksum: ${checksum}\n`,
      );
    });
}
