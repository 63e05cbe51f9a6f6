import type { Command } from 'commander';
import { saveToken } from '../config.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson } from '../output.ts';

interface Credentials { name?: string; email?: string; password?: string }

/** Flags first, then $OHW_PASSWORD, then a prompt on a terminal; otherwise a usage error. */
async function credentials(flags: Credentials, needEmail: boolean): Promise<Required<Credentials>> {
  const interactive = process.stdin.isTTY && process.stdout.isTTY;
  const missing = (what: string) => new CliError(`not a terminal: give --${what}${what === 'password' ? ' or set OHW_PASSWORD' : ''}`, EXIT.usage);
  const prompts = interactive ? await import('@inquirer/prompts') : undefined;
  const name = flags.name ?? (prompts ? await prompts.input({ message: 'Account name:' }) : undefined);
  if (!name) throw missing('name');
  let email = flags.email ?? '';
  if (needEmail && !email) {
    if (!prompts) throw missing('email');
    email = await prompts.input({ message: 'E-mail:' });
  }
  const password = flags.password ?? process.env.OHW_PASSWORD ?? (prompts ? await prompts.password({ message: 'Password (10+ characters):', mask: '*' }) : undefined);
  if (!password) throw missing('password');
  return { name, email, password };
}

export function accountCommands(program: Command): void {
  program
    .command('register')
    .description('create an account on the registry and save its token')
    .option('--name <name>', 'account name (lowercase letters, digits, hyphens)')
    .option('--email <email>', 'e-mail address')
    .option('--password <password>', 'password (prefer the prompt or OHW_PASSWORD)')
    .option('--json', 'machine-readable result')
    .action(async (flags: Credentials & { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const c = await credentials(flags, true);
      const res = await client.json<{ account: string; token: string; scopes: string[] }>('POST', '/accounts', c);
      const file = saveToken(client.opts.registry, res.token, res.account);
      if (flags.json) return printJson({ account: res.account, scopes: res.scopes, config: file });
      process.stdout.write(`registered ${res.account} on ${client.opts.registry}; token saved in ${file}\n`);
    });

  program
    .command('login')
    .description('log in with name and password; the new token is saved in the config file')
    .option('--name <name>', 'account name')
    .option('--password <password>', 'password (prefer the prompt or OHW_PASSWORD)')
    .option('--scopes <scopes>', 'comma-separated: publish, review, admin', 'publish')
    .option('--json', 'machine-readable result')
    .action(async (flags: Credentials & { scopes: string; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const c = await credentials(flags, false);
      const scopes = flags.scopes.split(',').map((s) => s.trim()).filter(Boolean);
      const res = await client.json<{ account: string; token: string; scopes: string[] }>('POST', '/tokens', { name: c.name, password: c.password, scopes });
      const file = saveToken(client.opts.registry, res.token, res.account);
      if (flags.json) return printJson({ account: res.account, scopes: res.scopes, config: file });
      process.stdout.write(`logged in as ${res.account} (scopes: ${res.scopes.join(', ')}); token saved in ${file}\n`);
    });
}
