// Text from a run shown as text: invisible and reordering characters (bidi overrides,
// control characters, NUL) become visible markers, so what is shown is what was logged.
// One function for the webviews and the host (quick picks, titles, tree, notifications,
// status bar). Pure.

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

/** Run text on one line (for quick picks), hidden characters visible, cut to `max`. */
export function visibleLine(text: unknown, max = 80): string {
  const s = visibleText(String(text ?? ''))
    .replace(/\s+/g, ' ')
    .trim();
  return s.length > max ? s.slice(0, max - 1) + '…' : s;
}
