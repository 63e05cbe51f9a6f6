/**
 * The converters the format tables name: how one source value becomes a manifest value (`read`)
 * and back (`write`). Each is small and total: anything it cannot read is dropped with a note or
 * refused with an issue, never guessed. Pure.
 */
import semver from 'semver';
import { normaliseLicense } from '../license-aliases.ts';
import { checkLicense, type LicenseRole } from '../licenses.ts';
import { CATEGORIES, OTRL_LEVELS, ODRL_LEVELS, PROCESS_CODES, type Manifest } from '../types.ts';
import type { ConverterName } from './types.ts';

export interface ReadContext {
  /** The rule's first source path, for messages. */
  at: string;
  /** A refusal: the record is not imported. */
  refuse(path: string, code: string, message: string): void;
  /** A value that was present but could not be mapped (listed in the report and provenance). */
  note(what: string): void;
  /** The licence strings exactly as the source wrote them, by role. */
  originalLicenses: Partial<Record<LicenseRole, string>>;
}

export interface Converter {
  read(values: unknown[], ctx: ReadContext): unknown;
  /** Manifest value → source value; undefined leaves the field out. */
  write?(value: unknown, m: Manifest): unknown;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
const nonEmpty = (s: string | undefined): s is string => s !== undefined && s.trim() !== '';

const ENTITIES: Record<string, string> = { quot: '"', amp: '&', lt: '<', gt: '>', apos: "'", nbsp: ' ', '#39': "'" };
/** OSHWA stores texts HTML-escaped (`&quot;`); the manifest holds plain text (escaped on output). */
export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#x')) return safeChar(parseInt(lower.slice(2), 16), m);
    if (lower.startsWith('#')) return safeChar(parseInt(lower.slice(1), 10), m);
    return ENTITIES[lower] ?? m;
  });
}
const safeChar = (n: number, orig: string): string => (Number.isInteger(n) && n > 0 && n <= 0x10ffff && !(n >= 0xd800 && n <= 0xdfff) ? String.fromCodePoint(n) : orig);

const line = (s: string): string => s.replace(/\s+/g, ' ').trim();
const text = (s: string): string => s.replace(/\r\n?/g, '\n').trim();

/** The first sentence of the first paragraph, at most SUMMARY_MAX characters (cut at a word). */
export const SUMMARY_MAX = 160;
export function summaryOf(s: string): string {
  const para = line(text(s).split(/\n\s*\n/)[0] ?? '');
  const sentence = /^(.+?[.!?])(\s|$)/.exec(para)?.[1] ?? para;
  if (sentence.length <= SUMMARY_MAX) return sentence;
  const cut = sentence.slice(0, SUMMARY_MAX - 1);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), SUMMARY_MAX / 2)).trimEnd()}…`;
}

/** `1`, `1.0`, `v2.1`, `61` → semver; anything else (`Rev B`, a commit hash) → undefined. */
export function semverOf(raw: string): string | undefined {
  const s = raw.trim();
  if (semver.valid(s) && !s.startsWith('v')) return s;
  const m = /^v?(\d{1,9})(?:\.(\d{1,9}))?(?:\.(\d{1,9}))?$/i.exec(s);
  return m ? `${Number(m[1])}.${Number(m[2] ?? 0)}.${Number(m[3] ?? 0)}` : undefined;
}

/** `Jane Doe <jane@x.org>` → `Jane Doe`: e-mail addresses of people who never signed up are not republished. */
const personName = (s: string): string => line(s.replace(/<[^>]*>/g, '').replace(/\S+@\S+/g, ''));

const firstString = (values: unknown[]): string | undefined => values.map(str).find(nonEmpty);

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]);

function license(role: LicenseRole): Converter {
  return {
    read(values, ctx) {
      const raw = firstString(values);
      if (raw === undefined) return undefined;
      ctx.originalLicenses[role] = raw;
      const n = normaliseLicense(raw);
      if (!n.ok) {
        // Software is optional in the manifest: an unreadable software licence is left out and
        // noted; hardware and documentation are what the OSHW definition is about.
        if (role === 'software') { ctx.note(`${ctx.at} (${n.message})`); return undefined; }
        ctx.refuse(ctx.at, n.code, `${role} ${n.message}`);
        return undefined;
      }
      const problems = checkLicense(n.spdx, role).filter((f) => f.severity === 'error');
      if (problems.length) {
        for (const p of problems) ctx.refuse(ctx.at, p.code, n.mapped ? `"${raw}" is ${n.spdx}: ${p.message}` : p.message);
        return undefined;
      }
      return n.spdx;
    },
    write: (v) => (typeof v === 'string' ? v : undefined),
  };
}

const url: Converter = {
  read(values, ctx) {
    const s = firstString(values)?.trim();
    if (s === undefined) return undefined;
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(s)?.[1]?.toLowerCase();
    if (scheme === undefined) { ctx.note(`${ctx.at} (not a URL: a path in the source repository)`); return undefined; }
    if (scheme !== 'http' && scheme !== 'https') return void ctx.refuse(ctx.at, 'url-scheme', `"${s.slice(0, 80)}" uses the scheme "${scheme}:"; only http and https links are accepted`);
    try { new URL(s); return s; } catch { ctx.note(`${ctx.at} (not a valid URL)`); return undefined; }
  },
  write: (v) => v,
};

const category = (v: unknown): string | undefined => {
  const s = str(v)?.trim().toLowerCase();
  return CATEGORIES.find((c) => c.toLowerCase() === s);
};

const CONVERTERS: Record<ConverterName, Converter> = {
  line: { read: (v) => { const s = firstString(v); return s === undefined ? undefined : line(s); }, write: (v) => v },
  text: { read: (v) => { const s = v.map(str).filter(nonEmpty).map(text).join('\n\n'); return s === '' ? undefined : s; }, write: (v) => v },
  htmlLine: { read: (v) => { const s = firstString(v); return s === undefined ? undefined : line(decodeEntities(s)); }, write: (v) => v },
  htmlText: { read: (v) => { const s = firstString(v); return s === undefined ? undefined : text(decodeEntities(s)); }, write: (v) => v },
  summary: { read: (v) => { const s = (v.map(str).filter(nonEmpty)).join('\n\n'); return s ? summaryOf(s) : undefined; } },
  htmlSummary: { read: (v) => { const s = firstString(v); return s === undefined ? undefined : summaryOf(decodeEntities(s)); } },
  version: {
    read(values, ctx) {
      const s = firstString(values);
      if (s === undefined) return undefined;
      const v = semverOf(s);
      if (v === undefined) ctx.note(`${ctx.at} ("${s.slice(0, 40)}" is not a version number; 0.1.0 is used and the original kept in provenance.sourceVersion)`);
      return v;
    },
    write: (v) => v,
  },
  keywords: {
    read: (values) => {
      // Lists often hold one comma-separated string ("a, b, c"): each part is a keyword.
      const words = values.flatMap((v) => asList(v).map(str)).filter(nonEmpty).flatMap((w) => w.split(/[,;]/)).map(line).filter((w) => w !== '');
      const out = [...new Set(words.filter((w) => w !== ''))];
      return out.length ? out : undefined;
    },
    write: (v) => (Array.isArray(v) && v.length ? v : undefined),
  },
  category: {
    read(values, ctx) {
      const c = category(values[0]);
      if (c === undefined && values[0] !== undefined) ctx.note(`${ctx.at} ("${str(values[0])}" is not one of the categories)`);
      return c === undefined ? undefined : c;
    },
    write: (v) => v,
  },
  categories: {
    read: (values) => {
      const cs = [...new Set(asList(values[0]).map(category).filter((c): c is string => c !== undefined))];
      return cs.length ? cs : undefined;
    },
    write: (v) => (Array.isArray(v) && v.length ? v : undefined),
  },
  url,
  language: {
    read: (values) => {
      const tags = asList(values[0]).map(str).filter(nonEmpty).map((t) => t.trim());
      return tags.length === 0 ? undefined : tags.length === 1 ? tags[0] : tags;
    },
    write: (v) => v,
  },
  licenseHardware: license('hardware'),
  licenseDocumentation: license('documentation'),
  licenseSoftware: license('software'),
  licenseModule: license('hardware'),
  licensorNames: {
    read: (values) => {
      // A single string may list several people ("A, B, C"); list items are one name each.
      const v = values[0];
      const names = (typeof v === 'string' ? v.split(/[,;]/) : asList(v).map((p) => (isObj(p) ? str(p.name) : str(p))))
        .filter(nonEmpty).map(personName).filter((n) => n !== '');
      return names.length ? [...new Set(names)].map((name) => ({ name })) : undefined;
    },
    write: (v) => (Array.isArray(v) ? v.map((l) => (l as { name: string }).name) : undefined),
  },
  licensorJoined: {
    // One party (OSHWA responsibleParty: "VsI, Kurybiniu technologiju studija" is one company).
    read: (values) => { const s = firstString(values); const name = s === undefined ? '' : personName(s); return name ? [{ name }] : undefined; },
    write: (v) => (Array.isArray(v) && v.length ? v.map((l) => (l as { name: string }).name).join(', ') : undefined),
  },
  oshwaSoftware: {
    ...license('software'),
    // The OSHWA application has a "No software" choice for designs without software.
    write: (v) => (v === 'NONE' ? 'No software' : typeof v === 'string' ? v : undefined),
  },
  licensorPerson: {
    read: (values) => {
      const p = values[0];
      const name = isObj(p) ? str(p.name) : str(p);
      return nonEmpty(name) && personName(name) ? [{ name: personName(name) }] : undefined;
    },
    write: (v) => (Array.isArray(v) && v.length ? { name: v.map((l) => (l as { name: string }).name).join(', ') } : undefined),
  },
  otrl: { read: (v, ctx) => level(v[0], OTRL_LEVELS, ctx), write: (v) => v },
  odrl: {
    read(values, ctx) {
      // ODRL-3* (audited) is awarded by this registry from a certificate, never imported as a claim.
      const s = str(values[0])?.trim();
      if (s === 'ODRL-3*') { ctx.note(`${ctx.at} (ODRL-3* is derived from a certificate here; imported as ODRL-3)`); return 'ODRL-3'; }
      return level(values[0], ODRL_LEVELS, ctx);
    },
    write: (v) => v,
  },
  tsdc: {
    read(values, ctx) {
      const all = asList(values[0]).map(str).filter(nonEmpty).map((s) => s.trim().toUpperCase());
      const known = all.filter((c) => (PROCESS_CODES as readonly string[]).includes(c));
      const unknown = all.filter((c) => !known.includes(c));
      if (unknown.length) ctx.note(`${ctx.at} (${unknown.join(', ')}: not a process code)`);
      return known.length ? { processes: [...new Set(known)] } : undefined;
    },
    write: (v) => { const p = (v as { processes?: string[] } | undefined)?.processes; return p?.length ? p : undefined; },
  },
  maturityV1: {
    // LOSH mapping (OKHv1.md "development-stage"): made-independently → OTRL-3 + ODRL-3;
    // made, or development-stage "prototype" → OTRL-3; nothing else decides.
    read: ([independent, made, stage]) => {
      if (independent === true) return { technology: 'OTRL-3', documentation: 'ODRL-3' };
      if (made === true || str(stage)?.trim().toLowerCase() === 'prototype') return { technology: 'OTRL-3' };
      return undefined;
    },
  },
  derivedV1: {
    read: (values, ctx) => {
      const out = values.flatMap((v) => asList(v)).filter(isObj).flatMap((o) => {
        const u = str(o.web) ?? str(o.manifest);
        const title = str(o.title);
        if (!nonEmpty(u) || !/^https?:\/\//i.test(u.trim())) { ctx.note(`${ctx.at} (no http(s) link)`); return []; }
        return [{ title: line(title ?? u), url: u.trim() }];
      });
      return out.length ? out : undefined;
    },
    write: (v) => { const d = (v as Array<{ title: string; url: string }> | undefined)?.[0]; return d ? { title: d.title, web: d.url } : undefined; },
  },
  standardsV1: {
    read: (values) => {
      const out = asList(values[0]).filter(isObj).flatMap((o) => {
        const publisher = str(o.publisher); const reference = str(o.reference); const title = str(o['standard-title']);
        if (!nonEmpty(publisher) || !nonEmpty(reference)) return [];
        return [{ publisher: line(publisher), reference: line(reference), ...(nonEmpty(title) ? { title: line(title) } : {}) }];
      });
      return out.length ? out : undefined;
    },
    write: (v) => (Array.isArray(v) && v.length
      ? v.map((s: { publisher: string; reference: string; title?: string }) => ({ 'standard-title': s.title ?? s.reference, publisher: s.publisher, reference: s.reference }))
      : undefined),
  },
  oshwaAttestation: {
    read: (values) => {
      const uid = firstString(values)?.trim();
      return uid ? [{ scheme: 'oshwa', id: uid, url: `https://certification.oshwa.org/${uid.toLowerCase()}.html` }] : undefined;
    },
    write: (v) => (Array.isArray(v) ? (v as Array<{ scheme: string; id: string }>).find((a) => a.scheme === 'oshwa')?.id : undefined),
  },
  citations: {
    read: (values, ctx) => {
      const out = asList(values[0]).filter(isObj).flatMap((c) => {
        const u = str(c.url)?.trim();
        if (!u) return [];
        if (!/^https?:\/\//i.test(u)) { ctx.note(`${ctx.at} ("${u.slice(0, 60)}" is not an http(s) link)`); return []; }
        return [{ scheme: 'publication', id: line(decodeEntities(str(c.title) || u)), url: u }];
      });
      return out.length ? out : undefined;
    },
    write: (v) => {
      const pubs = (Array.isArray(v) ? v : []).filter((a: { scheme: string }) => a.scheme === 'publication') as Array<{ id: string; url?: string }>;
      return pubs.length ? pubs.map((p) => ({ url: p.url ?? '', title: p.id })) : undefined;
    },
  },
  bomLines: { read: (v) => (Array.isArray(v[0]) && v[0].length ? v[0] : undefined) },
  /** What a reader of the record's side files could not use (BOM rows, unreadable BOM files): noted only. */
  notes: { read: (v, ctx) => { for (const n of asList(v[0]).map(str).filter(nonEmpty)) ctx.note(n); return undefined; } },
  pcbFromGerbers: {
    // Kitspace exists to order PCBs: a project that ships gerbers is made with the PCB process.
    read: (values) => (firstString(values) !== undefined ? { processes: ['PCB'] } : undefined),
  },
};

function level(v: unknown, allowed: readonly string[], ctx: ReadContext): string | undefined {
  const s = str(v)?.trim().toUpperCase();
  if (s === undefined) return undefined;
  if (allowed.includes(s)) return s;
  ctx.note(`${ctx.at} ("${s}" is not one of ${allowed[0]}…${allowed.at(-1)})`);
  return undefined;
}

export const converter = (name: ConverterName): Converter => CONVERTERS[name];
