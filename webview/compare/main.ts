// Compare runs: the dashboard's charts with one line per run, in the run's colour, aligned
// on step, seconds since each run's start, or tokens seen; smoothing; zoom asks the host
// for each run's detail window, as the single-run dashboard does for its one run.
import 'uplot/dist/uPlot.min.css';
import type { CompareAxis, CompareRunInfo, Notification } from '../../src/contract/messages';
import { stepRangeOf } from '../../src/compare/align';
import { smoothingSlider, xAxisPick } from '../common/chartControls';
import { ce, h, icon, slotted } from '../common/dom';
import { HostConnection } from '../common/host';
import { registerToolkit } from '../common/toolkit';
import { ChartView } from '../dashboard/charts';
import { onThemeChange, readChartTheme } from '../dashboard/theme';
import '../common/cards.css';
import '../dashboard/dashboard.css';
import './compare.css';
import { RunLegend } from './legend';
import { CompareSeries } from './overlayData';

interface CompareState {
  runIds?: string[];
  axis?: CompareAxis;
  smoothing?: number;
}

registerToolkit();
const host = new HostConnection<CompareState>('compare');
let axis: CompareAxis = host.state?.axis ?? 'step';
let smoothing = host.state?.smoothing ?? 0;
let zoom: [number, number] | undefined;
let theme = readChartTheme();
const data = new CompareSeries();
const charts = new Map<string, ChartView>();

const legend = new RunLegend((runId) => host.command({ command: 'openDashboard', runId }));
const axisPick = xAxisPick(
  [
    ['step', 'Step'],
    ['time', 'Time since start'],
    ['tokens', 'Tokens seen'],
  ],
  (value) => {
    axis = value === 'time' || value === 'tokens' ? value : 'step';
    host.saveState({ axis });
    setZoom(undefined);
  },
);
const smoothControls = smoothingSlider(smoothing, (value) => {
  smoothing = value;
  host.saveState({ smoothing });
  redraw();
});
const button = (text: string, codicon: string) =>
  ce('vscode-button', { text, attrs: { appearance: 'secondary' } }, [slotted(icon(codicon), 'start')]);
const resetZoom = button('Reset zoom', 'zoom-out');
const configsButton = button('Compare Configs', 'diff');
const samplesButton = button('Samples Side by Side', 'split-horizontal');
const info = h('span', { className: 'info', text: '' });
const grid = h('main', { className: 'grid' });
const empty = h('div', { className: 'empty', text: 'Reading the runs…' });

(document.getElementById('app') as HTMLElement).append(
  legend.el,
  h('div', { className: 'bar toolbar' }, [
    h('span', { className: 'label', text: 'X axis' }),
    axisPick.el,
    h('span', { className: 'label', text: 'Smoothing' }),
    ...smoothControls,
    resetZoom,
    configsButton,
    samplesButton,
    h('span', { className: 'grow' }),
    info,
  ]),
  empty,
  grid,
);
axisPick.show(axis);

const runIds = () => data.runs.map((r) => r.runId);
const placed = (runId: string) => data.scale(runId, axis) !== undefined;

function layoutCharts(): void {
  const names = data.metricNames();
  if (names.join('\n') === [...charts.keys()].join('\n')) return;
  for (const c of charts.values()) c.destroy();
  charts.clear();
  for (const name of names) {
    const view = new ChartView(data.spec(name), { onZoom: setZoom });
    charts.set(name, view);
    grid.appendChild(view.el);
  }
}

let frame = 0;
function redraw(): void {
  if (!frame) frame = requestAnimationFrame(() => ((frame = 0), drawNow()));
}

function drawNow(): void {
  layoutCharts();
  empty.hidden = charts.size > 0;
  legend.set(data.runs, axis, placed);
  const chartAxis = axis === 'time' ? 'elapsed' : axis;
  for (const [name, view] of charts)
    view.update(data.chartData(name, axis, smoothing), theme, chartAxis, zoom);
  const reading = data.runs.length - data.complete.size;
  info.textContent = `${data.runs.length} runs · ${data.pointCount().toLocaleString()} points · ${charts.size} charts${reading > 0 ? ` · reading ${reading} histories…` : ''}`;
  (window as unknown as { __lastPaint: number }).__lastPaint = performance.now();
}

let detailTimer: ReturnType<typeof setTimeout> | undefined;
/** Zoom: drawn at once from what is held, then each run's steps in range at full detail. */
function setZoom(range: [number, number] | undefined): void {
  const steps = new Map(
    data.runs.map((r) => {
      const scale = data.scale(r.runId, axis);
      return [r.runId, range && scale ? stepRangeOf(scale, range) : undefined] as const;
    }),
  );
  zoom = range;
  data.series.forEach((s) => s.setDetail(undefined));
  drawNow();
  if (detailTimer) clearTimeout(detailTimer);
  if (!range) return;
  detailTimer = setTimeout(() => {
    const width = Math.round(grid.querySelector('.plot')?.clientWidth ?? 600);
    for (const [runId, r] of steps) {
      if (!r) continue;
      void host.request('seriesWindow', { runId, fromStep: r[0], toStep: r[1], width }).then((w) => {
        if (zoom !== range) return;
        data.series.get(runId)?.setDetail(w);
        redraw();
      });
    }
  }, 150);
}

resetZoom.addEventListener('click', () => setZoom(undefined));
configsButton.addEventListener('click', () =>
  host.command({ command: 'compareConfigs', runIds: runIds().slice(0, 2) }),
);
samplesButton.addEventListener('click', () =>
  host.command({ command: 'compareSamples', runIds: runIds().slice(0, 2) }),
);
onThemeChange(() => {
  theme = readChartTheme();
  redraw();
});
new ResizeObserver(() => charts.forEach((c) => c.resize())).observe(grid);

function setRuns(runs: CompareRunInfo[]): void {
  data.setRuns(runs);
  grid.classList.toggle('many-runs', runs.length > 4);
  host.saveState({ runIds: runs.map((r) => r.runId) });
  configsButton.toggleAttribute('disabled', runs.length < 2);
  samplesButton.toggleAttribute('disabled', runs.length < 2);
}

function onNotification(n: Notification): void {
  if (n.type === 'compareInit') setRuns(n.runs);
  else if (n.type === 'compareSeries') {
    // Runs arrive one message at a time as their sessions open: one redraw per frame for all.
    n.windows.forEach((w) => data.setOverview(w, n.complete));
    redraw();
  } else if (n.type === 'compareAppend') {
    const held = compacting.get(n.runId);
    if (held) return void held.push(n);
    data.append(n.runId, n.points, n.supersededFrom);
    if ((data.series.get(n.runId)?.longestSeries() ?? 0) > COMPACT_AT) void compact(n.runId);
    redraw();
  }
}

/** Live points accumulate; past this many per metric the host downsamples the run again (as the dashboard does). */
const COMPACT_AT = 6000;
type Append = Extract<Notification, { type: 'compareAppend' }>;
const compacting = new Map<string, Append[]>();

async function compact(runId: string): Promise<void> {
  compacting.set(runId, []);
  try {
    const width = Math.round(grid.querySelector('.plot')?.clientWidth ?? 800);
    data.setOverview(await host.request('seriesWindow', { runId, width }), true);
  } finally {
    const s = data.series.get(runId);
    for (const n of compacting.get(runId) ?? []) {
      const points = n.points.filter(
        (p) => n.supersededFrom !== undefined || p.step > (s?.lastStep ?? -Infinity),
      );
      data.append(runId, points, n.supersededFrom);
    }
    compacting.delete(runId);
    redraw();
  }
}

host.ready(onNotification);
(window as unknown as { __compare: unknown }).__compare = { data, charts, drawNow, setZoom };
