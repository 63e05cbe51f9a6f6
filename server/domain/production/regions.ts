/**
 * Places: ISO 3166-1 countries, ISO 3166-2 subdivisions and coordinates. Pure.
 *
 * ISO 3166-2 subdivision codes are checked by shape (`CC-XXX`: a known ISO 3166-1 alpha-2
 * country, a hyphen, 1–3 letters or digits) rather than against the full list of ~5,000
 * subdivisions, which changes every year and is not shipped here: `DE-BE` and `US-CA` pass,
 * `XX-BE`, `DE-BERLIN` and `Berlin` do not. A bare country code is accepted where a region is
 * asked for (a pledge "in DE" is a region too).
 */
import { OhwError } from '../../../schema/errors.ts';
import { ISO_3166_ALPHA2, REGION_ALIASES } from '../../../schema/manifest/iso-codes.ts';

const SUBDIVISION = /^([A-Z]{2})-([A-Z0-9]{1,3})$/;

/** Upper-cased, aliases resolved (UK → GB); undefined when not a country or an ISO 3166-2 code. */
export function normaliseRegion(raw: string): string | undefined {
  const up = raw.trim().toUpperCase();
  const code = REGION_ALIASES[up] ?? up;
  if (ISO_3166_ALPHA2.has(code)) return code;
  const m = SUBDIVISION.exec(code);
  if (m && ISO_3166_ALPHA2.has(m[1]!)) return code;
  return undefined;
}

export function normaliseCountry(raw: string): string | undefined {
  const up = raw.trim().toUpperCase();
  const code = REGION_ALIASES[up] ?? up;
  return ISO_3166_ALPHA2.has(code) ? code : undefined;
}

export function requireRegion(raw: unknown, field: string): string {
  const r = typeof raw === 'string' ? normaliseRegion(raw) : undefined;
  if (!r) {
    throw new OhwError('INVALID_REQUEST', `${field}: ${JSON.stringify(raw)} is not an ISO 3166-2 region (e.g. DE-BE) or an ISO 3166-1 country (e.g. DE)`, {
      details: { field },
    });
  }
  return r;
}

export const countryOf = (region: string): string => region.slice(0, 2);

/** Whether `outer` (a country or subdivision) contains `inner`: DE covers DE-BE; DE-BE covers DE-BE only. */
export function regionCovers(outer: string, inner: string): boolean {
  return outer === inner || (outer.length === 2 && inner.startsWith(`${outer}-`));
}

export interface Point { lat: number; lon: number }

/** `LAT,LON` in degrees; 400 when malformed or out of range. */
export function parsePoint(raw: unknown, field = 'near'): Point {
  const m = typeof raw === 'string' ? /^\s*(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)\s*$/.exec(raw) : null;
  if (!m) throw new OhwError('INVALID_REQUEST', `${field}: give LAT,LON in decimal degrees, e.g. 52.52,13.40 (got ${JSON.stringify(raw)})`, { details: { field } });
  const p = { lat: Number(m[1]), lon: Number(m[2]) };
  checkPoint(p, field);
  return p;
}

export function checkPoint(p: Point, field: string): void {
  if (!(p.lat >= -90 && p.lat <= 90)) throw new OhwError('INVALID_REQUEST', `${field}: latitude ${p.lat} is out of range (−90…90)`, { details: { field } });
  if (!(p.lon >= -180 && p.lon <= 180)) throw new OhwError('INVALID_REQUEST', `${field}: longitude ${p.lon} is out of range (−180…180)`, { details: { field } });
}

const EARTH_RADIUS_KM = 6371.0088;
const rad = (d: number) => (d * Math.PI) / 180;

/** Great-circle distance (haversine), kilometres. */
export function distanceKm(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** A latitude/longitude box that contains every point within `km` of `p` (for an index pre-filter). */
export function boundingBox(p: Point, km: number): { minLat: number; maxLat: number; minLon: number; maxLon: number } {
  const dLat = (km / EARTH_RADIUS_KM) * (180 / Math.PI);
  const minLat = Math.max(-90, p.lat - dLat);
  const maxLat = Math.min(90, p.lat + dLat);
  const cos = Math.cos(rad(Math.max(Math.abs(minLat), Math.abs(maxLat))));
  const dLon = cos < 1e-9 ? 180 : Math.min(180, dLat / cos);
  return { minLat, maxLat, minLon: Math.max(-180, p.lon - dLon), maxLon: Math.min(180, p.lon + dLon) };
}
