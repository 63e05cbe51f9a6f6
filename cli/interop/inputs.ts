/**
 * The records of `ohw import` inputs, one at a time: files and folders are walked in a stable
 * order; JSON arrays and JSONL files are streamed record by record (bounded memory); YAML and TOML
 * manifests are single records; a `kitspace.y(a)ml` yields one record per (sub)project with the
 * BOM files and LICENSE it refers to. Nothing here maps fields: that is schema/interop.
 */
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import {
  detectFormat, kitspaceProjects, kitspaceRecord, parseDocument, parseKitspaceBom, readLicenseFile,
  type InteropIssue,
} from '../../schema/interop/index.ts';
import { jsonArraySplitter, lineSplitter, type RecordSplitter } from '../../schema/interop/split.ts';
import type { InteropFormat } from '../../schema/types.ts';

/** Limits of an import run (README "Limits"). */
export const IMPORT_LIMITS = {
  /** One record (an array element, a JSONL line, a manifest file). */
  maxRecordBytes: 1024 * 1024,
  /** Records per run. */
  maxRecords: 1_000_000,
  /** One Kitspace BOM file. */
  maxBomBytes: 5 * 1024 * 1024,
  /** Folder depth walked. */
  maxDepth: 16,
};

export interface InputRecord {
  /** The input file, as given or found in a folder. */
  source: string;
  /** Identifier when the record has none of its own: `file#index`, or the file name. */
  fallbackId: string;
  /** Detected (or forced) format; undefined with `problem`. */
  format?: InteropFormat;
  record?: unknown;
  /** The record refused before mapping (unparsable, too large, not a record). */
  problem?: InteropIssue;
  sourceBytes: Uint8Array;
  sourceExt: string;
  sideFiles?: Map<string, Uint8Array>;
}

const RECORD_FILE = /\.(json|jsonl|ndjson|toml|ya?ml)$/i;
const KITSPACE_FILE = /^kitspace\.ya?ml$/i;
const enc = new TextEncoder();

/** Files to read, in a stable order: each argument, folders walked depth first, sorted by name. */
export async function listInputFiles(args: string[]): Promise<string[]> {
  const out: string[] = [];
  const walk = async (p: string, depth: number): Promise<void> => {
    const st = await fsp.lstat(p).catch(() => undefined);
    if (!st) throw new Error(`${p}: no such file or folder`);
    if (st.isSymbolicLink()) return;
    if (st.isFile()) { out.push(p); return; }
    if (!st.isDirectory() || depth > IMPORT_LIMITS.maxDepth) return;
    const names = (await fsp.readdir(p)).filter((n) => !n.startsWith('.') && n !== 'node_modules').sort();
    for (const n of names) {
      const child = path.join(p, n);
      const cst = await fsp.lstat(child);
      if (cst.isDirectory()) await walk(child, depth + 1);
      else if (cst.isFile() && RECORD_FILE.test(n)) out.push(child);
    }
  };
  for (const a of args) await walk(a, 0);
  return out;
}

/** Every record of one input file. */
/** What the person importing states for records that state none (Kitspace). */
export interface Asserted { license?: string; licensor?: string }

export async function* readRecords(file: string, forced?: InteropFormat, asserted: Asserted = {}): AsyncGenerator<InputRecord> {
  const base = path.basename(file);
  const ext = (/\.([a-z]+)$/i.exec(base)?.[1] ?? '').toLowerCase();
  if (ext === 'jsonl' || ext === 'ndjson') { yield* streamed(file, lineSplitter(IMPORT_LIMITS.maxRecordBytes), forced); return; }
  if (ext === 'json' && (await firstChar(file)) === '[') { yield* streamed(file, jsonArraySplitter(IMPORT_LIMITS.maxRecordBytes), forced); return; }

  const size = (await fsp.stat(file)).size;
  const docExt = ext === 'yml' ? 'yaml' : ext || 'txt';
  if (size > IMPORT_LIMITS.maxRecordBytes) {
    yield { source: file, fallbackId: base, sourceBytes: new Uint8Array(), sourceExt: docExt, problem: tooLarge(size) };
    return;
  }
  const bytes = await fsp.readFile(file);
  const parsed = parse(bytes, docExt === 'yaml' ? 'yaml' : docExt);
  if ('problem' in parsed) { yield { source: file, fallbackId: base, sourceBytes: bytes, sourceExt: docExt, problem: parsed.problem }; return; }

  if (KITSPACE_FILE.test(base) || (forced === 'kitspace' && docExt === 'yaml')) {
    yield* kitspace(file, bytes, parsed.value, asserted);
    return;
  }
  yield classify({ source: file, fallbackId: base, sourceBytes: bytes, sourceExt: docExt, record: parsed.value }, forced);
}

async function* streamed(file: string, splitter: RecordSplitter, forced?: InteropFormat): AsyncGenerator<InputRecord> {
  const decoder = new StringDecoder('utf8');
  const stream = fs.createReadStream(file, { highWaterMark: 64 * 1024 });
  const label = path.basename(file);
  const each = (items: ReturnType<RecordSplitter['push']>): InputRecord[] => items.map((it) => {
    const fallbackId = `${label}#${it.index + 1}`;
    if ('tooLarge' in it) return { source: file, fallbackId, sourceBytes: new Uint8Array(), sourceExt: 'json', problem: tooLarge(it.tooLarge, 'characters') };
    const bytes = enc.encode(it.text);
    const parsed = parse(bytes, 'json');
    if ('problem' in parsed) return { source: file, fallbackId, sourceBytes: bytes, sourceExt: 'json', problem: parsed.problem };
    return classify({ source: file, fallbackId, sourceBytes: bytes, sourceExt: 'json', record: parsed.value }, forced);
  });
  try {
    for await (const chunk of stream) yield* each(splitter.push(decoder.write(chunk as Buffer)));
    yield* each([...splitter.push(decoder.end()), ...splitter.end()]);
  } catch (e) {
    if (!(e instanceof SyntaxError)) throw e;
    yield { source: file, fallbackId: label, sourceBytes: new Uint8Array(), sourceExt: 'json', problem: { path: '', code: 'parse-error', message: `${label}: ${e.message}` } };
  } finally {
    stream.destroy();
  }
}

function classify(r: InputRecord, forced?: InteropFormat): InputRecord {
  if (forced) return { ...r, format: forced };
  const d = detectFormat(r.record);
  if ('format' in d) return { ...r, format: d.format };
  return { ...r, problem: { path: '', code: 'not-a-record', message: `not an OKH/OSHWA/Kitspace record: ${d.reason}` } };
}

function* kitspace(file: string, bytes: Uint8Array, doc: unknown, asserted: Asserted): Generator<InputRecord> {
  const dir = path.dirname(file);
  const folder = path.basename(dir);
  const projects = kitspaceProjects(doc, folder);
  if (projects.length === 0) {
    yield { source: file, fallbackId: folder, sourceBytes: bytes, sourceExt: 'yaml', problem: { path: '', code: 'not-a-record', message: 'not an OKH/OSHWA/Kitspace record: kitspace.yaml is not a mapping' } };
    return;
  }
  const license = licenseBeside(dir);
  for (const p of projects) {
    const side = new Map<string, Uint8Array>();
    const bomPath = typeof p.entry.bom === 'string' ? p.entry.bom : undefined;
    let bom: ReturnType<typeof parseKitspaceBom> | undefined;
    let bomSkipped: string | undefined;
    if (bomPath && /\.(csv|tsv)$/i.test(bomPath) && !bomPath.split(/[\\/]/).includes('..')) {
      const abs = path.join(dir, bomPath);
      const st = fs.statSync(abs, { throwIfNoEntry: false });
      if (st?.isFile() && st.size <= IMPORT_LIMITS.maxBomBytes) {
        const data = fs.readFileSync(abs);
        bom = parseKitspaceBom(data, bomPath);
        side.set(`bom/${path.basename(bomPath)}`, data);
      } else bomSkipped = `bom (${bomPath}: ${st?.isFile() ? `larger than ${IMPORT_LIMITS.maxBomBytes} bytes` : 'not in the folder'})`;
    } else if (bomPath) bomSkipped = `bom (${bomPath}: not a CSV/TSV file, not read)`;
    if (license.bytes) side.set(license.name!, license.bytes);
    const record = kitspaceRecord(p, { ...(bom ? { bom } : {}), ...(bomSkipped ? { bomSkipped } : {}), license: license.facts, asserted });
    yield { source: file, fallbackId: p.project, format: 'kitspace', record, sourceBytes: bytes, sourceExt: 'yaml', sideFiles: side };
  }
}

/** A LICENSE / COPYING file in the project folder: kitspace.yaml states no licence itself. */
function licenseBeside(dir: string): { name?: string; bytes?: Uint8Array; facts: ReturnType<typeof readLicenseFile> } {
  const name = fs.readdirSync(dir).sort().find((n) => /^(licen[cs]e|copying)(\.(md|txt))?$/i.test(n));
  if (!name) return { facts: {} };
  const bytes = fs.readFileSync(path.join(dir, name));
  if (bytes.byteLength > IMPORT_LIMITS.maxRecordBytes) return { facts: {} };
  return { name, bytes, facts: readLicenseFile(new TextDecoder().decode(bytes)) };
}

function parse(bytes: Uint8Array, ext: string): { value: unknown } | { problem: InteropIssue } {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    return { problem: { path: '', code: 'parse-error', message: 'not UTF-8 text' } };
  }
  try {
    return { value: parseDocument(text, ext) };
  } catch (e) {
    const first = (e as Error).message.split('\n')[0]!.slice(0, 200);
    return { problem: { path: '', code: 'parse-error', message: `not an OKH/OSHWA/Kitspace record: the ${ext.toUpperCase()} does not parse (${first})` } };
  }
}

const tooLarge = (size: number, unit = 'bytes'): InteropIssue => ({
  path: '', code: 'record-too-large',
  message: `the record is over ${size.toLocaleString('en')} ${unit}; the limit is ${IMPORT_LIMITS.maxRecordBytes.toLocaleString('en')} ${unit} per record`,
});

async function firstChar(file: string): Promise<string | undefined> {
  const fh = await fsp.open(file, 'r');
  try {
    const buf = Buffer.alloc(256);
    const { bytesRead } = await fh.read(buf, 0, 256, 0);
    return /[^\s\uFEFF]/.exec(buf.subarray(0, bytesRead).toString('utf8'))?.[0];
  } finally {
    await fh.close();
  }
}
