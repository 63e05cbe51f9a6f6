/**
 * A facility profile (Open Know Where-aligned): what one facility of an account can make, and
 * where. Field names follow OKW where it has one (`location`, `facilityLevel` ≈ OKW's facility
 * type, `processes` ≈ manufacturing processes, `tools` ≈ equipment, `materials`,
 * `certifications`). The contact is private: only the owner and the accounts it lists see it.
 */
import { OhwError } from '../../../schema/errors.ts';
import { FACILITY_LEVELS, PROCESS_CODES, type FacilityLevel, type ProcessCode } from '../../../schema/types.ts';
import { bodyChecker, text, textList } from './body.ts';
import { checkPoint, normaliseCountry, normaliseRegion } from './regions.ts';

export const ENVELOPE_UNITS = { mm: 1, cm: 10, m: 1000 } as const;
export type EnvelopeUnit = keyof typeof ENVELOPE_UNITS;

export interface Contact { email?: string; phone?: string; url?: string; note?: string; visibleTo: string[] }

export interface FacilityProfile {
  name: string;
  location: { country: string; region?: string; lat?: number; lon?: number };
  servesRegions: string[];
  facilityLevel: FacilityLevel;
  processes: ProcessCode[];
  tools: string[];
  materials: string[];
  buildEnvelope?: { x: number; y: number; z: number; unit: EnvelopeUnit };
  capacityPerMonth?: number;
  certifications: string[];
  links: string[];
  contact?: Contact;
}

/** A stored profile with its owner and facility id. */
export interface StoredProfile extends FacilityProfile { account: string; facility: string; updatedAt: string }

/** Facility ids are URL segments: the package-name segment rule. */
export const FACILITY_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;
export const MAX_FACILITIES_PER_ACCOUNT = 20;

const positive = { type: 'number', exclusiveMinimum: 0, maximum: 1e6 };
const checkShape = bodyChecker<Record<string, unknown>>('facility profile', {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'location', 'facilityLevel', 'processes'],
  properties: {
    name: text(120),
    location: {
      type: 'object', additionalProperties: false, required: ['country'],
      properties: { country: text(8), region: text(8), lat: { type: 'number' }, lon: { type: 'number' } },
    },
    servesRegions: textList(50, 8),
    facilityLevel: { enum: [...FACILITY_LEVELS] },
    processes: { type: 'array', minItems: 1, maxItems: PROCESS_CODES.length, uniqueItems: true, items: { enum: [...PROCESS_CODES] } },
    tools: textList(200),
    materials: textList(100),
    buildEnvelope: {
      type: 'object', additionalProperties: false, required: ['x', 'y', 'z'],
      properties: { x: positive, y: positive, z: positive, unit: { enum: Object.keys(ENVELOPE_UNITS) } },
    },
    capacityPerMonth: { type: 'integer', minimum: 0, maximum: 1e9 },
    certifications: textList(50),
    links: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 500, pattern: '^https?://[^\\s]+$' } },
    contact: {
      type: 'object', additionalProperties: false, required: ['visibleTo'],
      properties: {
        email: text(254), phone: text(40), url: { type: 'string', maxLength: 500, pattern: '^https?://[^\\s]+$' }, note: text(500),
        visibleTo: { type: 'array', maxItems: 100, items: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', maxLength: 64 } },
      },
    },
  },
});

/** Validates and normalises a profile body (regions upper-case, ISO codes checked). */
export function parseProfile(body: unknown): FacilityProfile {
  const b = checkShape(body) as unknown as FacilityProfile;
  const country = normaliseCountry(b.location.country);
  if (!country) throw bad('location.country', `${JSON.stringify(b.location.country)} is not an ISO 3166-1 alpha-2 country code (e.g. DE)`);
  const location: FacilityProfile['location'] = { country };
  if (b.location.region !== undefined) {
    const region = normaliseRegion(b.location.region);
    if (!region || region.length === 2) throw bad('location.region', `${JSON.stringify(b.location.region)} is not an ISO 3166-2 subdivision code (e.g. DE-BE)`);
    if (!region.startsWith(`${country}-`)) throw bad('location.region', `${region} is not in ${country}`);
    location.region = region;
  }
  if ((b.location.lat === undefined) !== (b.location.lon === undefined)) throw bad('location', 'give both lat and lon, or neither');
  if (b.location.lat !== undefined && b.location.lon !== undefined) {
    checkPoint({ lat: b.location.lat, lon: b.location.lon }, 'location');
    location.lat = b.location.lat;
    location.lon = b.location.lon;
  }
  const servesRegions = (b.servesRegions ?? []).map((r, i) => {
    const n = normaliseRegion(r);
    if (!n) throw bad(`servesRegions[${i}]`, `${JSON.stringify(r)} is not an ISO 3166-2 region or ISO 3166-1 country`);
    return n;
  });
  const out: FacilityProfile = {
    name: b.name,
    location,
    servesRegions: [...new Set(servesRegions)],
    facilityLevel: b.facilityLevel,
    processes: [...b.processes].sort(),
    tools: b.tools ?? [],
    materials: b.materials ?? [],
    certifications: b.certifications ?? [],
    links: b.links ?? [],
  };
  if (b.buildEnvelope) out.buildEnvelope = { ...b.buildEnvelope, unit: b.buildEnvelope.unit ?? 'mm' };
  if (b.capacityPerMonth !== undefined) out.capacityPerMonth = b.capacityPerMonth;
  if (b.contact) out.contact = { ...b.contact, visibleTo: [...new Set(b.contact.visibleTo)] };
  return out;
}

export function requireFacilityId(raw: string): string {
  if (!FACILITY_ID.test(raw) || raw.length > 64) {
    throw new OhwError('INVALID_REQUEST', `facility id "${raw}" must be lower-case letters, digits and single hyphens, at most 64 characters (e.g. berlin-lab)`);
  }
  return raw;
}

/** The profile as `viewer` may see it: the contact only for its owner and the accounts it names. */
export function publicProfile(p: StoredProfile, viewer: string | undefined) {
  const { contact, ...rest } = p;
  const mayContact = contact && viewer && (viewer === p.account || contact.visibleTo.includes(viewer));
  return mayContact ? { ...rest, contact } : rest;
}

/** The regions a producer serves: its own region (or, without one, its country) and what it lists. */
export function servedRegions(p: FacilityProfile): string[] {
  return [...new Set([p.location.region ?? p.location.country, ...p.servesRegions])];
}

/** Envelope edges in mm, sorted ascending (a part may be turned to fit). */
export function envelopeMm(p: FacilityProfile): [number, number, number] | undefined {
  const e = p.buildEnvelope;
  if (!e) return undefined;
  const f = ENVELOPE_UNITS[e.unit];
  return [e.x * f, e.y * f, e.z * f].sort((a, b) => a - b) as [number, number, number];
}

function bad(path: string, message: string): OhwError {
  return new OhwError('INVALID_REQUEST', `invalid facility profile: ${path}: ${message}`, {
    issues: [{ file: 'request', path, line: 0, column: 0, code: 'body-value', message, severity: 'error' }],
  });
}
