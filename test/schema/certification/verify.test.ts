import { describe, expect, it } from 'vitest';
import { auditRecord, type RecordRevision, type ServedCertificate } from '../../../schema/certification/verify.ts';
import { build, certificate, certified, checks, ev, join, lines, review, submitted } from './fixtures.ts';

const NOW = new Date('2026-06-01T00:00:00Z');
const drafts = () => [submitted(), checks(), review('rev1'), [review('rev2'), certified()]] as const;

/** One revision per commit, authored as the server does (the actor of the events it adds). */
function history(groups: ReadonlyArray<unknown>): RecordRevision[] {
  const out: RecordRevision[] = [];
  const flat: Parameters<typeof build>[0] = [];
  for (const [n, g] of groups.entries()) {
    const add = (Array.isArray(g) ? g : [g]) as Parameters<typeof build>[0];
    flat.push(...add);
    out.push({ commit: `${n + 1}`.padEnd(40, 'c'), author: add[0]!.actor, date: '', content: build(flat) });
  }
  return out;
}
const served = (over: Partial<ServedCertificate> = {}): ServedCertificate => ({
  ...certificate(['rev1', 'rev2']), record: { path: 'certifications/CR-000001.jsonl', commit: '4'.padEnd(40, 'c') }, ...over,
});

describe('auditRecord', () => {
  it('a sound history: chain with commits, certified verdict', () => {
    const a = auditRecord('CR-000001', history(drafts()), served(), NOW);
    expect(a.problems).toEqual([]);
    expect(a.state).toBe('certified');
    expect(a.chain.map((c) => `${c.seq}:${c.type}:${c.actor}:${c.commit.slice(0, 1)}`)).toEqual(['1:submitted:alice:1', '2:checks:ohw-registry:2', '3:review:rev1:3', '4:review:rev2:4', '5:certified:rev2:4']);
    expect(a.verdict).toMatch(/^certified — OHC-000001 covers alice\/widget@1\.0\.0/);
  });

  it('revoked: sound, with the reason in the verdict', () => {
    const a = auditRecord('CR-000001', history([...drafts(), ev('revoked', 'admin', { reason: 'patent' })]), served(), NOW);
    expect(a.problems).toEqual([]);
    expect(a.state).toBe('revoked');
    expect(a.verdict).toMatch(/^revoked on .* by admin: patent$/);
    expect(a.chain.at(-1)).toMatchObject({ type: 'revoked', reason: 'patent' });
  });

  it('expired once past its validity', () => {
    expect(auditRecord('CR-000001', history(drafts()), served(), new Date('2030-01-01')).verdict).toMatch(/^expired/);
  });

  it('a commit that rewrites earlier events is reported', () => {
    const revs = history(drafts());
    const edited = lines(revs[2]!.content);
    edited[0] = edited[0]!.replace('"quorum":2', '"quorum":1');
    revs[2] = { ...revs[2]!, content: join(edited) };
    const problems = auditRecord('CR-000001', revs, served(), NOW).problems;
    expect(problems).toContain(`commit ${'3'.padEnd(12, 'c')} rewrites earlier events of the record instead of appending to it`);
    expect(problems).toContain(`commit ${'4'.padEnd(12, 'c')} rewrites earlier events of the record instead of appending to it`);
  });

  it('events committed by someone else are reported', () => {
    const revs = history(drafts());
    revs[2] = { ...revs[2]!, author: 'mallory' };
    expect(auditRecord('CR-000001', revs, served(), NOW).problems).toEqual([`event 3 (review) by rev1 was committed by mallory (${'3'.padEnd(12, 'c')})`]);
  });

  it('a served certificate that differs from the record, or a wrong issuing commit, is reported', () => {
    const problems = auditRecord('CR-000001', history(drafts()), served({ checksum: `sha256:${'f'.repeat(64)}`, record: { path: 'certifications/CR-000001.jsonl', commit: 'e'.repeat(40) } }), NOW).problems;
    expect(problems).toEqual([
      `the served certificate's checksum (sha256:${'f'.repeat(64)}) differs from the record's (sha256:${'a'.repeat(64)})`,
      `the registry says the certificate was issued in commit ${'e'.repeat(40)}, but the record's history shows ${'4'.padEnd(40, 'c')}`,
    ]);
  });

  it('no history, or a record without a certificate, is reported', () => {
    expect(auditRecord('CR-000001', [], served(), NOW).problems).toEqual(['the index has no history for certifications/CR-000001.jsonl']);
    expect(auditRecord('CR-000001', history([submitted(), checks()]), served(), NOW).problems).toContain('the record CR-000001 holds no certificate, but the registry serves OHC-000001');
  });
});
