// Text output: every string that came from a run goes through `shown` (bidi
// overrides and control characters become visible markers, as in the webviews), and
// numbers are rounded the way the panels round them.
import { formatNumber, visibleText } from '../../webview/common/text';

export function shown(text: string): string {
  return visibleText(text);
}

export function num(value: number | undefined | null, digits = 4): string {
  return value === undefined || value === null ? '–' : formatNumber(value, digits);
}

/** Rows of cells as columns padded to the widest cell, two spaces apart. */
export function columns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat(widths[i] - [...cell].length)))
        .join('  '),
    )
    .join('\n');
}

/** Text indented by `pad` on every line (multi-line prompts and completions). */
export function indented(text: string, pad = '    '): string {
  return text
    .split('\n')
    .map((line) => pad + line)
    .join('\n');
}
