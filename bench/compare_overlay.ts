// Compare Runs on 20 runs of 100 000 steps: time to the first paint and extension-host
// heap, against a baseline measured in the same run of this script. Each side runs in its
// own process (--expose-gc), over the same run directories, with the run store already
// started (the runs are listed before a user compares them):
//   GRPO Lens (src/compare/comparePanel.ts): read the last 400 rows of every run from its
//     file's end, all together, and post them as one first paint; then hold one session per
//     run, draw each run's recent window (in memory), post it; then each run's whole history,
//     streamed and downsampled two runs at a time, kept as a downsampled overview;
//   baseline: read every run's whole history (rows kept, to draw and zoom from memory),
//     then build the same downsampled series and post them.
// The first paint is then drawn by the bundled compare webview in Chromium, to show what
// the user waits for end to end.
//
//   node esbuild.js && npx tsc -p tsconfig.test.json
//   node out/bench/compare_overlay.js [--runs 20] [--steps 100000] [--no-webview] [--dir <runs written before>]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HostToWebview, SeriesWindow } from '../src/contract/messages';
import { compareRunInfos } from '../src/compare/runInfo';
import { firstPaintWindow } from '../src/compare/firstPaint';
import { readTailPaints } from '../src/compare/tailPaint';
import { readSeriesWindow, SeriesWindowBuilder } from '../src/panels/seriesWindow';
import type { MetricRow, SessionLease } from '../src/runs/model';
// The panel imports vscode; its two constants are repeated here.
const OPENERS = 3;
import { RunIndexStore } from '../src/runs/store';

const WIDTH = 800;

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** A finished run of ours: run.json, status.json and metrics.jsonl (no samples: compare draws curves). */
export function writeRun(dir: string, index: number, steps: number): void {
  fs.mkdirSync(dir, { recursive: true });
  const config = { name: `sweep-${index}`, max_steps: steps, beta: 0.01 * index, num_generations: 8 };
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ format: 'grpo-lens/1', name: config.name, config }),
  );
  const status = { state: 'finished', pid: 1, step: steps, total_steps: steps, updated: 1_790_100_000 };
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status));
  const fd = fs.openSync(path.join(dir, 'metrics.jsonl'), 'w');
  let batch: string[] = [];
  for (let step = 1; step <= steps; step++) {
    const r = (k: number) => Number(((Math.sin(step * 0.001 * k + index) + 1) / 2).toFixed(6));
    const row = {
      step,
      time: 1_790_000_000 + step * (1 + index / 10),
      reward: r(1),
      reward_std: r(2),
      'rewards/accuracy/mean': r(3),
      'rewards/format/mean': r(4),
      kl: r(5) / 10,
      loss: r(6),
      entropy: r(7),
      'clip_ratio/region_mean': 0.01,
      'completions/mean_length': 42,
      grad_norm: r(8),
      lr: 1e-5,
      beta: 0.04,
      'timing/step_s': 0.5,
      tokens_per_s: 1234.5,
    };
    batch.push(JSON.stringify(row) + '\n');
    if (batch.length === 10_000) {
      fs.writeSync(fd, batch.join(''));
      batch = [];
    }
  }
  fs.writeSync(fd, batch.join(''));
  fs.closeSync(fd);
}

interface Measure {
  /** From the compare command to the first run's first paint posted, and to every run's. */
  firstRunMs: number;
  firstPaintMs: number;
  /** To every run's session window posted (the second, denser paint). */
  sessionPaintMs: number;
  /** Heap above the started store's, after a GC, once every run's first paint was posted. */
  heapAtFirstPaintMB: number;
  completeMs: number;
  heapCompleteMB: number;
  bytesPosted: number;
  points: number;
}

function heapMB(): number {
  (global as unknown as { gc: () => void }).gc();
  return process.memoryUsage().heapUsed / 1024 ** 2;
}

function posted(windows: SeriesWindow[], complete: boolean): string {
  const message: HostToWebview = { kind: 'notification', type: 'compareSeries', windows, complete };
  return JSON.stringify(message);
}

const pointsOf = (windows: SeriesWindow[]) =>
  windows.reduce((n, w) => n + Object.values(w.metrics).reduce((m, s) => m + s.x.length, 0), 0);

/** What ComparePanel does: every run's tail, then a session per run opened OPENERS at a time, each run drawn as its session is ready, then whole histories. */
async function withLens(store: RunIndexStore, ids: string[], before: number, started: number) {
  const firsts = await readTailPaints(ids.map((id) => store.get(id)));
  let bytes = posted(firsts, false).length;
  const firstPaintMs = performance.now() - started;
  const firstRunMs = firstPaintMs; // one message for all
  const heapAtFirstPaintMB = heapMB() - before;
  const leases: SessionLease[] = [];
  const queue = [...ids];
  const opener = async () => {
    for (let id = queue.shift(); id; id = queue.shift()) {
      const lease = store.hold(id);
      leases.push(lease);
      await lease.ready;
      const w = firstPaintWindow(id, store.recentMetrics(id));
      bytes += posted([w], false).length;
    }
  };
  await Promise.all(Array.from({ length: OPENERS }, opener));
  const sessionPaintMs = performance.now() - started;
  const overviews = new Map<string, SeriesWindow>();
  const toRead = [...ids];
  const reader = async () => {
    for (let id = toRead.shift(); id; id = toRead.shift()) {
      const w = await readSeriesWindow(store, id, WIDTH);
      overviews.set(id, w);
      bytes += posted([w], true).length;
    }
  };
  await Promise.all([reader(), reader()]);
  const completeMs = performance.now() - started;
  const heapCompleteMB = heapMB() - before;
  leases.forEach((l) => l.dispose());
  return {
    firstRunMs,
    firstPaintMs,
    sessionPaintMs,
    heapAtFirstPaintMB,
    completeMs,
    heapCompleteMB,
    bytesPosted: bytes,
    firsts,
  };
}

/** The baseline: every run's whole history read (rows kept, to draw and zoom from memory), then the series. */
async function readingEverything(store: RunIndexStore, ids: string[], before: number, started: number) {
  const histories = new Map<string, MetricRow[]>();
  for (const id of ids) {
    const rows: MetricRow[] = [];
    await store.readAllMetrics(id, (row) => rows.push(row));
    histories.set(id, rows);
  }
  const firsts = ids.map((id) => {
    const rows = histories.get(id)!;
    const b = new SeriesWindowBuilder(id, 0, rows[rows.length - 1].step, WIDTH);
    rows.forEach((r) => b.add(r));
    return b.result();
  });
  const bytesPosted = posted(firsts, true).length;
  const firstPaintMs = performance.now() - started;
  const heapAtFirstPaintMB = heapMB() - before;
  void histories.size; // held until here, as the baseline keeps them
  return {
    firstRunMs: firstPaintMs,
    firstPaintMs,
    sessionPaintMs: firstPaintMs,
    heapAtFirstPaintMB,
    completeMs: firstPaintMs,
    heapCompleteMB: heapAtFirstPaintMB,
    bytesPosted,
    firsts,
  };
}

async function measure(root: string, mode: string, firstPaintFile: string): Promise<Measure> {
  const store = new RunIndexStore({ roots: () => [{ path: root, depth: 2 }] });
  await store.start();
  const ids = store.runs().map((r) => r.id);
  const before = heapMB();
  const started = performance.now();
  const m = await (mode === 'lens' ? withLens : readingEverything)(store, ids, before, started);
  if (firstPaintFile) {
    const init = { type: 'compareInit', runs: compareRunInfos(ids, store.runs()) };
    fs.writeFileSync(firstPaintFile, JSON.stringify({ init, series: JSON.parse(posted(m.firsts, false)) }));
  }
  store.dispose();
  const { firsts, ...rest } = m;
  return { ...rest, points: pointsOf(firsts) };
}

function inChild(mode: string, root: string, firstPaintFile = ''): Measure {
  const out = execFileSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=8192', __filename, '--child', mode, root, firstPaintFile],
    { encoding: 'utf8', maxBuffer: 1 << 26 },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

/** Draws a recorded first paint in the bundled compare webview, in Chromium: ms from the message to the drawn charts. */
async function webviewPaintMs(file: string): Promise<number> {
  const { launchChromium } = await import('../test/harness/browser');
  const { openWebview } = await import('../test/browser/webviewPage');
  const { init, series } = JSON.parse(fs.readFileSync(file, 'utf8'));
  const browser = await launchChromium();
  try {
    const wp = await openWebview(browser, 'compare', async (m, page) => {
      if (m.kind === 'ready') await page.send({ kind: 'notification', ...init });
    });
    await wp.page.waitForTimeout(300);
    const ms = await wp.page.evaluate(async (message) => {
      const w = window as unknown as { __lastPaint?: number };
      const sent = performance.now();
      window.postMessage(message, '*');
      while (!(w.__lastPaint && w.__lastPaint > sent)) await new Promise((r) => setTimeout(r, 5));
      return w.__lastPaint - sent;
    }, series);
    await wp.screenshot('bench-compare-20-runs');
    return ms;
  } finally {
    await browser.close();
  }
}

async function main(): Promise<void> {
  const runs = arg('runs', 20);
  const steps = arg('steps', 100_000);
  const at = process.argv.indexOf('--dir');
  const given = at >= 0 ? process.argv[at + 1] : undefined;
  const root = given ?? fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-compare-bench-'));
  const firstPaintFile = path.join(os.tmpdir(), `grpo-lens-compare-first-paint-${process.pid}.json`);
  try {
    const t = performance.now();
    if (!given) for (let i = 0; i < runs; i++) writeRun(path.join(root, 'runs', `sweep-${i}`), i, steps);
    const mb = Number(execFileSync('du', ['-sb', root], { encoding: 'utf8' }).split('\t')[0]) / 1024 ** 2;
    console.log(
      `${runs} runs x ${steps} steps written (${mb.toFixed(0)} MB) in ${((performance.now() - t) / 1000).toFixed(1)} s`,
    );
    const lens = inChild('lens', root, firstPaintFile);
    const base = inChild('baseline', root);
    const f = (x: number) => x.toFixed(0);
    console.log(
      `GRPO Lens: first run painted ${f(lens.firstRunMs)} ms, every run's first paint posted ${f(lens.firstPaintMs)} ms (${lens.points} points, heap +${lens.heapAtFirstPaintMB.toFixed(1)} MB); every run's session window ${f(lens.sessionPaintMs)} ms; whole histories ${f(lens.completeMs)} ms (heap +${lens.heapCompleteMB.toFixed(1)} MB); ${(lens.bytesPosted / 1024).toFixed(0)} KB posted in all`,
    );
    console.log(
      `baseline (every history read first): first paint ${f(base.firstPaintMs)} ms, heap +${base.heapCompleteMB.toFixed(1)} MB`,
    );
    console.log(
      `first paint ${(base.firstPaintMs / lens.firstPaintMs).toFixed(1)}x sooner; heap at first paint ${(base.heapAtFirstPaintMB / lens.heapAtFirstPaintMB).toFixed(1)}x smaller, with whole histories ${(base.heapCompleteMB / lens.heapCompleteMB).toFixed(1)}x smaller`,
    );
    if (!process.argv.includes('--no-webview')) {
      const drawn = await webviewPaintMs(firstPaintFile);
      console.log(
        `webview (Chromium): first paint of ${runs} runs drawn ${f(drawn)} ms after the message; host + webview ${f(lens.firstPaintMs + drawn)} ms`,
      );
    }
  } finally {
    if (!given) fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(firstPaintFile, { force: true });
  }
}

if (process.argv[2] === '--child') {
  void measure(process.argv[4], process.argv[3], process.argv[5]).then((m) => console.log(JSON.stringify(m)));
} else if (require.main === module) {
  void main();
}
