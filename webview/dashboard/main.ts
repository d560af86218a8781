// The dashboard of one run: header with run control, and live charts of every metric.
// The host sends a downsampled overview, live points as steps land, and a detail
// window when the user zooms in.
import 'uplot/dist/uPlot.min.css';
import type { Notification, PanelState, RunHeader, XAxis } from '../../src/contract/messages';
import { smoothingSlider, xAxisPick } from '../common/chartControls';
import { ce, h, icon, slotted } from '../common/dom';
import { HostConnection } from '../common/host';
import { registerToolkit } from '../common/toolkit';
import { ChartView } from './charts';
import '../common/cards.css';
import './dashboard.css';
import { RunSeries } from './data';
import { DashboardHeader } from './header';
import { chartSpecs } from './layout';
import { markersFor } from './markers';
import type { FindingView } from '../../src/contract/messages';
import { onThemeChange, readChartTheme, type ChartTheme } from './theme';

registerToolkit();
const host = new HostConnection<PanelState>('dashboard');
const saved = host.state;

let runId = saved?.runId ?? '';
let xAxis: XAxis = saved?.xAxis ?? 'step';
let smoothing = saved?.smoothing ?? 0;
let follow = saved?.follow ?? true;
let zoom: [number, number] | undefined;
let theme: ChartTheme = readChartTheme();
const series = new RunSeries();
const charts = new Map<string, ChartView>();
let specKey = '';
let findings: FindingView[] = [];
/** The step Open Dashboard at Step asked for: its marker is drawn highlighted. */
let focusedStep: number | undefined;

const header = new DashboardHeader(
  (control) => host.command({ command: 'runControl', runId, control }),
  () => host.command({ command: 'openSamples', runId }),
);
const axisPick = xAxisPick(
  [
    ['step', 'Step'],
    ['time', 'Wall clock'],
  ],
  (value) => {
    xAxis = value === 'time' ? 'time' : 'step';
    host.saveState({ xAxis });
    setZoom(undefined);
  },
);
const smoothControls = smoothingSlider(smoothing, (value) => {
  smoothing = value;
  host.saveState({ smoothing });
  redraw();
});
const followBox = ce('vscode-checkbox', { text: 'Follow live' });
const resetZoom = ce('vscode-button', { text: 'Reset zoom', attrs: { appearance: 'secondary' } }, [
  slotted(icon('zoom-out'), 'start'),
]);
const info = h('span', { className: 'info', text: '' });
const grid = h('main', { className: 'grid' });
const empty = h('div', { className: 'empty', text: 'Waiting for the first step…' });

/** The header, and what the empty chart area says: a run that ended before a step waits for nothing. */
function showHeader(next: RunHeader): void {
  header.set(next);
  const ended = ['failed', 'stopped', 'finished', 'stale'].includes(next.state);
  const warmup = next.warmup;
  empty.textContent = ended
    ? `No steps: the run ${next.state} before its first step.`
    : warmup
      ? `Warm start: supervised step ${warmup.step}${warmup.steps ? ` of ${warmup.steps}` : ''}. The GRPO curves start after it.`
      : 'Waiting for the first step…';
}

(document.getElementById('app') as HTMLElement).append(
  header.el,
  header.errorEl,
  h('div', { className: 'bar toolbar' }, [
    h('span', { className: 'label', text: 'X axis' }),
    axisPick.el,
    h('span', { className: 'label', text: 'Smoothing' }),
    ...smoothControls,
    followBox,
    resetZoom,
    h('span', { className: 'grow' }),
    info,
  ]),
  empty,
  grid,
);
if (follow) followBox.setAttribute('checked', '');
axisPick.show(xAxis);

function layoutCharts(): void {
  const specs = chartSpecs(series.names);
  const key = JSON.stringify(specs);
  if (key === specKey) return;
  specKey = key;
  for (const c of charts.values()) c.destroy();
  charts.clear();
  for (const spec of specs) {
    const view = new ChartView(spec, { onZoom: setZoom });
    charts.set(spec.id, view);
    grid.appendChild(view.el);
  }
}

let frame = 0;
/** Redraws on the next frame; many messages in one frame cost one redraw. */
function redraw(): void {
  if (frame) return;
  frame = requestAnimationFrame(() => {
    frame = 0;
    drawNow();
  });
}

function drawNow(): void {
  layoutCharts();
  empty.hidden = charts.size > 0;
  const toX = (step: number) => (xAxis === 'time' && series.hasTime ? series.timeAt(step) : step);
  for (const view of charts.values()) {
    const names = view.spec.series.flatMap((s) => (s.bandStd ? [s.name, s.bandStd] : [s.name]));
    view.setMarkers(markersFor(names, findings), toX, focusedStep);
    view.update(series.chartData(view.spec, xAxis, smoothing), theme, xAxis, zoom);
  }
  info.textContent = `${series.pointCount().toLocaleString()} points · ${charts.size} charts`;
  (window as unknown as { __lastPaint: number }).__lastPaint = performance.now();
}

/**
 * The steps a zoomed x range covers: the range itself on the step axis; on the wall-clock
 * axis, its times mapped to steps through the logged times (both grow within a run).
 */
function stepRange(range: [number, number]): [number, number] | undefined {
  if (xAxis === 'step' || !series.hasTime) return [Math.floor(range[0]), Math.ceil(range[1])];
  const from = series.stepAt(range[0]);
  const to = series.stepAt(range[1]);
  if (from === undefined || to === undefined) return undefined;
  return [Math.floor(from), Math.ceil(to)];
}

let detailTimer: ReturnType<typeof setTimeout> | undefined;
function setZoom(range: [number, number] | undefined): void {
  // Mapped before the detail is dropped: the times the user selected are the ones drawn.
  const steps = range && stepRange(range);
  zoom = range;
  if (range) setFollow(false);
  series.setDetail(undefined);
  drawNow();
  if (detailTimer) clearTimeout(detailTimer);
  detailTimer = undefined;
  if (!range || !steps) return;
  // Ask the host for the zoomed steps at full resolution (downsampled to the chart width).
  detailTimer = setTimeout(async () => {
    const width = Math.round(grid.querySelector('.plot')?.clientWidth ?? 600);
    const w = await host.request('seriesWindow', { runId, fromStep: steps[0], toStep: steps[1], width });
    if (zoom !== range) return;
    series.setDetail(w);
    drawNow();
  }, 150);
}

function setFollow(on: boolean): void {
  follow = on;
  const box = followBox as unknown as { checked: boolean };
  if (box.checked !== on) box.checked = on;
  host.saveState({ follow: on });
}

followBox.addEventListener('change', () => {
  setFollow((followBox as unknown as { checked: boolean }).checked);
  if (follow) setZoom(undefined);
});
resetZoom.addEventListener('click', () => setZoom(undefined));
onThemeChange(() => {
  theme = readChartTheme();
  redraw();
});
new ResizeObserver(() => charts.forEach((c) => c.resize())).observe(grid);

/** Live points accumulate; past this many per metric the host downsamples the run again. */
const COMPACT_AT = 6000;
let compacting: Extract<Notification, { type: 'append' }>[] | undefined;

async function compact(): Promise<void> {
  compacting = [];
  try {
    const width = Math.round(grid.querySelector('.plot')?.clientWidth ?? 800);
    series.setOverview(await host.request('seriesWindow', { runId, width }));
  } finally {
    const held = compacting ?? [];
    compacting = undefined;
    for (const n of held) {
      const points = n.points.filter((p) => p.step > series.lastStep || n.supersededFrom !== undefined);
      if (n.supersededFrom !== undefined) series.supersede(n.supersededFrom);
      series.append(points);
    }
    redraw();
  }
}

/**
 * Zooms every chart around a step (a finding's): a window of a tenth of the run on each
 * side, at least 10 steps, so the step is seen next to what came before it.
 */
function focusStep(step: number): void {
  focusedStep = step;
  const last = Math.max(series.lastStep, step);
  const half = Math.max(10, Math.round(last / 10));
  const from = Math.max(0, step - half);
  const to = step + half;
  const range: [number, number] =
    xAxis === 'time' && series.hasTime ? [series.timeAt(from) ?? from, series.timeAt(to) ?? to] : [from, to];
  setZoom(range);
}

function onNotification(n: Notification): void {
  if (n.type === 'findings') {
    findings = n.findings;
    redraw();
    return;
  }
  if (n.type === 'focusStep') {
    focusStep(n.step);
    return;
  }
  if (n.type === 'init') {
    runId = n.runId;
    host.saveState({ runId });
    if (n.header) showHeader(n.header);
  } else if (n.type === 'header') showHeader(n.header);
  else if (n.type === 'series') {
    series.setOverview(n.window);
    redraw();
  } else if (n.type === 'append') {
    if (compacting) {
      compacting.push(n);
      return;
    }
    if (n.supersededFrom !== undefined) series.supersede(n.supersededFrom);
    series.append(n.points);
    if (series.longestSeries() > COMPACT_AT) void compact();
    // Not following: keep the user's view; following: the x range grows with the run.
    if (!follow && !zoom && charts.size > 0) {
      const u = [...charts.values()][0].uplot;
      if (u && u.scales.x.min !== undefined && u.scales.x.max !== undefined)
        zoom = [u.scales.x.min, u.scales.x.max];
    }
    redraw();
  }
}

host.ready(onNotification);
(window as unknown as { __dashboard: unknown }).__dashboard = {
  series,
  charts,
  drawNow,
  get zoom() {
    return zoom;
  },
};
