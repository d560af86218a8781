// One uPlot chart per ChartSpec. Cursors are synced across charts (uPlot's cursor sync);
// zoom is drag-select, double-click resets; both are propagated to every chart.
import uPlot from 'uplot';
import type { XAxis } from '../../src/contract/messages';
import { h } from '../common/dom';
import { formatDuration, formatNumber } from '../common/text';
import type { ChartData } from './data';
import type { ChartSpec } from './layout';
import { MarkerLayer, type ChartMarker } from './markers';
import { withAlpha, type ChartTheme } from './theme';

export const SYNC_KEY = 'grpo-lens-dashboard';
export const CHART_HEIGHT = 190;

/** The dashboard's axes, and compare's: seconds since each run's start, tokens seen. */
export type ChartXAxis = XAxis | 'elapsed' | 'tokens';

export interface ChartEvents {
  /** The user zoomed this chart to [min, max] of x, or reset (undefined). */
  onZoom(range: [number, number] | undefined): void;
}

/** Steps are whole numbers: tick only at 1, 2, 5, 10, 20, 50… so no label repeats. */
const STEP_INCREMENTS = Array.from({ length: 9 }, (_, e) => [1, 2, 5].map((m) => m * 10 ** e)).flat();

/** Token counts as people say them: 250k, 1.5M, 2B. */
function formatCount(n: number): string {
  const [unit, div] = n >= 1e9 ? ['B', 1e9] : n >= 1e6 ? ['M', 1e6] : n >= 1e3 ? ['k', 1e3] : ['', 1];
  return `${Number((n / (div as number)).toPrecision(3))}${unit}`;
}

function tickLabels(xAxis?: ChartXAxis): uPlot.Axis['values'] {
  if (xAxis === 'step') return (_u, ticks) => ticks.map((t) => formatNumber(t, 0));
  if (xAxis === 'tokens') return (_u, ticks) => ticks.map(formatCount);
  if (xAxis === 'elapsed') return (_u, ticks) => ticks.map((t) => formatDuration(t));
  return undefined;
}

function axis(theme: ChartTheme, scale: string, side: 0 | 1 | 2 | 3, xAxis?: ChartXAxis): uPlot.Axis {
  return {
    scale,
    side,
    stroke: theme.foreground,
    font: theme.font,
    grid: { stroke: theme.grid, width: 1, show: side !== 1 },
    ticks: { stroke: theme.grid, width: 1 },
    size: side === 2 ? 36 : 56,
    values: tickLabels(xAxis),
    incrs: xAxis === 'step' ? STEP_INCREMENTS : undefined,
  };
}

/**
 * A value axis as uPlot sets it, except for a flat series: uPlot gives a line of zeros a
 * 0 to 100 axis (a KL of exactly 0 read as a tiny value on a big scale); it gets ±1 here,
 * and a flat non-zero value ±10% of itself.
 */
export function valueRange(_u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
  if (min === null || max === null) return [min, max];
  if (min !== max) return uPlot.rangeNum(min, max, 0.1, true);
  const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
  return [min - pad, max + pad];
}

function options(
  spec: ChartSpec,
  d: ChartData,
  theme: ChartTheme,
  xAxis: ChartXAxis,
  width: number,
  ev: ChartEvents,
): uPlot.Options {
  const series: uPlot.Series[] = [{ label: xAxis }];
  const bands: uPlot.Band[] = [];
  spec.series.forEach((s, i) => {
    const color = s.color ?? theme.palette[i % theme.palette.length];
    const scale = s.scale ?? 'y';
    series.push({
      label: s.label,
      stroke: color,
      width: 1.5,
      scale,
      spanGaps: true,
      points: { show: false },
      value: (_u, v) => (v === null ? '–' : formatNumber(v, 4)),
    });
    const c = d.columns[i];
    if (c.bandHigh !== undefined && c.bandLow !== undefined) {
      for (const edge of ['+σ', '−σ']) {
        series.push({
          label: edge,
          stroke: withAlpha(color, 0.35),
          width: 0.5,
          scale,
          spanGaps: true,
          points: { show: false },
        });
      }
      bands.push({ series: [c.bandHigh, c.bandLow], fill: withAlpha(color, 0.15) });
    }
  });
  const hasY2 = spec.series.some((s) => s.scale === 'y2');
  const isTime = xAxis === 'time';
  return {
    width,
    height: CHART_HEIGHT,
    series,
    bands,
    scales: {
      x: { time: isTime },
      y: { auto: true, range: valueRange },
      ...(hasY2 ? { y2: { auto: true, range: valueRange } } : {}),
    },
    axes: [axis(theme, 'x', 2, xAxis), axis(theme, 'y', 3), ...(hasY2 ? [axis(theme, 'y2', 1)] : [])],
    cursor: {
      sync: { key: SYNC_KEY, setSeries: false },
      drag: { x: true, y: false, setScale: true },
      points: { size: 5 },
    },
    legend: { show: true, live: true },
    hooks: {
      setSelect: [
        (u) => {
          if (u.select.width < 2) return;
          const min = u.posToVal(u.select.left, 'x');
          const max = u.posToVal(u.select.left + u.select.width, 'x');
          ev.onZoom([min, max]);
        },
      ],
    },
  };
}

export class ChartView {
  readonly el: HTMLElement;
  private readonly target: HTMLElement;
  private plot?: uPlot;
  private key = '';
  /** The run doctor's markers (markers.ts), placed on every draw. */
  private readonly markers: MarkerLayer;
  private toX: (step: number) => number | undefined = (step) => step;

  constructor(
    readonly spec: ChartSpec,
    private readonly events: ChartEvents,
  ) {
    this.target = h('div', { className: 'plot' });
    this.el = h('section', { className: 'chart', attrs: { 'data-chart': spec.id } }, [
      h('h3', { text: spec.title }),
      this.target,
    ]);
    this.target.addEventListener('dblclick', () => this.events.onZoom(undefined));
    this.markers = new MarkerLayer(this.el);
  }

  /** Findings' steps to mark; `toX` maps a step to the x axis (steps, or wall-clock time). */
  setMarkers(markers: ChartMarker[], toX: (step: number) => number | undefined, focused?: number): void {
    this.markers.set(markers, focused);
    this.toX = toX;
    if (this.plot) this.markers.draw(this.plot, toX);
  }

  /** Draws the data; rebuilds the plot when its shape, axis or theme changed. */
  update(d: ChartData, theme: ChartTheme, xAxis: ChartXAxis, zoom: [number, number] | undefined): void {
    const width = Math.max(200, this.target.clientWidth || 400);
    const key = `${d.data.length}|${xAxis}|${this.spec.series.map((s) => s.color).join()}|${theme.palette.join()}|${theme.foreground}|${theme.grid}`;
    if (!this.plot || key !== this.key) {
      this.plot?.destroy();
      this.key = key;
      const opts = options(this.spec, d, theme, xAxis, width, this.events);
      opts.hooks = { ...opts.hooks, draw: [(u) => this.markers.draw(u, this.toX)] };
      opts.scales = {
        ...opts.scales,
        x: { ...opts.scales?.x, range: (u, min, max) => this.xRange(u, min, max) },
      };
      this.plot = new uPlot(opts, d.data as uPlot.AlignedData, this.target);
    } else {
      this.plot.setData(d.data as uPlot.AlignedData, zoom === undefined);
    }
    if (zoom) this.plot.setScale('x', { min: zoom[0], max: zoom[1] });
  }

  /**
   * The x range: the data's, widened to a marker past either end (a NaN loss is not drawn,
   * so the chart's data ends one step before the finding that matters most). A range the
   * user zoomed to is kept as it is.
   */
  private xRange(u: uPlot, min: number | null, max: number | null): uPlot.Range.MinMax {
    const xs = u.data[0];
    if (min === null || max === null || xs.length === 0) return [min, max];
    const marks = this.markers
      .steps()
      .map(this.toX)
      .filter((x): x is number => x !== undefined);
    const lo = min === xs[0] ? Math.min(min, ...marks) : min;
    const hi = max === xs[xs.length - 1] ? Math.max(max, ...marks) : max;
    return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
  }

  resize(): void {
    const width = Math.max(200, this.target.clientWidth || 400);
    if (this.plot && this.plot.width !== width) this.plot.setSize({ width, height: CHART_HEIGHT });
  }

  get uplot(): uPlot | undefined {
    return this.plot;
  }

  destroy(): void {
    this.plot?.destroy();
    this.el.remove();
  }
}
