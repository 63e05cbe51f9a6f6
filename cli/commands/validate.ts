import type { Command } from 'commander';
import { loadLocalDesign } from '../local-design.ts';
import { printIssues, printJson } from '../output.ts';

export function validateCommand(program: Command): void {
  program
    .command('validate [dir]')
    .description('check design.yaml and the package files; print located issues')
    .option('--json', 'machine-readable result')
    .action(async (dir: string | undefined, opts: { json?: boolean }) => {
      const design = await loadLocalDesign(dir ?? '.');
      const { manifest, issues } = design.result;
      const errors = issues.filter((i) => i.severity === 'error');
      const ok = errors.length === 0 && manifest !== undefined;
      if (opts.json) {
        printJson({ ok, name: manifest?.name, version: manifest?.version, files: design.files.length, issues });
      } else {
        printIssues(issues, ok ? process.stdout : process.stderr);
        if (ok && manifest) {
          const warnings = issues.length;
          process.stdout.write(
            `✓ ${manifest.name}@${manifest.version} is valid: ${manifest.bom.length} BOM lines, ${design.files.length} files, ` +
            `licences ${manifest.license.hardware} (hardware) / ${manifest.license.documentation} (documentation)` +
            `${warnings ? `, ${warnings} warning(s)` : ''}\n`,
          );
        } else {
          process.stderr.write(`✗ ${errors.length} error(s)\n`);
        }
      }
      if (!ok) process.exitCode = 1;
    });
}
