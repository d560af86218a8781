// Text from a run shown as text: invisible and reordering characters (bidi overrides,
// control characters, NUL) become visible markers, so what is shown is what was logged.
// Pure.

// C0/C1 controls except tab and newline, bidi embeddings/overrides/isolates, zero-width marks.
const HIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\u061C\uFEFF]/g;

export function visibleText(text: string): string {
  return text.replace(
    HIDDEN,
    (c) => `\u27e6U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}\u27e7`,
  );
}

export function formatNumber(value: number, digits = 3): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return value.toExponential(2);
  return Number(value.toFixed(digits)).toString();
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${s % 60}s`;
  return `${Math.floor(m / 60)}h ${m % 60}m`;
}
