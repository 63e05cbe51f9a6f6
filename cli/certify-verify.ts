/**
 * `ohw certify verify UID`: check a certificate without trusting the server.
 *
 * The server is asked only for the certificate (which names its record) and the version archive;
 * everything else comes from git: a bare clone of `<registry>/git/index.git`, the record file's
 * history read with real git, the design's tag via `git ls-remote`. The pure decisions are in
 * schema/certification/verify.ts. Against a registry that rewrites its index history, the index
 * HEAD last verified per registry is remembered in `~/.config/ohw/known-index-heads.json` and must
 * stay an ancestor of every later HEAD (trust on first use, like ssh's known_hosts).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { readArchive } from '../schema/archive.ts';
import { packageChecksum } from '../schema/checksum.ts';
import { OhwError } from '../schema/errors.ts';
import { UID_PATTERN } from '../schema/certification/record.ts';
import { auditRecord, type RecordAudit, type RecordRevision, type ServedCertificate } from '../schema/certification/verify.ts';
import type { RegistryClient } from './client.ts';
import { configPath } from './config.ts';
import { CliError, EXIT } from './exit-codes.ts';

export interface VerifyReport extends RecordAudit {
  uid: string;
  registry: string;
  indexHead?: string;
  /** Facts established (for the readable output). */
  confirmed: string[];
  /** Sound record and the certificate holds now. */
  ok: boolean;
  /** The record (or the registry's history, or the version) was tampered with. */
  tampered: boolean;
}

interface KnownHeads { [registry: string]: { head: string; verifiedAt: string } }

export const knownHeadsPath = (): string => path.join(path.dirname(configPath()), 'known-index-heads.json');

function readKnownHeads(): KnownHeads {
  try {
    return JSON.parse(fs.readFileSync(knownHeadsPath(), 'utf8')) as KnownHeads;
  } catch {
    return {};
  }
}

function rememberHead(registry: string, head: string, at: Date): void {
  const file = knownHeadsPath();
  const all = readKnownHeads();
  all[registry] = { head, verifiedAt: at.toISOString() };
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(all, null, 2) + '\n', { mode: 0o600 });
  fs.renameSync(tmp, file);
}

async function isAncestor(git: SimpleGit, ancestor: string, of: string): Promise<boolean> {
  try {
    await git.raw(['merge-base', '--is-ancestor', ancestor, of]);
    return true;
  } catch {
    return false; // exit 1 (not an ancestor) or 128 (object unknown: not in this history at all)
  }
}

const short = (oid: string | null | undefined) => (oid ? oid.slice(0, 12) : '(none)');

export async function verifyCertificate(client: RegistryClient, uid: string, now = new Date()): Promise<VerifyReport> {
  if (!UID_PATTERN.test(uid)) throw new CliError(`"${uid}" is not a certificate UID (OHC- and six digits)`, EXIT.usage);
  const registry = client.opts.registry;
  const served = await client.json<ServedCertificate>('GET', `/certificates/${uid}`);
  if (!served.record?.path || !/^certifications\/CR-\d{6}\.jsonl$/.test(served.record.path)) {
    throw new OhwError('INTERNAL', `the registry did not say where the record of ${uid} is`);
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ohw-verify-'));
  try {
    try {
      await simpleGit().raw(['clone', '--bare', '--quiet', `${registry}/git/index.git`, tmp]);
    } catch (e) {
      throw new CliError(`cannot clone ${registry}/git/index.git to verify the record: ${(e as Error).message.trim()}`, EXIT.network);
    }
    const git = simpleGit(tmp);
    const head = (await git.raw(['rev-parse', 'HEAD'])).trim();
    const confirmed: string[] = [];
    const problems: string[] = [];

    // The registry's history was not rewritten since we last looked.
    const known = readKnownHeads()[registry];
    if (known && known.head !== head) {
      if (await isAncestor(git, known.head, head)) confirmed.push(`index history extends the head verified on ${known.verifiedAt} (${short(known.head)})`);
      else problems.push(`the registry's history was rewritten since ${known.verifiedAt}: ${known.head} is no longer in it`);
    } else if (known) confirmed.push(`index head unchanged since ${known.verifiedAt}`);

    // Every revision of the record, oldest first, from git itself.
    const log = await git.raw(['log', '--reverse', '--format=%H%x09%an%x09%aI', head, '--', served.record.path]);
    const revisions: RecordRevision[] = [];
    for (const line of log.split('\n').filter(Boolean)) {
      const [commit = '', author = '', date = ''] = line.split('\t');
      let content = '';
      try { content = await git.show([`${commit}:${served.record.path}`]); } catch { content = ''; }
      revisions.push({ commit, author, date, content });
    }
    const id = path.basename(served.record.path, '.jsonl');
    const audit = auditRecord(id, revisions, served, now);
    problems.push(...audit.problems);

    if (served.record.commit) {
      if (await isAncestor(git, served.record.commit, head)) confirmed.push(`issuing commit ${short(served.record.commit)} is in the index history`);
      else problems.push(`the issuing commit ${served.record.commit} is not an ancestor of the index HEAD ${head}`);
    }

    // The version: its tag over git, its bytes against the certified checksum.
    const cert = audit.certificate ?? served;
    const repo = `${registry}/git/${cert.package}.git`;
    try {
      const remote = (await simpleGit().raw(['ls-remote', repo, `refs/tags/v${cert.version}`])).trim();
      const oid = remote.split(/\s+/)[0] ?? '';
      if (!oid) problems.push(`${repo} has no tag v${cert.version}`);
      else if (oid !== cert.tag) problems.push(`tag v${cert.version} of ${cert.package} is ${oid}, the certificate binds ${cert.tag}: the tag was moved`);
      else confirmed.push(`tag v${cert.version} of ${cert.package} is ${short(oid)}, as certified`);
    } catch (e) {
      problems.push(`cannot read the tags of ${repo}: ${(e as Error).message.trim()}`);
    }
    const archive = await client.bytes(`/designs/${cert.package}/versions/${encodeURIComponent(cert.version)}/archive`);
    const checksum = packageChecksum(await readArchive(archive.body));
    if (checksum !== cert.checksum) problems.push(`the archive of ${cert.package}@${cert.version} has checksum ${checksum}, the certificate says ${cert.checksum}`);
    else confirmed.push(`archive of ${cert.package}@${cert.version} matches ${checksum}`);

    const tampered = problems.length > 0;
    // Remember the head only when everything checked out, so a rewrite keeps being reported.
    if (!tampered) rememberHead(registry, head, now);
    const ok = !tampered && audit.state === 'certified';
    return { ...audit, problems, uid, registry, indexHead: head, confirmed, ok, tampered };
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The readable report: the chain, what was confirmed, and the verdict. */
export function formatReport(r: VerifyReport): string {
  const out: string[] = [`certificate ${r.uid} on ${r.registry}`];
  if (r.certificate) out.push(`  ${r.certificate.package}@${r.certificate.version}  ${r.certificate.checksum}`, `  tag ${r.certificate.tag}`);
  out.push('', 'record history (index.git):');
  for (const e of r.chain) {
    out.push(`  #${String(e.seq).padEnd(3)} ${e.type.padEnd(18)} ${e.actor.padEnd(16)} ${e.at}  ${short(e.commit)}${e.reason ? `  reason: ${e.reason}` : ''}`);
  }
  if (r.confirmed.length) out.push('', 'confirmed:', ...r.confirmed.map((c) => `  ✓ ${c}`));
  if (r.problems.length) out.push('', 'TAMPERING OR INCONSISTENCY FOUND:', ...r.problems.map((p) => `  ✗ ${p}`));
  out.push('');
  if (r.tampered) out.push(`verdict: NOT VERIFIED — the record of ${r.uid} cannot be trusted (state claimed: ${r.state ?? 'unknown'})`);
  else if (r.ok) out.push(`verdict: VALID — ${r.verdict}`);
  else out.push(`verdict: record sound, but the certificate does not hold — ${r.verdict}`);
  return out.join('\n') + '\n';
}
