import fs from 'node:fs';
import type { Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import { parsePackageSpec } from '../../schema/names.ts';
import { CHECKLIST, DECISIONS } from '../../schema/certification/checklist.ts';
import { CERT_ID_PATTERN, UID_PATTERN } from '../../schema/certification/record.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson, table } from '../output.ts';
import { formatReport, verifyCertificate } from '../certify-verify.ts';

/** What `GET /api/v1/certifications/:id` answers. */
interface CertificationView {
  id: string; package: string; version: string; checksum: string; tag: string; state: string;
  quorum: number; approvals: number; owners: string[];
  checks: Array<{ id: string; result: 'pass' | 'warn' | 'fail'; evidence: string }>;
  checksPassed: boolean;
  reviews: Array<{ reviewer: string; at: string; round: number; decision: string; comment?: string;
    maturity?: { technology?: string; documentation?: string };
    checklist: Record<string, { result: string; comment?: string }> }>;
  certificate: null | { uid: string; validFrom: string; validUntil: string; state: string; reviewers: string[];
    maturity: { technology?: string; documentation: string } };
  flags: string[];
  history: Array<{ seq: number; type: string; at: string; actor: string; reason?: string }>;
}

const LIFECYCLE = {
  withdraw: 'withdraw a certificate (owners or an admin)',
  suspend: 'suspend a certificate (admin; needs --reason)',
  revoke: 'revoke a certificate for good (admin; needs --reason, which stays public)',
  renew: 'extend a certificate by one year (owners or an admin)',
  reinstate: 'reinstate a suspended certificate (admin)',
} as const;

const MARK = { pass: '✓ pass', warn: '! warn', fail: '✗ fail' } as const;

function requireId(id: string): string {
  if (!CERT_ID_PATTERN.test(id)) throw new CliError(`"${id}" is not a certification id (CR- and six digits)`, EXIT.usage);
  return id;
}

/** A certification id (CR-…) as given, or the certification a certificate UID (OHC-…) belongs to. */
async function certificationIdOf(client: ReturnType<typeof clientFor>, ref: string): Promise<string> {
  if (UID_PATTERN.test(ref)) return (await client.json<{ certification: string }>('GET', `/certificates/${ref}`)).certification;
  if (!CERT_ID_PATTERN.test(ref)) throw new CliError(`"${ref}" is neither a certification id (CR-000001) nor a certificate UID (OHC-000001)`, EXIT.usage);
  return ref;
}

/** The checklist template: every item with its question, ready to fill in. */
export function checklistTemplate(): string {
  const lines = [
    '# Certification review checklist (Open Hardware Commons, SPEC §5).',
    '# Every result starts empty: set each to pass, fail or n/a (n/a only for optional items) and say why.',
    '# A result left empty is refused, so nothing is approved by default.',
    '# Then: ohw certify review CR-000001 --checklist this-file.yaml --decision approve|changes|reject',
    '',
  ];
  for (const item of CHECKLIST) {
    lines.push(`# ${item.question}${item.required ? '' : ' (optional)'}`);
    lines.push(`${item.id}:`, `  result:    # ${item.required ? 'pass | fail' : 'pass | fail | n/a'}`, '  comment: ""', '');
  }
  return lines.join('\n');
}

function readChecklist(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new CliError(`cannot read the checklist ${file}: ${(e as Error).message}`, EXIT.user);
  }
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch (e) {
    throw new CliError(`${file} is not valid YAML: ${(e as Error).message}`, EXIT.user);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new CliError(`${file} must map checklist item ids to {result, comment} (see \`ohw certify checklist\`)`, EXIT.user);
  }
  return parsed as Record<string, unknown>;
}

export function formatCertification(c: CertificationView): string {
  const out: string[] = [
    `${c.id}  ${c.package}@${c.version}  —  ${c.state.toUpperCase()}${c.flags.length ? `  [${c.flags.join(', ')}]` : ''}`,
    `checksum:  ${c.checksum}`,
    `git tag:   ${c.tag}`,
    `owners:    ${c.owners.join(', ')}`,
    `approvals: ${c.approvals} of ${c.quorum} needed`,
  ];
  if (c.certificate) {
    const m = c.certificate.maturity;
    out.push('', `certificate ${c.certificate.uid} (${c.certificate.state}): valid ${c.certificate.validFrom} → ${c.certificate.validUntil}`,
      `  maturity: ${[m.technology, m.documentation].filter(Boolean).join(', ')}; reviewers: ${c.certificate.reviewers.join(', ')}`);
  }
  out.push('', 'automatic checks:');
  if (!c.checks.length) out.push('  (not run yet)');
  else out.push(table(['check', 'result', 'evidence'], c.checks.map((k) => [k.id, MARK[k.result], k.evidence])).trimEnd().replace(/^/gm, '  '));
  out.push('', 'reviews:');
  if (!c.reviews.length) out.push('  (none yet)');
  for (const r of c.reviews) {
    const failed = Object.entries(r.checklist).filter(([, a]) => a.result === 'fail').map(([id]) => id);
    const maturity = r.maturity ? ` ${[r.maturity.technology, r.maturity.documentation].filter(Boolean).join('/')}` : '';
    out.push(`  round ${r.round}: ${r.reviewer} — ${r.decision}${maturity} (${r.at})${r.comment ? `: ${r.comment}` : ''}`);
    if (failed.length) out.push(`    failed items: ${failed.join(', ')}`);
  }
  out.push('', 'history:');
  for (const h of c.history) out.push(`  #${h.seq} ${h.type} by ${h.actor} at ${h.at}${h.reason ? ` — ${h.reason}` : ''}`);
  return out.join('\n') + '\n';
}

function summary(c: CertificationView): string {
  const failing = c.checks.filter((k) => k.result === 'fail');
  let line = `${c.id}: ${c.package}@${c.version} is ${c.state}`;
  if (c.certificate) line += `; certificate ${c.certificate.uid} (${c.certificate.state}, valid until ${c.certificate.validUntil})`;
  else if (c.state === 'in-review') line += ` (${c.approvals} of ${c.quorum} approvals)`;
  const lines = [line];
  if (failing.length) lines.push('automatic checks failed:', ...failing.map((k) => `  ✗ ${k.id}: ${k.evidence}`));
  return lines.join('\n') + '\n';
}

export function certifyCommand(program: Command): void {
  const certify = program.command('certify').description('request, review, show and verify certifications (SPEC §5)');

  certify
    .command('request <package>')
    .description('ask for owner/name@version to be certified; the automatic checks run at once')
    .option('--json', 'machine-readable result')
    .action(async (spec: string, opts: { json?: boolean }, cmd: Command) => {
      const { pkg, range } = parsePackageSpec(spec);
      if (!range) throw new CliError('give the exact version to certify: owner/name@x.y.z', EXIT.usage);
      const client = clientFor(cmd);
      client.requireToken();
      const c = await client.json<CertificationView>('POST', '/certifications', { package: pkg, version: range });
      if (opts.json) return printJson(c);
      process.stdout.write(summary(c));
      if (c.state === 'in-review') process.stdout.write(`reviewers can now run: ohw certify review ${c.id} --checklist review.yaml --decision approve\n`);
    });

  certify
    .command('checklist')
    .description('print a review checklist template with every item and its question')
    .option('--json', 'the items as JSON')
    .action((opts: { json?: boolean }) => {
      if (opts.json) return printJson(CHECKLIST);
      process.stdout.write(checklistTemplate());
    });

  certify
    .command('review <id>')
    .description('record your review of a certification (reviewer role, token with the "review" scope)')
    .requiredOption('--checklist <file>', 'YAML: {<item id>: {result: pass|fail|n/a, comment}} (template: ohw certify checklist)')
    .requiredOption('--decision <decision>', DECISIONS.join('|'))
    .option('--technology <level>', 'your assessment of technology maturity (OTRL-1..OTRL-6)')
    .option('--documentation <level>', 'your assessment of documentation maturity (ODRL-1..ODRL-4)')
    .option('--comment <text>', 'a comment for the owners')
    .option('--json', 'machine-readable result')
    .action(async (id: string, opts: { checklist: string; decision: string; technology?: string; documentation?: string; comment?: string; json?: boolean }, cmd: Command) => {
      requireId(id);
      if (!(DECISIONS as readonly string[]).includes(opts.decision)) throw new CliError(`--decision must be one of ${DECISIONS.join(', ')}`, EXIT.usage);
      const body: Record<string, unknown> = { decision: opts.decision, checklist: readChecklist(opts.checklist) };
      if (opts.technology || opts.documentation) {
        body.maturity = { ...(opts.technology ? { technology: opts.technology } : {}), ...(opts.documentation ? { documentation: opts.documentation } : {}) };
      }
      if (opts.comment) body.comment = opts.comment;
      const client = clientFor(cmd);
      client.requireToken();
      const c = await client.json<CertificationView>('POST', `/certifications/${id}/reviews`, body);
      if (opts.json) return printJson(c);
      process.stdout.write(`review recorded (${opts.decision}).\n${summary(c)}`);
    });

  certify
    .command('show <id>')
    .description('show a certification (CR-…) or a certificate (OHC-…): state, checks, reviews, certificate')
    .option('--json', 'machine-readable result')
    .action(async (ref: string, opts: { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const id = await certificationIdOf(client, ref);
      const c = await client.json<CertificationView>('GET', `/certifications/${id}`);
      if (opts.json) return printJson(c);
      process.stdout.write(formatCertification(c));
    });

  certify
    .command('verify <uid>')
    .description('verify a certificate against the git record history and the version checksum, without trusting the server')
    .option('--json', 'machine-readable result')
    .action(async (uid: string, opts: { json?: boolean }, cmd: Command) => {
      const report = await verifyCertificate(clientFor(cmd), uid);
      if (opts.json) {
        const { view: _view, ...rest } = report;
        printJson(rest);
      } else process.stdout.write(formatReport(report));
      // 1: tampered (the record or the version cannot be trusted); 4: sound but not holding.
      if (report.tampered) process.exitCode = EXIT.user;
      else if (!report.ok) process.exitCode = EXIT.notHolding;
    });

  for (const [action, description] of Object.entries(LIFECYCLE)) {
    certify
      .command(`${action} <id>`)
      .description(`${description}; <id> is the certification (CR-…) or its certificate (OHC-…)`)
      .option('--reason <text>', 'why (kept in the public record)')
      .option('--json', 'machine-readable result')
      .action(async (ref: string, opts: { reason?: string; json?: boolean }, cmd: Command) => {
        const client = clientFor(cmd);
        client.requireToken();
        const id = await certificationIdOf(client, ref);
        const c = await client.json<CertificationView>('POST', `/certifications/${id}/${action}`, opts.reason ? { reason: opts.reason } : {});
        if (opts.json) return printJson(c);
        process.stdout.write(summary(c));
      });
  }

  certify
    .command('resubmit <id>')
    .description('after changes were requested: submit a new version for the same certification')
    .requiredOption('--version <version>', 'the new version (published first)')
    .option('--json', 'machine-readable result')
    .action(async (ref: string, opts: { version: string; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      client.requireToken();
      const id = await certificationIdOf(client, ref);
      const c = await client.json<CertificationView>('POST', `/certifications/${id}/resubmit`, { version: opts.version });
      if (opts.json) return printJson(c);
      process.stdout.write(summary(c));
    });
}
