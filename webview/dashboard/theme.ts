// Chart colours from the VS Code theme: read from --vscode-* variables, re-read when
// the theme changes (VS Code swaps the body class and the variables).
export interface ChartTheme {
  palette: string[];
  foreground: string;
  grid: string;
  font: string;
}

function cssVar(style: CSSStyleDeclaration, name: string, fallback: string): string {
  return style.getPropertyValue(name).trim() || fallback;
}

export function readChartTheme(): ChartTheme {
  const style = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => cssVar(style, `--vscode-${name}`, fallback);
  const foreground = v('charts-foreground', v('foreground', '#888'));
  return {
    palette: [
      v('charts-blue', '#3794ff'),
      v('charts-orange', '#d18616'),
      v('charts-green', '#89d185'),
      v('charts-purple', '#b180d7'),
      v('charts-red', '#f14c4c'),
      v('charts-yellow', '#cca700'),
      foreground,
    ],
    foreground,
    grid: v('charts-lines', 'rgba(128,128,128,0.3)'),
    font: `11px ${v('font-family', 'sans-serif')}`,
  };
}

/** The colour with an alpha, for band fills (hex and rgb() colours; others unchanged). */
export function withAlpha(color: string, alpha: number): string {
  const hex = /^#([0-9a-f]{3,8})$/i.exec(color);
  if (hex) {
    let h = hex[1];
    if (h.length <= 4) h = [...h].map((c) => c + c).join('');
    const [r, g, b] = [0, 2, 4].map((i) => parseInt(h.slice(i, i + 2), 16));
    return `rgba(${r},${g},${b},${alpha})`;
  }
  const rgb = /^rgba?\(([^,]+),([^,]+),([^,)]+)/.exec(color.replace(/\s/g, ''));
  return rgb ? `rgba(${rgb[1]},${rgb[2]},${rgb[3]},${alpha})` : color;
}

export function onThemeChange(listener: () => void): void {
  new MutationObserver(() => listener()).observe(document.body, {
    attributes: true,
    attributeFilter: ['class'],
  });
}
