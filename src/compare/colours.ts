// One colour per run of a comparison, the same in every chart, in the legend and in the
// runs table: chosen by the run's position in the comparison, never by the theme, so a
// run keeps its colour when the theme changes. Pure.

/**
 * Ten colours that stay apart on dark, light and high-contrast backgrounds (Tableau 10,
 * the palette most plotting tools default to), in the order they are handed out.
 */
export const RUN_PALETTE: readonly string[] = [
  '#4e79a7',
  '#f28e2b',
  '#59a14f',
  '#e15759',
  '#b07aa1',
  '#76b7b2',
  '#edc948',
  '#ff9da7',
  '#9c755f',
  '#bab0ac',
];

/** The colour of the run at `index` (0-based) in a comparison. Past the palette, hues spread by the golden angle. */
export function runColour(index: number): string {
  const i = Math.max(0, Math.floor(Number.isFinite(index) ? index : 0));
  if (i < RUN_PALETTE.length) return RUN_PALETTE[i];
  const hue = ((i - RUN_PALETTE.length) * 137.508 + 15) % 360;
  return hslToHex(hue, 0.55, 0.55);
}

function hslToHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const channel = (n: number) => {
    const k = (n + h / 30) % 12;
    const v = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(v * 255)
      .toString(16)
      .padStart(2, '0');
  };
  return `#${channel(0)}${channel(8)}${channel(4)}`;
}
