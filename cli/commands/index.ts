import type { Command } from 'commander';
import { initCommand } from './init.ts';
import { validateCommand } from './validate.ts';
import { packCommand } from './pack.ts';
import { accountCommands } from './account.ts';
import { publishCommand } from './publish.ts';
import { infoCommand } from './info.ts';
import { downloadCommand } from './download.ts';
import { yankCommand } from './yank.ts';
import { searchCommand } from './search.ts';
import { forkCommand } from './fork.ts';
import { cloneCommand } from './clone.ts';
import { bomCommand } from './bom.ts';
import { certifyCommand } from './certify.ts';
import { producerCommands } from './producer.ts';
import { pledgeCommands } from './pledge.ts';
import { runCommands } from './run.ts';
import { buildCommands } from './build.ts';
import { importCommand } from './import.ts';
import { exportCommand } from './export.ts';

/** Every `ohw` verb, in the order `ohw --help` lists them. */
export const commands: Array<(program: Command) => void> = [
  initCommand,
  validateCommand,
  packCommand,
  accountCommands,
  publishCommand,
  infoCommand,
  downloadCommand,
  yankCommand,
  searchCommand,
  forkCommand,
  cloneCommand,
  bomCommand,
  certifyCommand,
  producerCommands,
  pledgeCommands,
  runCommands,
  buildCommands,
  importCommand,
  exportCommand,
];
