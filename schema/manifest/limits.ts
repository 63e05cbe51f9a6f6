/**
 * Bounds on what the validator will read. They keep a hostile design.yaml from costing more than
 * a few milliseconds or a few megabytes, and they are far above what a real manifest needs
 * (the deepest real path, `bom[i].offers[j].priceBreaks[k].qty`, is 7 levels).
 */
export interface ManifestLimits {
  /** design.yaml larger than this is refused by size, before any parsing. */
  maxBytes: number;
  /** Nesting of mappings/lists; checked on the raw text before parsing, so deep input cannot overflow the stack. */
  maxDepth: number;
  /**
   * YAML aliases (`*name`) allowed. 0: manifests have no use for anchors, and refusing aliases
   * outright removes the billion-laughs expansion attack instead of merely bounding it.
   */
  maxAliases: number;
  /** BOM lines, whether written in YAML or in a CSV file. */
  maxBomLines: number;
  /** A BOM CSV file larger than this is refused by size, before parsing. */
  maxCsvBytes: number;
}

export const MANIFEST_LIMITS: Readonly<ManifestLimits> = Object.freeze({
  maxBytes: 1024 * 1024,
  maxDepth: 32,
  maxAliases: 0,
  maxBomLines: 10_000,
  maxCsvBytes: 8 * 1024 * 1024,
});

/**
 * UTF-8 size of a JS string without allocating an encoded copy. Every UTF-16 unit is at least
 * one byte, so a string longer than `limit` units is known to be too big without counting.
 */
export function utf8LengthExceeds(text: string, limit: number): number | undefined {
  if (text.length > limit) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) { bytes += 4; i++; }
    else bytes += 3;
  }
  return bytes > limit ? bytes : undefined;
}

export function formatBytes(n: number): string {
  if (n >= 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} bytes`;
}
