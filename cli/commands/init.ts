import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { checkLicense } from '../../schema/licenses.ts';
import { parsePackageName } from '../../schema/names.ts';
import { CATEGORIES, PROCESS_CODES } from '../../schema/types.ts';
import { validateDesign } from '../../schema/manifest/index.ts';
import { readDesignFolder, designSource } from '../../io/design-folder.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printIssues } from '../output.ts';
import { starterFiles, type StarterAnswers } from '../starter-design.ts';

interface InitFlags {
  name?: string; title?: string; summary?: string; function?: string; version: string;
  licenseHardware: string; licenseDocumentation: string; licenseSoftware: string;
  category: string; process: string; licensor?: string; language: string; force?: boolean;
}

function checkAnswers(a: StarterAnswers): string | null {
  try { parsePackageName(a.name); } catch (e) { return (e as Error).message; }
  for (const [role, expr] of [['hardware', a.licenseHardware], ['documentation', a.licenseDocumentation], ['software', a.licenseSoftware]] as const) {
    const bad = checkLicense(expr, role).find((f) => f.severity === 'error');
    if (bad) return `--license-${role}: ${bad.message}`;
  }
  if (!(CATEGORIES as readonly string[]).includes(a.category)) return `--category must be one of: ${CATEGORIES.join(', ')}`;
  const unknown = a.processes.filter((p) => !(PROCESS_CODES as readonly string[]).includes(p));
  if (unknown.length) return `--process: unknown process code(s) ${unknown.join(', ')}; known: ${PROCESS_CODES.join(' ')}`;
  return null;
}

async function ask(flags: InitFlags): Promise<StarterAnswers> {
  const { input, select } = await import('@inquirer/prompts');
  const name = flags.name ?? await input({
    message: 'Package name (owner/name):',
    validate: (v) => { try { parsePackageName(v); return true; } catch (e) { return (e as Error).message; } },
  });
  const short = name.split('/')[1] ?? name;
  return {
    name,
    title: flags.title ?? await input({ message: 'Title:', default: short.replace(/-/g, ' ') }),
    summary: flags.summary ?? await input({ message: 'One-line summary:' , validate: (v) => v.trim() !== '' || 'required' }),
    function: flags.function ?? await input({ message: 'What does it do, and for whom?', validate: (v) => v.trim() !== '' || 'required' }),
    version: flags.version,
    licenseHardware: await input({ message: 'Hardware licence (SPDX):', default: flags.licenseHardware, validate: (v) => checkLicense(v, 'hardware').find((f) => f.severity === 'error')?.message ?? true }),
    licenseDocumentation: await input({ message: 'Documentation licence (SPDX):', default: flags.licenseDocumentation, validate: (v) => checkLicense(v, 'documentation').find((f) => f.severity === 'error')?.message ?? true }),
    licenseSoftware: await input({ message: 'Software licence (SPDX, or NONE):', default: flags.licenseSoftware, validate: (v) => checkLicense(v, 'software').find((f) => f.severity === 'error')?.message ?? true }),
    category: await select<string>({ message: 'Category:', choices: CATEGORIES.map((c) => ({ value: c as string })), default: flags.category }),
    processes: (await input({ message: `Processes (${PROCESS_CODES.join(' ')}):`, default: flags.process })).split(/[\s,]+/).filter(Boolean),
    licensor: flags.licensor ?? await input({ message: 'Licensor (your name or organisation):', default: name.split('/')[0] }),
    language: flags.language,
  };
}

export function initCommand(program: Command): void {
  program
    .command('init [dir]')
    .description('write a valid starter design (asks on a terminal; use flags otherwise)')
    .option('--name <owner/name>', 'package name')
    .option('--title <title>', 'human name')
    .option('--summary <text>', 'one-line summary')
    .option('--function <text>', 'what it does and for whom')
    .option('--version <semver>', 'first version', '0.1.0')
    .option('--license-hardware <spdx>', 'hardware licence', 'CERN-OHL-S-2.0')
    .option('--license-documentation <spdx>', 'documentation licence', 'CC-BY-SA-4.0')
    .option('--license-software <spdx>', 'software licence, or NONE', 'NONE')
    .option('--category <category>', 'OSHWA category', 'Other')
    .option('--process <codes>', 'production processes, comma-separated', 'ASM')
    .option('--licensor <name>', 'licensor (default: the owner)')
    .option('--language <bcp47>', 'documentation language', 'en')
    .option('--force', 'overwrite an existing design.yaml')
    .action(async (dir: string | undefined, flags: InitFlags) => {
      const target = path.resolve(dir ?? '.');
      if (fs.existsSync(path.join(target, 'design.yaml')) && !flags.force) {
        throw new CliError(`${path.join(target, 'design.yaml')} already exists (use --force to overwrite)`, EXIT.user);
      }
      let answers: StarterAnswers;
      if (process.stdin.isTTY && process.stdout.isTTY) {
        answers = await ask(flags);
      } else {
        if (!flags.name) throw new CliError('not a terminal: give at least --name owner/name (see `ohw init --help`)', EXIT.usage);
        const short = flags.name.split('/')[1] ?? flags.name;
        answers = {
          name: flags.name,
          title: flags.title ?? short.replace(/-/g, ' '),
          summary: flags.summary ?? `A new open hardware design: ${short}`,
          function: flags.function ?? `Describe what ${short} does and for whom.`,
          version: flags.version,
          licenseHardware: flags.licenseHardware,
          licenseDocumentation: flags.licenseDocumentation,
          licenseSoftware: flags.licenseSoftware,
          category: flags.category,
          processes: flags.process.split(/[\s,]+/).filter(Boolean),
          licensor: flags.licensor ?? flags.name.split('/')[0]!,
          language: flags.language,
        };
      }
      const problem = checkAnswers(answers);
      if (problem) throw new CliError(problem, EXIT.usage);
      const files = starterFiles(answers);
      for (const f of files) {
        const file = path.join(target, f.path);
        if (f.path !== 'design.yaml' && fs.existsSync(file)) continue; // never clobber the user's files
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, f.content);
      }
      const result = validateDesign(designSource(await readDesignFolder(target)));
      printIssues(result.issues);
      process.stdout.write(`wrote a starter design for ${answers.name} in ${path.relative(process.cwd(), target) || '.'}\n` +
        `next: edit design.yaml, then \`ohw validate\` and \`ohw pack\`\n`);
      if (!result.ok) process.exitCode = 1;
    });
}
