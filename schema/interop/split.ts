/**
 * Splits a stream of text into records without holding the whole input: the elements of a
 * top-level JSON array, or the lines of a JSONL file. Fed chunk by chunk; memory stays bounded by
 * the largest record kept (`maxRecordChars`): a longer element is skipped to its end and reported
 * as too large instead of being buffered. Only the structure is scanned here (strings, escapes,
 * brackets); each element's text is parsed by JSON.parse. Pure.
 */

export type SplitItem =
  | { index: number; text: string }
  | { index: number; tooLarge: number };

export interface RecordSplitter {
  /** Records completed by this chunk. */
  push(chunk: string): SplitItem[];
  /** Records left at the end of input; throws when the input is not a complete array. */
  end(): SplitItem[];
}

/** Elements of `[ … ]`. Whitespace around and between elements is skipped. */
export function jsonArraySplitter(maxRecordChars: number): RecordSplitter {
  let started = false;
  let finished = false;
  let depth = 0; // depth inside the current element
  let inString = false;
  let escape = false;
  let buf: string[] = [];
  let size = 0;
  let skipping = false;
  let index = 0;
  let inElement = false;

  const flush = (out: SplitItem[]) => {
    if (!inElement) return;
    if (skipping) out.push({ index, tooLarge: size });
    else {
      const text = buf.join('').trim();
      if (text !== '') out.push({ index, text });
    }
    index++;
    buf = []; size = 0; skipping = false; inElement = false;
  };

  return {
    push(chunk) {
      const out: SplitItem[] = [];
      let from = 0;
      for (let i = 0; i < chunk.length; i++) {
        const c = chunk[i]!;
        if (!started) {
          if (c === '[') { started = true; from = i + 1; continue; }
          if (/\s/.test(c) || c === '\uFEFF') continue;
          throw new SyntaxError('the file is not a JSON array (it does not start with "[")');
        }
        if (finished) {
          if (!/\s/.test(c)) throw new SyntaxError('unexpected text after the end of the JSON array');
          continue;
        }
        if (inString) {
          if (escape) escape = false;
          else if (c === '\\') escape = true;
          else if (c === '"') inString = false;
          continue;
        }
        if (c === '"') { inString = true; inElement = true; continue; }
        if (c === '{' || c === '[') { depth++; inElement = true; continue; }
        if (c === '}' || c === ']') {
          if (depth === 0 && c === ']') {
            take(chunk.slice(from, i));
            flush(out);
            finished = true;
            continue;
          }
          depth--;
          continue;
        }
        if (c === ',' && depth === 0) {
          take(chunk.slice(from, i));
          flush(out);
          from = i + 1;
          continue;
        }
        if (!/\s/.test(c)) inElement = true;
      }
      if (started && !finished) take(chunk.slice(from));
      return out;
    },
    end() {
      if (!started) throw new SyntaxError('the file is empty, not a JSON array');
      if (!finished) throw new SyntaxError('the JSON array is not closed (the file ends inside it)');
      return [];
    },
  };

  function take(piece: string): void {
    if (piece === '') return;
    size += piece.length;
    if (skipping) return;
    if (size > maxRecordChars) { skipping = true; buf = []; return; }
    buf.push(piece);
  }
}

/** Non-empty lines (JSON Lines). */
export function lineSplitter(maxRecordChars: number): RecordSplitter {
  let buf: string[] = [];
  let size = 0;
  let skipping = false;
  let index = 0;
  const flush = (out: SplitItem[]) => {
    if (skipping) out.push({ index, tooLarge: size });
    else {
      const text = buf.join('').replace(/\r$/, '');
      if (text.trim() === '') { buf = []; size = 0; return; }
      out.push({ index, text });
    }
    index++;
    buf = []; size = 0; skipping = false;
  };
  const take = (piece: string) => {
    size += piece.length;
    if (skipping) return;
    if (size > maxRecordChars) { skipping = true; buf = []; return; }
    buf.push(piece);
  };
  return {
    push(chunk) {
      const out: SplitItem[] = [];
      let from = 0;
      for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', from)) {
        take(chunk.slice(from, i));
        flush(out);
        from = i + 1;
      }
      take(chunk.slice(from));
      return out;
    },
    end() {
      const out: SplitItem[] = [];
      if (size > 0) flush(out);
      return out;
    },
  };
}
