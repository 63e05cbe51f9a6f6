/**
 * Nesting depth of YAML text, estimated in one linear pass before the text reaches the parser.
 *
 * Why not ask the parser: `yaml` composes nested nodes recursively and its CST parser slows down
 * sharply on deep flow nesting (1,000,000 `[` take seconds), so depth must be known before
 * parsing. The estimate errs on the high side by at most one level per line (a compact
 * `- - x` counts its scalar), which is harmless with a limit far above real manifests.
 *
 * What it models: block nesting by indentation (a stack of node columns, plus compact `- `/`? `
 * entries on one line), flow collections (`[`/`{` at a node position, and every bracket inside
 * flow context), and the spans where brackets are not structure: quoted scalars (which may span
 * lines), comments, and block scalars (`|`, `>`) whose content lines are skipped by indentation.
 */

const isBlank = (ch: string | undefined): boolean => ch === ' ' || ch === '\t';
const isBreak = (ch: string | undefined): boolean => ch === '\n' || ch === '\r';

/** Offset at which nesting first exceeds `max`, or undefined. */
export function findExcessiveNesting(text: string, max: number): number | undefined {
  const n = text.length;
  const blockCols: number[] = [];
  let flow = 0;
  let quote = '';
  let blockScalarParent = -1;
  let lineStart = true;
  let lineBegin = 0;
  let lastNodeCol = 0;
  // Last non-blank character on this line outside quotes, and where: decides whether a quote,
  // bracket or `|` starts a node (YAML only treats them as syntax there).
  let prev = '';
  let prevAt = -1;

  let i = 0;
  while (i < n) {
    const ch = text[i];

    if (quote !== '') {
      if (quote === '"' && ch === '\\') i += 2;
      else if (ch === quote && quote === "'" && text[i + 1] === "'") i += 2;
      else { if (ch === quote) { quote = ''; prev = ch; prevAt = i; } i++; }
      continue;
    }

    if (lineStart) {
      let col = 0;
      while (i < n && text[i] === ' ') { i++; col++; }
      if (i >= n) break;
      if (isBreak(text[i])) { i++; continue; }
      if (blockScalarParent >= 0) {
        if (col > blockScalarParent) { i = endOfLine(text, i); continue; }
        blockScalarParent = -1;
      }
      lineStart = false;
      lineBegin = i - col;
      prev = '';
      prevAt = -1;
      if (flow === 0 && text[i] !== '#') {
        while (blockCols.length > 0 && (blockCols[blockCols.length - 1] as number) >= col) blockCols.pop();
        blockCols.push(col);
        lastNodeCol = col;
        if (blockCols.length > max) return i;
      }
      continue;
    }

    if (ch === '\n') { lineStart = true; i++; continue; }
    if (isBlank(ch) || ch === '\r') { i++; continue; }
    if (ch === '#' && (i === 0 || isBlank(text[i - 1]) || isBreak(text[i - 1]))) { i = endOfLine(text, i); continue; }

    // `-`, `?` and `:` are indicators only when followed by a blank; `[`, `{` and `,` always in flow.
    const afterIndicator = (prev === '-' || prev === '?' || prev === ':') && i > prevAt + 1;
    const atNode = prev === '' || afterIndicator || (flow > 0 && (prev === '[' || prev === '{' || prev === ','));

    if (flow === 0 && atNode && (prev === '-' || prev === '?') && afterIndicator) {
      // A compact nested node on the same line (`- - x`, `- key: v`).
      lastNodeCol = i - lineBegin;
      blockCols.push(lastNodeCol);
      if (blockCols.length > max) return i;
    }

    if (atNode && (ch === '"' || ch === "'")) { quote = ch; i++; continue; }
    if (ch === '[' || ch === '{') {
      if (flow > 0 || atNode) {
        flow++;
        if (blockCols.length + flow > max) return i;
      }
    } else if ((ch === ']' || ch === '}') && flow > 0) {
      flow--;
    } else if (flow === 0 && atNode && (ch === '|' || ch === '>')) {
      blockScalarParent = lastNodeCol;
      i = endOfLine(text, i);
      continue;
    }
    prev = ch as string;
    prevAt = i;
    i++;
  }
  return undefined;
}

function endOfLine(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl === -1 ? text.length : nl;
}
