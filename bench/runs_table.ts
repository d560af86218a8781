// The runs table with 500 runs in headless Chromium: open (the page from nothing; and rows
// arriving → drawn) and re-sort (a header click → the next frame), virtualised rows against
// the baseline of rendering every row, in the same run. On the host: the one-time stats pass
// (RunStatsCache over a real run store of 500 run directories of ours) streaming without
// sessions against the baseline of readAllMetrics (a session per run, lingering), and building
// the 500 rows.
//
//   npx tsc -p tsconfig.test.json && node esbuild.js && node out/bench/runs_table.js [--runs 500] [--steps 200]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Page } from 'playwright-core';
import type { AppName } from '../src/contract/messages';
import { RunIndexStore } from '../src/runs/store';
import { availableColumns } from '../src/runsTable/columns';
import { tableRow, trackedMetric } from '../src/runsTable/rows';
import { RunStatsCache } from '../src/runsTable/statsCache';
import { fakeRun, rowsOf, RunsTableHost } from '../test/browser/runsTableHost';
import { openWebview } from '../test/browser/webviewPage';
import { launchChromium } from '../test/harness/browser';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Clicks a header: [the work (sort, arrange, render, style and layout, forced), the same
 * until the next frame has been drawn (which also waits for the compositor's schedule)].
 */
async function timeSorts(page: Page, repeats: number): Promise<[number, number][]> {
  return page.evaluate(async (repeats) => {
    const times: [number, number][] = [];
    for (let i = 0; i < repeats; i++) {
      const head = [...document.querySelectorAll<HTMLElement>('.cell.head')].find(
        (h) => h.dataset.column === (i % 2 ? 'metric:reward:last' : 'config:beta'),
      )!;
      const t0 = performance.now();
      head.click();
      document.body.getBoundingClientRect();
      const work = performance.now() - t0;
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      times.push([work, performance.now() - t0]);
    }
    return times;
  }, repeats);
}

/** In the page: the rows arrive (the tableInit message) → sorted, rendered, laid out, next frame. */
async function timeInit(page: Page, message: unknown, repeats: number): Promise<[number, number][]> {
  return page.evaluate(
    async ({ message, repeats }) => {
      const times: [number, number][] = [];
      for (let i = 0; i < repeats; i++) {
        // A fresh copy each time, as postMessage delivers: no row is known to the table yet.
        const data = structuredClone(message);
        const t0 = performance.now();
        window.dispatchEvent(new MessageEvent('message', { data }));
        document.body.getBoundingClientRect();
        const work = performance.now() - t0;
        await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
        times.push([work, performance.now() - t0]);
      }
      return times;
    },
    { message, repeats },
  );
}

/**
 * The second baseline: the same webview shell (strict CSP, nonce, codicons, no app script)
 * opened in the same warm browser, to the load event. What no code of the table can change.
 */
async function emptyShellMs(browser: Awaited<ReturnType<typeof launchChromium>>): Promise<number> {
  const t0 = performance.now();
  const wp = await openWebview(browser, 'emptyShell' as AppName, new RunsTableHost([]).host, { height: 900 });
  await wp.page.waitForLoadState('load');
  const ms = performance.now() - t0;
  await wp.close();
  return ms;
}

/** The table page from nothing (warm browser): Chromium page, bundle, ready, rows, drawn. */
async function tablePageMs(browser: Awaited<ReturnType<typeof launchChromium>>, fake: RunsTableHost) {
  const t0 = performance.now();
  const wp = await openWebview(browser, 'runsTable', fake.host, { height: 900 });
  await wp.page.waitForSelector('.row.run');
  const ms = performance.now() - t0;
  // In the page, from its navigation: the script parsed and run, the rows arrived (after the
  // test host's round trip through playwright), the rows drawn.
  const marks = await wp.page.evaluate(() =>
    ['runsTable:ready', 'runsTable:init', 'runsTable:drawn'].map(
      (name) => performance.getEntriesByName(name)[0]?.startTime ?? NaN,
    ),
  );
  return { wp, ms, marks };
}

async function browserFigures(runs: number) {
  const browser = await launchChromium();
  const out: Record<string, number> = {};
  // A first page warms the browser process, so that neither side pays for that alone.
  await emptyShellMs(browser);
  const shells: number[] = [];
  const pages: number[] = [];
  const marks: number[][] = [];
  for (let i = 0; i < 5; i++) {
    shells.push(await emptyShellMs(browser));
    const {
      wp,
      ms,
      marks: m,
    } = await tablePageMs(
      browser,
      new RunsTableHost(
        rowsOf(
          Array.from({ length: runs }, (_, k) => fakeRun(k)),
          (k) => (k % 4 ? [] : ['sweep:beta']),
        ),
      ),
    );
    pages.push(ms);
    marks.push(m);
    await wp.close();
  }
  out.emptyShellMs = Math.round(median(shells));
  out.tablePageWarmMs = Math.round(median(pages));
  out.inPageScriptRanMs = Math.round(median(marks.map((m) => m[0])));
  out.inPageRowsArrivedMs = Math.round(median(marks.map((m) => m[1])));
  out.inPageRowsDrawnMs = Math.round(median(marks.map((m) => m[2])));
  const rows = rowsOf(
    Array.from({ length: runs }, (_, i) => fakeRun(i)),
    (i) => (i % 4 ? [] : ['sweep:beta']),
  );
  for (const virtualized of [true, false]) {
    const name = (k: string) => (virtualized ? k : `${k}Baseline`);
    const fake = new RunsTableHost(rows);
    // From nothing: Chromium page, the bundle (toolkit included), ready, rows, drawn.
    const t0 = performance.now();
    const wp = await openWebview(browser, 'runsTable', fake.host, { height: 900 });
    await wp.page.waitForSelector('.row.run');
    out[name('pageOpenMs')] = Math.round(performance.now() - t0);
    await wp.page.evaluate(
      (on) =>
        (
          window as unknown as { __runsTable: { setVirtualized(on: boolean): void } }
        ).__runsTable.setVirtualized(on),
      virtualized,
    );
    const init = { kind: 'notification', type: 'tableInit', rows, columns: availableColumns(rows), view: {} };
    const inits = await timeInit(wp.page, init, 7);
    out[name('rowsWorkMs')] = Number(median(inits.map((t) => t[0])).toFixed(1));
    out[name('rowsToFrameMs')] = Number(median(inits.map((t) => t[1])).toFixed(1));
    const sorts = await timeSorts(wp.page, 20);
    out[name('resortWorkMs')] = Number(median(sorts.map((t) => t[0])).toFixed(1));
    out[name('resortToFrameMs')] = Number(median(sorts.map((t) => t[1])).toFixed(1));
    out[name('renderedRows')] = await wp.page.locator('.row.run').count();
    await wp.close();
  }
  await browser.close();
  return out;
}

/** 500 run directories of ours, `steps` metric lines each, some resumed. */
function writeRuns(root: string, runs: number, steps: number): void {
  for (let i = 0; i < runs; i++) {
    const dir = path.join(root, 'runs', `run-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'run.json'),
      JSON.stringify({
        format: 'grpo-lens/1',
        name: `run-${i}`,
        config: { beta: (i % 4) / 100, num_generations: 8 },
      }),
    );
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'finished', step: steps }));
    const lines: string[] = [];
    const row = (s: number) =>
      JSON.stringify({
        step: s,
        time: s,
        reward: (s / steps) * ((i % 10) / 10),
        'rewards/accuracy/mean': 0.5,
        kl: 0.01,
        entropy: 1,
        'completions/mean_length': 4,
        loss: 0.1,
        lr: 1e-3,
        'timing/step_s': 0.2,
      });
    for (let s = 1; s <= steps; s++) lines.push(row(s));
    if (i % 10 === 0) for (let s = steps - 20; s <= steps; s++) lines.push(row(s));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  }
}

/** One stats pass over every run, in a fresh store; `viaSessions` is the baseline (readAllMetrics). */
async function statsPass(root: string, viaSessions: boolean) {
  const store = new RunIndexStore({ roots: () => [path.join(root, 'runs')], sessionLingerMs: 30_000 });
  await store.start();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  const source = viaSessions
    ? { get: (id: string) => store.get(id), readAllMetrics: store.readAllMetrics.bind(store) }
    : store;
  const stats = new RunStatsCache(source);
  stats.track('', trackedMetric([]));
  const t0 = performance.now();
  stats.want(store.runs());
  await stats.idle();
  const ms = performance.now() - t0;
  const heapMB = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const sessions = store.openSessions();
  const t1 = performance.now();
  const rows = store.runs().map((r) =>
    tableRow(r, stats.get(r.id), undefined, {
      meanOf: 10,
      extraMetrics: [],
      extraConfig: [],
      now: Date.now(),
    }),
  );
  availableColumns(rows);
  const rowsMs = performance.now() - t1;
  store.dispose();
  global.gc?.();
  return {
    ms: Math.round(ms),
    heapMB: Number(heapMB.toFixed(1)),
    sessions,
    reads: stats.reads,
    rowsMs: Number(rowsMs.toFixed(1)),
  };
}

async function hostFigures(runs: number, steps: number) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-table-'));
  try {
    writeRuns(root, runs, steps);
    const ours = await statsPass(root, false);
    const baseline = await statsPass(root, true);
    return {
      statsPassMs: ours.ms,
      statsPassHeapMB: ours.heapMB,
      sessionsLeftOpen: ours.sessions,
      statsPassMsBaseline: baseline.ms,
      statsPassHeapMBBaseline: baseline.heapMB,
      sessionsLeftOpenBaseline: baseline.sessions,
      buildRowsMs: ours.rowsMs,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const runs = arg('runs', 500);
  const steps = arg('steps', 200);
  const browser = await browserFigures(runs);
  const host = await hostFigures(runs, steps);
  const ratio = (a: number, b: number) => Number((b / a).toFixed(1));
  console.log(
    JSON.stringify(
      {
        runs,
        ...browser,
        rowsSpeedup: ratio(browser.rowsWorkMs, browser.rowsWorkMsBaseline),
        resortSpeedup: ratio(browser.resortWorkMs, browser.resortWorkMsBaseline),
        ...host,
      },
      null,
      1,
    ),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
