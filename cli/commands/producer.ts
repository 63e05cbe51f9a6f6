/**
 * `ohw producer set|show` (a facility profile) and `ohw producers` (who can make what, where).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import YAML from 'yaml';
import type { RegistryClient } from '../client.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { printJson, table } from '../output.ts';

export const list = (v: string | undefined): string[] | undefined => v?.split(',').map((s) => s.trim()).filter(Boolean);
const collect = (v: string, prev: string[] = []) => [...prev, v];

export async function whoami(client: RegistryClient): Promise<string> {
  client.requireToken();
  return (await client.json<{ account: string }>('GET', '/me')).account;
}

function number(v: string | undefined, flag: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new CliError(`${flag}: not a number: ${v}`, EXIT.usage);
  return n;
}

/** `3000x2000x1500` or `3x2x1.5m` → {x, y, z, unit}. */
function envelope(v: string | undefined): Record<string, unknown> | undefined {
  if (!v) return undefined;
  const m = /^\s*([\d.]+)\s*x\s*([\d.]+)\s*x\s*([\d.]+)\s*(mm|cm|m)?\s*$/i.exec(v);
  if (!m) throw new CliError(`--envelope: give XxYxZ with an optional unit, e.g. 3000x2000x1500mm (got ${v})`, EXIT.usage);
  return { x: Number(m[1]), y: Number(m[2]), z: Number(m[3]), unit: (m[4] ?? 'mm').toLowerCase() };
}

interface SetFlags {
  file?: string; name?: string; country?: string; region?: string; lat?: string; lon?: string; serves?: string; level?: string;
  processes?: string; tool?: string[]; materials?: string; envelope?: string; capacity?: string; certifications?: string; link?: string[];
  contactEmail?: string; contactPhone?: string; contactVisibleTo?: string; json?: boolean;
}

/** The profile body: a file (JSON or YAML) as the base, flags on top; the server validates it. */
function profileBody(f: SetFlags): Record<string, unknown> {
  const body: Record<string, unknown> = f.file ? (YAML.parse(fs.readFileSync(f.file, 'utf8')) as Record<string, unknown>) ?? {} : {};
  const set = (k: string, v: unknown) => { if (v !== undefined) body[k] = v; };
  set('name', f.name);
  if (f.country || f.region || f.lat || f.lon) {
    const loc = { ...(body.location as Record<string, unknown> | undefined) };
    if (f.country) loc.country = f.country;
    if (f.region) loc.region = f.region;
    if (f.lat !== undefined) loc.lat = number(f.lat, '--lat');
    if (f.lon !== undefined) loc.lon = number(f.lon, '--lon');
    body.location = loc;
  }
  set('servesRegions', list(f.serves));
  set('facilityLevel', f.level);
  set('processes', list(f.processes)?.map((p) => p.toUpperCase()));
  set('tools', f.tool);
  set('materials', list(f.materials));
  set('buildEnvelope', envelope(f.envelope));
  set('capacityPerMonth', number(f.capacity, '--capacity'));
  set('certifications', list(f.certifications));
  set('links', f.link);
  if (f.contactEmail || f.contactPhone) {
    const contact: Record<string, unknown> = { visibleTo: list(f.contactVisibleTo) ?? [] };
    if (f.contactEmail) contact.email = f.contactEmail;
    if (f.contactPhone) contact.phone = f.contactPhone;
    body.contact = contact;
  }
  return body;
}

interface ProfileView {
  account: string; facility: string; name: string; location: { country: string; region?: string; lat?: number; lon?: number };
  facilityLevel: string; processes: string[]; tools: string[]; servesRegions: string[]; contact?: { email?: string };
  buildEnvelope?: { x: number; y: number; z: number; unit: string };
}

const describeProfile = (p: ProfileView) =>
  `${p.account}/${p.facility} — ${p.name}\n` +
  `location:  ${p.location.region ?? p.location.country}${p.location.lat !== undefined ? ` (${p.location.lat}, ${p.location.lon})` : ''}\n` +
  `level:     ${p.facilityLevel}\nprocesses: ${p.processes.join(', ')}\n` +
  (p.tools.length ? `tools:     ${p.tools.join('; ')}\n` : '') +
  (p.servesRegions.length ? `serves:    ${p.servesRegions.join(', ')}\n` : '') +
  (p.buildEnvelope ? `envelope:  ${p.buildEnvelope.x} × ${p.buildEnvelope.y} × ${p.buildEnvelope.z} ${p.buildEnvelope.unit}\n` : '') +
  (p.contact?.email ? `contact:   ${p.contact.email}\n` : '');

interface Ranked { account: string; facility: string; name: string; region: string | null; country: string; distanceKm?: number; fit: string; reasons: string[] }

export function producerCommands(program: Command): void {
  const producer = program.command('producer').description('your facility profiles (what you can make, and where)');
  producer
    .command('set <facility>')
    .description('create or replace a facility profile of your account (facility id: e.g. berlin-lab)')
    .option('--file <path>', 'the profile as JSON or YAML (flags override its fields)')
    .option('--name <text>', 'display name')
    .option('--country <CC>', 'ISO 3166-1 alpha-2 country, e.g. DE')
    .option('--region <CC-XXX>', 'ISO 3166-2 subdivision, e.g. DE-BE')
    .option('--lat <deg>', 'latitude').option('--lon <deg>', 'longitude')
    .option('--serves <regions>', 'more regions served, comma-separated (e.g. DE,PL)')
    .option('--level <level>', 'facility level: apartment, garage, homestead, campus, factory')
    .option('--processes <codes>', 'process codes, comma-separated (e.g. WEL,MEC,CNC)')
    .option('--tool <text>', 'a tool (repeat the flag per tool)', collect)
    .option('--materials <list>', 'materials, comma-separated')
    .option('--envelope <XxYxZ[unit]>', 'largest part you can make, e.g. 3000x2000x1500mm')
    .option('--capacity <n>', 'units per month')
    .option('--certifications <list>', 'certifications held, comma-separated')
    .option('--link <url>', 'a link (repeat)', collect)
    .option('--contact-email <email>', 'contact e-mail (private)')
    .option('--contact-phone <phone>', 'contact phone (private)')
    .option('--contact-visible-to <accounts>', 'accounts that may see the contact, comma-separated')
    .option('--json', 'machine-readable result')
    .action(async (facility: string, f: SetFlags, cmd: Command) => {
      const client = clientFor(cmd);
      const me = await whoami(client);
      const p = await client.json<ProfileView>('PUT', `/producers/${me}/${encodeURIComponent(facility)}`, profileBody(f));
      if (f.json) return printJson(p);
      process.stdout.write(`saved facility profile\n${describeProfile(p)}`);
    });
  producer
    .command('show [account/facility]')
    .description('show a facility profile, or all facilities of an account (yours by default)')
    .option('--json', 'machine-readable result')
    .action(async (spec: string | undefined, f: { json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const [account, facility] = spec ? spec.split('/') : [await whoami(client), undefined];
      if (facility) {
        const p = await client.json<ProfileView>('GET', `/producers/${encodeURIComponent(account!)}/${encodeURIComponent(facility)}`);
        return f.json ? printJson(p) : void process.stdout.write(describeProfile(p));
      }
      const res = await client.json<{ producers: ProfileView[] }>('GET', `/producers?account=${encodeURIComponent(account!)}`);
      if (f.json) return printJson(res);
      process.stdout.write(res.producers.length ? res.producers.map(describeProfile).join('\n') : `${account} has no facility profile (ohw producer set <facility> …)\n`);
    });

  program
    .command('producers')
    .description('find producers: --can-make owner/name[@version], near a point or in a region')
    .option('--near <LAT,LON>', 'rank by great-circle distance from this point')
    .option('--radius <km>', 'only producers within this distance of --near')
    .option('--region <R>', 'only producers serving this ISO 3166-2 region or country')
    .option('--can-make <owner/name[@version]>', 'match against this design version’s production requirements')
    .option('--process <codes>', 'only producers with all these process codes')
    .option('--json', 'machine-readable result')
    .action(async (f: { near?: string; radius?: string; region?: string; canMake?: string; process?: string; json?: boolean }, cmd: Command) => {
      const client = clientFor(cmd);
      const qs = new URLSearchParams();
      if (f.near) qs.set('near', f.near);
      if (f.radius) qs.set('radiusKm', f.radius);
      if (f.region) qs.set('region', f.region);
      if (f.process) qs.set('process', f.process);
      let res: { producers: Ranked[]; design?: { package: string; version: string } };
      if (f.canMake && !f.canMake.includes('@')) {
        res = await client.json('GET', `/designs/${f.canMake}/producers?${qs}`);
      } else {
        if (f.canMake) qs.set('canMake', f.canMake);
        res = await client.json('GET', `/producers?${qs}`);
      }
      if (f.json) return printJson(res);
      if (res.design) process.stdout.write(`who can make ${res.design.package}@${res.design.version}${f.near ? ` near ${f.near}` : ''}${f.region ? ` in ${f.region}` : ''}:\n`);
      if (!res.producers.length) return void process.stdout.write('no producer found\n');
      process.stdout.write(table(['#', 'producer', 'name', 'where', 'km', 'fit', 'missing'], res.producers.map((p, i) => [
        i + 1, `${p.account}/${p.facility}`, p.name, p.region ?? p.country, p.distanceKm, p.fit, p.reasons.join('; '),
      ])));
    });
}

interface DesignProduction {
  builds: { builds: number; successful: number; successRate: number | null; regions: string[]; performance: Array<{ id: string; comparison: string; target: number; unit: string; min: number | null; max: number | null }> } | null;
  offers: Record<string, number>;
}

/** The production lines of `ohw info owner/name`: capable producers per region, builds, offers. */
export function productionLines(production: DesignProduction | undefined, capable: Record<string, number> | undefined): string {
  let out = '';
  if (capable) {
    const regions = Object.entries(capable);
    out += `producers: ${regions.length ? regions.map(([r, n]) => `${r} ${n}`).join(', ') : 'none yet'} (capable, per region; ohw producers --can-make …)\n`;
  }
  const b = production?.builds;
  if (b) {
    out += `builds:    ${b.builds} (${b.successful} successful${b.successRate !== null ? `, ${b.successRate}%` : ''}) in ${b.regions.join(', ')}\n`;
    for (const p of b.performance) {
      out += `           ${p.id} ${p.comparison} ${p.target} ${p.unit}: ${p.min === null ? 'not measured yet' : `measured ${p.min}–${p.max}`}\n`;
    }
  }
  const offers = Object.entries(production?.offers ?? {});
  if (offers.length) out += `offers:    ${offers.map(([level, n]) => `${level} ${n}`).join(', ')}\n`;
  return out;
}
