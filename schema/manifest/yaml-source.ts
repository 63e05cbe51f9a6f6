/**
 * design.yaml text → a plain value plus a Locator back into the text.
 *
 * We convert the yaml AST ourselves instead of calling `toJS()`: it lets us refuse aliases
 * before anything is expanded, keep `__proto__` an ordinary (reported) key instead of a
 * prototype, refuse non-finite numbers, and bound depth in our own code.
 */
import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node, type Pair } from 'yaml';
import type { Issue } from '../errors.ts';
import type { FieldPath } from './field-path.ts';
import { formatPath } from './field-path.ts';
import { MANIFEST_LIMITS } from './limits.ts';
import type { Location, Locator } from './report.ts';

export interface ParsedYaml {
  /** Present when the text parsed into a mapping without aliases. */
  value?: Record<string, unknown>;
  locator: Locator;
  issues: Issue[];
}

type AstNode = Node | Pair | null | undefined;

const keyText = (key: unknown): string | undefined => {
  if (!isScalar(key)) return undefined;
  return typeof key.value === 'string' ? key.value : String(key.value);
};

export function parseManifestYaml(text: string, file: string): ParsedYaml {
  const lineCounter = new LineCounter();
  const issues: Issue[] = [];
  const pos = (offset: number | undefined): { line: number; column: number } => {
    if (offset === undefined) return { line: 1, column: 1 };
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const issue = (offset: number | undefined, path: FieldPath, code: string, message: string, severity: Issue['severity'] = 'error'): void => {
    issues.push({ file, path: formatPath(path), ...pos(offset), code, message, severity });
  };

  let doc: Document.Parsed;
  try {
    doc = parseDocument(text, {
      lineCounter, prettyErrors: false, uniqueKeys: true, strict: true, schema: 'core', merge: false,
    });
  } catch (e) {
    // Only reachable if the depth guard let something through; never let it become a crash.
    const message = e instanceof RangeError ? 'the document is nested too deeply to read' : `cannot read YAML: ${String(e)}`;
    issue(0, [], 'yaml-syntax', message);
    return { locator: { locate: () => ({ file, line: 1, column: 1 }) }, issues };
  }

  const locator = new YamlLocator(doc, file, pos);
  for (const e of doc.errors) issue(e.pos[0], [], 'yaml-syntax', e.message);
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') continue; // refused below as yaml-tag, at its field
    issue(w.pos[0], [], 'yaml-warning', w.message, 'warning');
  }
  if (doc.errors.length > 0) return { locator, issues };

  const root = doc.contents;
  if (!isMap(root)) {
    const got = root === null || (isScalar(root) && root.value === null) ? 'an empty document'
      : isSeq(root) ? 'a list' : isAlias(root) ? 'an alias' : `${typeof (root as { value?: unknown }).value} ${JSON.stringify((root as { value?: unknown }).value)}`;
    issue(root?.range?.[0] ?? 0, [], 'not-a-mapping', `${file} must be a mapping of fields (name: value), got ${got}`);
    return { locator, issues };
  }

  const converter = new Converter((node, path, code, message) => issue(node?.range?.[0], path, code, message));
  const value = converter.convert(root, 1) as Record<string, unknown>;
  if (converter.failed) return { locator, issues };
  return { value, locator, issues };
}

/**
 * Tags of the YAML 1.2 core schema, the only ones read. Anything else (`!!js/function`,
 * `!!python/object`, `!!binary`, a custom `!tag`) would be read by the yaml library as a plain
 * string with a warning; a manifest that asks for it is refused instead, at its line.
 */
const YAML_TAG_PREFIX = 'tag:yaml.org,2002:';
const CORE_TAGS: ReadonlySet<string> = new Set(['str', 'int', 'float', 'bool', 'null', 'seq', 'map'].map((t) => YAML_TAG_PREFIX + t));

class Converter {
  failed = false;
  private aliasReported = false;
  // One mutable path for the whole walk, copied only when an issue needs it: allocating a path
  // per node was a fifth of the cost of reading a 2,000-line BOM.
  private readonly path: (string | number)[] = [];
  constructor(private readonly report: (node: Node | null | undefined, path: FieldPath, code: string, message: string) => void) {}

  convert(node: AstNode, depth: number): unknown {
    if (node === null || node === undefined) return null;
    if (depth > MANIFEST_LIMITS.maxDepth) {
      this.fail(node as Node, 'yaml-too-deep', `nesting deeper than ${MANIFEST_LIMITS.maxDepth} levels is not allowed`);
      return null;
    }
    if (this.refusedTag(node)) return null;
    if (isAlias(node)) {
      if (!this.aliasReported) {
        this.aliasReported = true;
        this.fail(node, 'yaml-alias', `YAML aliases are not allowed (found *${node.source}); write the value out in full`);
      }
      this.failed = true;
      return null;
    }
    if (isScalar(node)) {
      const v = node.value;
      if (typeof v === 'number' && !Number.isFinite(v)) {
        this.fail(node, 'wrong-type', `must be a finite number, got ${String(node.source ?? v)}`);
        return null;
      }
      return typeof v === 'bigint' ? Number(v) : v;
    }
    if (isSeq(node)) {
      const out: unknown[] = [];
      node.items.forEach((item, i) => {
        this.path.push(i);
        out.push(this.convert(item as AstNode, depth + 1));
        this.path.pop();
      });
      return out;
    }
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      for (const pair of node.items) {
        if (this.refusedTag(pair.key)) continue;
        const key = keyText(pair.key);
        if (key === undefined) {
          this.fail(pair.key as Node, 'yaml-complex-key', 'keys must be plain names, not lists, mappings or aliases');
          continue;
        }
        this.path.push(key);
        const v = this.convert(pair.value as AstNode, depth + 1);
        this.path.pop();
        // Assigning `__proto__` would replace the object's prototype; define it as a plain own
        // property so the schema reports it as the unknown field it is.
        if (key === '__proto__') Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
        else out[key] = v;
      }
      return out;
    }
    return null;
  }

  /** Refuses (and reports) a node carrying a tag outside the core schema. */
  private refusedTag(node: unknown): boolean {
    const tag = (node as { tag?: string } | null | undefined)?.tag;
    if (tag === undefined || CORE_TAGS.has(tag)) return false;
    const shown = tag.startsWith(YAML_TAG_PREFIX) ? `!!${tag.slice(YAML_TAG_PREFIX.length)}` : tag;
    this.fail(node as Node, 'yaml-tag', `YAML tag ${JSON.stringify(shown)} is not allowed; write a plain value (only the core schema's !!str, !!int, !!float, !!bool, !!null, !!seq and !!map are read)`);
    return true;
  }

  private fail(node: Node | null | undefined, code: string, message: string): void {
    this.failed = true;
    this.report(node, [...this.path], code, message);
  }
}

/** Walks the AST along a field path; built once per document, cheap per lookup. */
class YamlLocator implements Locator {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly file: string,
    private readonly pos: (offset: number | undefined) => { line: number; column: number },
  ) {}

  locate(path: FieldPath, at: 'key' | 'value' = 'value'): Location {
    let node: unknown = this.doc.contents;
    let keyNode: unknown;
    let matched = 0;
    for (const seg of path) {
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p.key) === String(seg));
        if (!pair) break;
        keyNode = pair.key;
        const v = pair.value;
        // `field:` with nothing after it: point at the key, the value has no text.
        node = v === null || (isScalar(v) && v.value === null && !v.source) ? pair.key : v;
      } else if (isSeq(node)) {
        const item = typeof seg === 'number' ? node.items[seg] : undefined;
        if (item === undefined) break;
        keyNode = undefined;
        node = item;
      } else break;
      matched++;
    }
    const target = at === 'key' && matched === path.length && keyNode !== undefined ? keyNode : node;
    const range = (target as { range?: [number, number, number] } | null)?.range;
    return { file: this.file, ...this.pos(range?.[0]) };
  }
}
