import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../../../schema/types.ts';
import { appendLine, markHolders, parseBuildReport, parseLines, qcId, replayBuilds, summarizeBuilds } from '../../../../server/domain/production/builds.ts';
import { refusal } from '../../../helpers/refusal.ts';

const manifest = {
  production: {
    processes: ['WEL'],
    qualityControl: [{ step: 'Chamber dimensions', method: 'm', acceptance: 'a' }],
    performance: [{ id: 'blocks-per-hour', metric: 'Blocks per hour', unit: 'blocks/h', target: 300, comparison: '>=' }],
  },
} as unknown as Manifest;

const report = (over: Record<string, unknown> = {}) => parseBuildReport({ outcome: 'works', region: 'de-be', processes: ['WEL'], qc: { 'chamber-dimensions': 'pass' }, measurements: { 'blocks-per-hour': 320 }, ...over }, manifest);

describe('build reports', () => {
  it('qualityControl items are named by the slug of their step', () => {
    expect(qcId('Chamber dimensions')).toBe('chamber-dimensions');
  });

  it('refuse qc items and measurements the version does not declare, and unknown fields', () => {
    refusal(() => report({ qc: { 'paint': 'pass' } }), 'INVALID_REQUEST', 'qc.paint: not a qualityControl item of this version; items: chamber-dimensions');
    refusal(() => report({ measurements: { speed: 3 } }), 'INVALID_REQUEST', 'measurements.speed: not a performance criterion of this version; criteria: blocks-per-hour');
    refusal(() => report({ outcome: 'meh' }), 'INVALID_REQUEST', /outcome: "meh" is not allowed; allowed: works, works-with-changes, failed/);
    refusal(() => report({ contact: 'x' }), 'INVALID_REQUEST', /unknown property "contact"/);
  });

  it('replay reports with endorsements and corrections; summaries count independent builds meeting each criterion', () => {
    let text: string | undefined;
    const add = (actor: string, type: 'report' | 'endorsement', data: Record<string, unknown>) => { text = appendLine(text, { type, at: `2026-01-0${parseLines(text).length + 1}T00:00:00Z`, actor, data }).text; };
    add('owner', 'report', { ...report() });
    add('maker', 'report', { ...report({ measurements: { 'blocks-per-hour': 250 } }) });
    add('maker', 'report', { ...report({ corrects: '2', measurements: { 'blocks-per-hour': 310 } }) });
    add('failer', 'report', { ...report({ outcome: 'failed', region: 'FR', measurements: {} }) });
    add('owner', 'endorsement', { report: '3' });
    const all = replayBuilds(parseLines(text));
    expect(all.map((r) => [r.id, r.reporter, r.correctedBy, r.endorsedBy])).toEqual([
      ['1', 'owner', [], []], ['2', 'maker', ['3'], []], ['3', 'maker', [], ['owner']], ['4', 'failer', [], []],
    ]);
    const s = summarizeBuilds(all, manifest.production.performance!, ['owner']);
    expect(s).toMatchObject({ builds: 3, successful: 2, successRate: 67, independent: 1, regions: ['DE-BE', 'FR'] });
    expect(s.performance[0]).toMatchObject({ measured: 2, min: 310, max: 320, met: 2, metIndependent: 1 });
    expect(markHolders(all, ['owner'])).toEqual({ owners: ['owner'], producers: ['maker'] });
  });
});
