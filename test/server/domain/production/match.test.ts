import { describe, expect, it } from 'vitest';
import { hasTool, matchProducer, rankProducers, requirementsOf, toolAlternatives } from '../../../../server/domain/production/match.ts';
import { parseProfile, publicProfile, type StoredProfile } from '../../../../server/domain/production/profile.ts';
import type { Manifest } from '../../../../schema/types.ts';
import { refusal } from '../../../helpers/refusal.ts';

const manifest = {
  production: {
    processes: ['WEL', 'MEC', 'ASM'],
    tools: ['CNC torch table (or hand plasma torch with templates)', 'MIG welder 250 A', 'Magnetic drill or drill press', 'Multimeter and soldering iron'],
    facilityLevel: 'homestead',
  },
  parts: [
    { id: 'frame', name: 'Frame', processes: ['WEL', 'CNC'], outerDimensionsMm: [2440, 760, 1220] },
    { id: 'bracket', name: 'Bracket', outerDimensionsMm: [100, 50, 20] },
  ],
} as unknown as Manifest;

const allTools = ['Hand plasma torches with templates', 'mig welder 250 a', 'Drill Presses', 'multimeter', 'soldering irons'];

function producer(facility: string, over: Record<string, unknown> = {}): StoredProfile {
  const body = {
    name: facility, location: { country: 'DE', region: 'DE-BE', lat: 52.5, lon: 13.4 }, facilityLevel: 'campus',
    processes: ['WEL', 'MEC', 'ASM', 'CNC'], tools: allTools, buildEnvelope: { x: 3, y: 2, z: 1.5, unit: 'm' }, ...over,
  };
  return { ...parseProfile(body), account: facility, facility, updatedAt: '2026-01-01T00:00:00Z' };
}

describe('requirements of a design version', () => {
  it('are the processes of production and parts, the tools, the facility level and the largest part', () => {
    const r = requirementsOf(manifest);
    expect(r.processes).toEqual(['ASM', 'CNC', 'MEC', 'WEL']);
    expect(r.facilityLevel).toBe('homestead');
    expect(r.largestPart).toEqual({ id: 'frame', edges: [760, 1220, 2440] });
  });
});

describe('lenient tool matching', () => {
  it('reads "or" alternatives, "(or …)" and "and" as manifests write them', () => {
    expect(toolAlternatives('CNC torch table (or hand plasma torch with templates)')).toEqual([['cnc torch table'], ['hand plasma torch with template']]);
    expect(toolAlternatives('Multimeter and soldering iron')).toEqual([['multimeter', 'soldering iron']]);
  });

  it('ignores case and plurals, and takes any one alternative', () => {
    const [plasma, mig, drill, meter] = requirementsOf(manifest).tools;
    expect(hasTool(['HAND PLASMA TORCH WITH TEMPLATES'], plasma!)).toBe(true);
    expect(hasTool(['MIG welders 250 A'], mig!)).toBe(true);
    expect(hasTool(['magnetic drills'], drill!)).toBe(true);
    expect(hasTool(['multimeter'], meter!)).toBe(false);
    expect(hasTool(['multimeters', 'soldering iron'], meter!)).toBe(true);
    expect(hasTool(['welder'], mig!)).toBe(false);
  });
});

describe('matching one producer', () => {
  const req = requirementsOf(manifest);

  it('is a full fit when processes, tools, facility level and envelope all cover the design', () => {
    expect(matchProducer(producer('full'), req)).toEqual({ fit: 'full', missing: [], reasons: [] });
  });

  it('explains a partial fit: "lacks WEL", the tool, the facility level and the envelope', () => {
    const p = producer('small', { processes: ['MEC', 'ASM', 'CNC'], facilityLevel: 'garage', tools: allTools.slice(1), buildEnvelope: { x: 1000, y: 1000, z: 1000 } });
    const m = matchProducer(p, req);
    expect(m.fit).toBe('partial');
    expect(m.missing).toEqual(['process:WEL', 'tool:CNC torch table (or hand plasma torch with templates)', 'facility:homestead', 'envelope:frame']);
    expect(m.reasons).toEqual([
      'lacks WEL',
      'lacks tool "CNC torch table (or hand plasma torch with templates)"',
      'needs a homestead facility (has garage)',
      'part frame (760 × 1220 × 2440 mm) exceeds the build envelope (1000 × 1000 × 1000 mm)',
    ]);
  });

  it('is no fit at all when the producer has none of the processes', () => {
    expect(matchProducer(producer('textile', { processes: ['TEX'] }), req).fit).toBe('none');
  });
});

describe('ranking', () => {
  const req = requirementsOf(manifest);
  const near = { lat: 52.52, lon: 13.4 };
  const berlinPartial = producer('berlin', { processes: ['MEC', 'ASM', 'CNC'] });
  const munichFull = producer('munich', { location: { country: 'DE', region: 'DE-BY', lat: 48.14, lon: 11.58 } });
  const potsdamFull = producer('potsdam', { location: { country: 'DE', region: 'DE-BB', lat: 52.39, lon: 13.06 } });
  const paris = producer('paris', { location: { country: 'FR', lat: 48.86, lon: 2.35 }, processes: ['TEX'] });

  it('puts full fits first by distance, then partial ones, and leaves out producers with nothing in common', () => {
    const ranked = rankProducers([berlinPartial, munichFull, paris, potsdamFull], req, { near });
    expect(ranked.map((r) => [r.account, r.fit, r.distanceKm !== undefined && Math.round(r.distanceKm)])).toEqual([
      ['potsdam', 'full', 27], ['munich', 'full', 504], ['berlin', 'partial', 2],
    ]);
    expect(ranked[2]!.reasons).toEqual(['lacks WEL']);
  });

  it('filters by radius and by served region', () => {
    expect(rankProducers([berlinPartial, munichFull, potsdamFull], req, { near, radiusKm: 100 }).map((r) => r.account)).toEqual(['potsdam', 'berlin']);
    expect(rankProducers([berlinPartial, munichFull, potsdamFull], req, { region: 'DE-BY' }).map((r) => r.account)).toEqual(['munich']);
  });
});

describe('facility profiles', () => {
  it('refuses unknown process codes and facility levels naming the allowed values, and unknown properties', () => {
    const base = { name: 'x', location: { country: 'DE' }, facilityLevel: 'garage', processes: ['WEL'] };
    refusal(() => parseProfile({ ...base, processes: ['WELD'] }), 'INVALID_REQUEST', /processes\[0\]: "WELD" is not allowed; allowed: ASM, MEC, CIR, PCB, WEL, 3DP, LAS, CNC, CST, WOD, TEX, CER/);
    refusal(() => parseProfile({ ...base, facilityLevel: 'shed' }), 'INVALID_REQUEST', /facilityLevel: "shed" is not allowed; allowed: apartment, garage, homestead, campus, factory/);
    refusal(() => parseProfile({ ...base, colour: 'red' }), 'INVALID_REQUEST', /colour: unknown property "colour"/);
    refusal(() => parseProfile({ ...base, location: { country: 'DE', region: 'Berlin' } }), 'INVALID_REQUEST', /location.region: "Berlin" is not an ISO 3166-2 subdivision code/);
    refusal(() => parseProfile({ ...base, location: { country: 'DE', region: 'FR-75' } }), 'INVALID_REQUEST', /location.region: FR-75 is not in DE/);
    refusal(() => parseProfile({ ...base, location: { country: 'DE', lat: 95, lon: 0 } }), 'INVALID_REQUEST', /latitude 95 is out of range/);
  });

  it('shows the contact only to the owner and the accounts it names', () => {
    const p = producer('lab', { contact: { email: 'lab@example.org', visibleTo: ['friend'] } });
    expect(publicProfile(p, undefined)).not.toHaveProperty('contact');
    expect(publicProfile(p, 'stranger')).not.toHaveProperty('contact');
    expect(publicProfile(p, 'friend')).toHaveProperty('contact.email', 'lab@example.org');
    expect(publicProfile(p, 'lab')).toHaveProperty('contact.email', 'lab@example.org');
  });
});
