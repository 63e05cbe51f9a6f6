import { formatIssue, type Issue } from '../schema/errors.ts';

export const isTTY = (): boolean => Boolean(process.stdout.isTTY);

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printIssues(issues: Issue[], out: NodeJS.WritableStream = process.stderr): void {
  for (const i of issues) out.write(formatIssue(i) + '\n');
}

/** A plain aligned table; columns are padded to their widest cell. */
export function table(header: string[], rows: Array<Array<string | number | undefined>>): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(cells[0]!), line(widths.map((w) => '-'.repeat(w))), ...cells.slice(1).map(line)].join('\n') + '\n';
}

export function humanBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Progress on a TTY only; pipes and CI get no carriage-return noise. */
export function progress(label: string): ((done: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let last = -1;
  return (done, total) => {
    const pct = total ? Math.floor((done / total) * 100) : 100;
    if (pct === last) return;
    last = pct;
    process.stderr.write(`\r${label} ${pct}% (${humanBytes(done)}/${humanBytes(total)})${done >= total ? '\n' : ''}`);
  };
}
