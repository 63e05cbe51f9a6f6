/**
 * `npm run fsck`: `git fsck --full --strict` over every repository of the data dir ($OHW_DATA):
 * each design and the index. Prints one line per repository and the problems of damaged ones;
 * exits 1 when any is damaged. Read-only: safe while the server runs.
 */
import { loadConfig } from './config.ts';
import { fullCheck, listRepositories } from './store/git/integrity.ts';

const { dataDir } = loadConfig();
const repos = await listRepositories(dataDir);
let damaged = 0;
for (const { label, gitdir } of repos) {
  const problems = await fullCheck(gitdir);
  if (problems.length === 0) {
    console.log(`ok       ${label}`);
    continue;
  }
  damaged++;
  console.log(`DAMAGED  ${label}  (${gitdir})`);
  for (const p of problems) console.log(`         ${p}`);
}
console.log(`\n${repos.length} repositories checked, ${damaged} damaged`);
process.exitCode = damaged ? 1 : 0;
