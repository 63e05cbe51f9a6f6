import { describe, expect, it } from 'vitest';
import { boundingBox, distanceKm, normaliseRegion, parsePoint, regionCovers, requireRegion } from '../../../../server/domain/production/regions.ts';
import { refusal } from '../../../helpers/refusal.ts';

describe('regions', () => {
  it('accepts ISO 3166-1 countries and ISO 3166-2-shaped subdivisions of known countries, upper-cased', () => {
    expect(normaliseRegion('de-be')).toBe('DE-BE');
    expect(normaliseRegion('US-CA')).toBe('US-CA');
    expect(normaliseRegion('de')).toBe('DE');
    expect(normaliseRegion('UK')).toBe('GB');
  });

  it('refuses unknown countries, long subdivision codes and names', () => {
    for (const bad of ['XX-BE', 'DE-BERLIN', 'Berlin', 'EU', '', 'DE-']) expect(normaliseRegion(bad), bad).toBeUndefined();
    refusal(() => requireRegion('Berlin', 'region'), 'INVALID_REQUEST', /^region: "Berlin" is not an ISO 3166-2 region/);
  });

  it('a country covers its subdivisions, not the other way round', () => {
    expect(regionCovers('DE', 'DE-BE')).toBe(true);
    expect(regionCovers('DE-BE', 'DE')).toBe(false);
    expect(regionCovers('DE-BE', 'DE-BY')).toBe(false);
  });
});

describe('coordinates', () => {
  it('parses LAT,LON and refuses out-of-range values', () => {
    expect(parsePoint('52.52,13.40')).toEqual({ lat: 52.52, lon: 13.4 });
    refusal(() => parsePoint('91,0'), 'INVALID_REQUEST', 'near: latitude 91 is out of range (−90…90)');
    refusal(() => parsePoint('0,181'), 'INVALID_REQUEST', 'near: longitude 181 is out of range (−180…180)');
    refusal(() => parsePoint('berlin'), 'INVALID_REQUEST', /^near: give LAT,LON/);
  });

  it('measures great-circle distances (Berlin–Munich ≈ 504 km, Berlin–Paris ≈ 878 km)', () => {
    const berlin = { lat: 52.52, lon: 13.405 };
    expect(distanceKm(berlin, { lat: 48.1372, lon: 11.5756 })).toBeCloseTo(504, -1);
    expect(distanceKm(berlin, { lat: 48.8566, lon: 2.3522 })).toBeCloseTo(878, -1);
    expect(distanceKm(berlin, berlin)).toBe(0);
  });

  it('a bounding box contains every point within the radius', () => {
    const p = { lat: 52.52, lon: 13.4 };
    const box = boundingBox(p, 100);
    for (const bearing of [0, 45, 90, 135, 180, 225, 270, 315]) {
      const d = 99.9 / 6371.0088;
      const b = (bearing * Math.PI) / 180;
      const lat1 = (p.lat * Math.PI) / 180;
      const lat2 = Math.asin(Math.sin(lat1) * Math.cos(d) + Math.cos(lat1) * Math.sin(d) * Math.cos(b));
      const lon2 = (p.lon * Math.PI) / 180 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat1), Math.cos(d) - Math.sin(lat1) * Math.sin(lat2));
      const q = { lat: (lat2 * 180) / Math.PI, lon: (lon2 * 180) / Math.PI };
      expect(q.lat >= box.minLat && q.lat <= box.maxLat && q.lon >= box.minLon && q.lon <= box.maxLon, `bearing ${bearing}`).toBe(true);
    }
  });
});
