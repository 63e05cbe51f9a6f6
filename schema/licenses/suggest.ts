/** Did-you-mean for mistyped SPDX ids. Pure. */
import { distance } from 'fastest-levenshtein';
import { LICENSE_IDS, familyOfId, type LicenseFamily } from './data.ts';


const normKey = (s: string): string => s.toLowerCase().replace(/[^a-z0-9]/g, '');
/** Alphabetic family prefix: letters before the first digit (`CERN-OHL-S-2.0` → `cernohls`, `GPL3` → `gpl`). */
const familyKey = (s: string): string => (/^[^0-9]*/.exec(s)?.[0] ?? '').toLowerCase().replace(/[^a-z]/g, '');
/** The first version number (`CERN-OHL-S-2.0` → [2, 0], `GPL3` → [3], `CC-BY-SA` → []). */
const versionOf = (s: string): number[] => {
  const m = /^[^0-9]*([0-9]+(?:\.[0-9]+)*)/.exec(s);
  return m?.[1] ? m[1].split('.').map(Number) : [];
};
const compareVersions = (a: number[], b: number[]): number => {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
};
const RECIPROCITY_RANK: Record<LicenseFamily, number> = {
  'strongly-reciprocal': 0, 'weakly-reciprocal': 1, permissive: 2, 'public-domain': 3, unknown: 4,
};

/**
 * Closest current (non-deprecated) SPDX ids to a mistyped one, best first. Ranking, in order:
 * 1. shares the alphabetic family prefix (`CERN-OHL-2` ~ `CERN-OHL-*`, `GPLv3` ~ `GPL-*`);
 * 2. same version as typed (`2` matches `2.0`, `2.1`); ignored when no version was typed;
 * 3. exactly the same family (`CC-BY-SA` prefers `CC-BY-SA-*` over `CC-BY-*`);
 * 4. Levenshtein distance (fastest-levenshtein) on the lowercased alphanumerics;
 * 5. the more reciprocal licence: a suggestion must not quietly give away more than the author
 *    may have meant (`CERN-OHL-2` → `CERN-OHL-S-2.0`, not `-P-`); they can relax it knowingly;
 * 6. the newest version; 7. alphabetical.
 * Ids with no family relation are only offered when they are within a third of the length.
 */
export function suggestLicenseIds(input: string, max = 3, pool: readonly string[] = LICENSE_IDS): string[] {
  const qKey = normKey(input);
  if (!qKey) return [];
  const qFam = familyKey(input);
  const qVer = versionOf(input);
  const ranked = pool.map((id) => {
    const cFam = familyKey(id);
    const related = qFam.length >= 2 && cFam.length >= 2 && (cFam.startsWith(qFam) || qFam.startsWith(cFam));
    const cVer = versionOf(id);
    const versionMiss = qVer.length > 0 && !qVer.every((n, i) => cVer[i] === n);
    return {
      id,
      keys: [related ? 0 : 1, versionMiss ? 1 : 0, cFam === qFam ? 0 : 1, distance(qKey, normKey(id)), RECIPROCITY_RANK[familyOfId(id)]],
      related,
      ver: cVer,
    };
  }).filter((c) => c.related || (c.keys[3] ?? Infinity) <= Math.max(1, Math.floor(qKey.length / 3)));
  ranked.sort((a, b) => {
    for (let i = 0; i < a.keys.length; i++) {
      const d = (a.keys[i] ?? 0) - (b.keys[i] ?? 0);
      if (d !== 0) return d;
    }
    return compareVersions(b.ver, a.ver) || a.id.localeCompare(b.id);
  });
  return ranked.slice(0, max).map((c) => c.id);
}

/** `CERN-OHL-S-2.0`, or `GPL-3.0-only or GPL-3.0-or-later` when the best guess has an -or-later twin. */
export function didYouMean(input: string, pool: readonly string[] = LICENSE_IDS): string | undefined {
  const best = suggestLicenseIds(input, 1, pool)[0];
  if (!best) return undefined;
  const twin = best.endsWith('-only') ? `${best.slice(0, -'-only'.length)}-or-later` : undefined;
  return twin && pool.includes(twin) ? `${best} or ${twin}` : best;
}
