/**
 * `ohw bom owner/name[@version]|dir [--batch N] [--currency C] [--rates file.json|USD:1.08,…]
 *  [--format table|csv|json]`
 *
 * - A published design is costed by the registry (`GET …/versions/:v/bom`); `@range` picks the
 *   highest non-yanked version in range (an exact yanked version is honoured, with a warning).
 * - A folder (the argument exists on disk, or starts with `.` or `/`) is read and validated like
 *   `ohw publish` would, its sub-assemblies are resolved against the registry through the HTTP
 *   API, and it is exploded and costed here with the same pure code the server runs — so an
 *   unpublished design gets the same answer it will get once published.
 * - Output: a table on a terminal, JSON otherwise; `--format` (or `--json`) decides. The JSON is
 *   the same document the HTTP API returns; the CSV is documented in docs/bom.md.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import { OhwError } from '../../schema/errors.ts';
import { costBatch, parseRates, type BomCosting, type ExchangeRates } from '../../schema/bom/cost.ts';
import { bomToCsv } from '../../schema/bom/csv.ts';
import { explode } from '../../schema/bom/explode.ts';
import { resolveTree, type AvailableVersion, type BomRegistry } from '../../schema/bom/resolve.ts';
import { bomToTable } from '../../schema/bom/table.ts';
import { bomReport, type BomReport } from '../../schema/bom/report.ts';
import { parsePackageName, parsePackageSpec } from '../../schema/names.ts';
import type { Manifest } from '../../schema/types.ts';
import type { RegistryClient } from '../client.ts';
import { clientFor } from '../context.ts';
import { CliError, EXIT } from '../exit-codes.ts';
import { loadLocalDesign, requireValid } from '../local-design.ts';
import { isTTY, printJson } from '../output.ts';
import { pickVersion } from './download.ts';

type Format = 'table' | 'csv' | 'json';

interface BomOpts { batch?: string; currency?: string; rates?: string; format?: string; json?: boolean }

interface DesignView { latest: string | null; versions: Array<{ version: string; checksum: string; yanked: boolean }> }
interface VersionView { manifest: Manifest }

/** Same rule as the server: a whole number ≥ 1. */
export function parseBatchFlag(raw: string | undefined): number {
  if (raw === undefined) return 1;
  const n = /^\+?\d+$/.test(raw.trim()) ? Number(raw.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n < 1) throw new OhwError('INVALID_REQUEST', `batch must be a whole number ≥ 1 (got "${raw}")`);
  return n;
}

/** `--rates`: a JSON file `{"base": "EUR", "rates": {"USD": 1.08}}`, or `USD:1.08,GBP:0.85` (base = --currency). */
export function readRatesFlag(raw: string, currency: string | undefined): ExchangeRates {
  if (fs.existsSync(raw) && fs.statSync(raw).isFile()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(fs.readFileSync(raw, 'utf8'));
    } catch (e) {
      throw new OhwError('INVALID_REQUEST', `invalid exchange rates: ${raw} is not valid JSON (${(e as Error).message})`);
    }
    return parseRates(parsed);
  }
  if (!/[:=]/.test(raw)) {
    throw new OhwError('INVALID_REQUEST', `--rates "${raw}" is neither a file nor CODE:rate pairs such as USD:1.08,GBP:0.85`);
  }
  return parseRates(raw, currency?.trim().toUpperCase());
}

function formatOf(opts: BomOpts): Format {
  if (opts.format !== undefined) {
    const f = opts.format.toLowerCase();
    if (f !== 'table' && f !== 'csv' && f !== 'json') throw new CliError(`--format must be table, csv or json (got "${opts.format}")`, EXIT.usage);
    return f;
  }
  if (opts.json) return 'json';
  return isTTY() ? 'table' : 'json';
}

/** A folder, not a package name: it exists on disk, or it is spelled as a path. */
export function isLocalDir(arg: string): boolean {
  return arg.startsWith('.') || arg.startsWith('/') || fs.existsSync(arg);
}

const notFound = (e: unknown): boolean => e instanceof OhwError && e.code === 'NOT_FOUND';

/** The registry as the BOM core sees it, over the HTTP API (`GET /designs/:o/:n`, `…/versions/:v`). */
export function httpBomRegistry(client: RegistryClient): BomRegistry {
  const name = (pkg: string): string | undefined => {
    try {
      return parsePackageName(pkg).full;
    } catch {
      return undefined;
    }
  };
  return {
    async versions(pkg: string): Promise<AvailableVersion[] | undefined> {
      const full = name(pkg);
      if (!full) return undefined;
      try {
        const d = await client.json<DesignView>('GET', `/designs/${full}`);
        return d.versions.map((v) => ({ version: v.version, yanked: v.yanked }));
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
    async manifest(pkg: string, version: string): Promise<Manifest | undefined> {
      const full = name(pkg);
      if (!full) return undefined;
      try {
        return (await client.json<VersionView>('GET', `/designs/${full}/versions/${encodeURIComponent(version)}`)).manifest;
      } catch (e) {
        if (notFound(e)) return undefined;
        throw e;
      }
    },
  };
}

async function localBom(client: RegistryClient, dir: string, batch: number, currency: string | undefined, rates: ExchangeRates | undefined): Promise<BomReport> {
  const manifest = requireValid(await loadLocalDesign(dir));
  const tree = await resolveTree({ package: manifest.name, version: manifest.version, manifest }, httpBomRegistry(client));
  const opts: Parameters<typeof costBatch>[1] = { batch };
  if (currency !== undefined) opts.currency = currency;
  if (rates) opts.rates = rates;
  return bomReport(tree.root.package, tree.root.version, tree, costBatch(explode(tree), opts));
}

async function registryBom(client: RegistryClient, spec: string, batch: number, currency: string | undefined, rates: ExchangeRates | undefined): Promise<BomReport> {
  const { pkg, range } = parsePackageSpec(spec);
  const design = await client.json<DesignView>('GET', `/designs/${pkg}`);
  let version: string;
  if (range) {
    const picked = pickVersion(pkg, range, design.versions);
    if (picked.warning) process.stderr.write(`warning: ${picked.warning}\n`);
    version = picked.version;
  } else {
    if (!design.latest) throw new OhwError('NOT_FOUND', `${pkg} has no published, non-yanked version; name one exactly (${pkg}@1.0.0)`);
    version = design.latest;
  }
  const q = new URLSearchParams({ batch: String(batch) });
  if (currency !== undefined) q.set('currency', currency);
  if (rates) q.set('rates', JSON.stringify(rates));
  return client.json<BomReport>('GET', `/designs/${pkg}/versions/${encodeURIComponent(version)}/bom?${q}`);
}

export function bomCommand(program: Command): void {
  program
    .command('bom <design>')
    .description('exploded, costed bill of materials of owner/name[@version] or of a local design folder')
    .option('--batch <n>', 'number of units to build (whole number ≥ 1)', '1')
    .option('--currency <code>', 'preferred currency (ISO 4217); with --rates, the currency to convert to')
    .option('--rates <file|pairs>', 'exchange rates: a JSON file {"base": "EUR", "rates": {"USD": 1.08}}, or USD:1.08,GBP:0.85 (1 --currency = 1.08 USD)')
    .option('--format <format>', 'table, csv or json (default: table on a terminal, json otherwise)')
    .option('--json', 'same as --format json')
    .action(async (arg: string, opts: BomOpts, cmd: Command) => {
      const format = formatOf(opts);
      const batch = parseBatchFlag(opts.batch);
      const currency = opts.currency?.trim() ? opts.currency.trim() : undefined;
      const rates = opts.rates !== undefined ? readRatesFlag(opts.rates, currency) : undefined;
      const client = clientFor(cmd);
      const report = isLocalDir(arg)
        ? await localBom(client, arg, batch, currency, rates)
        : await registryBom(client, arg, batch, currency, rates);

      if (format === 'json') return printJson(report);
      const { currency: cur, package: _p, version: _v, tree: _t, ...rest } = report;
      const costing: BomCosting = { ...rest, ...(cur ? { currency: cur } : {}) };
      if (format === 'csv') {
        process.stdout.write(bomToCsv(costing));
        for (const w of costing.warnings) process.stderr.write(`warning: ${w}\n`);
        return;
      }
      process.stdout.write(bomToTable(costing, Math.max(80, process.stdout.columns ?? 120)));
    });
}
