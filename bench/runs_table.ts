// The runs table with 500 runs in headless Chromium: open (navigation → rows drawn, the rows
// delivered as VS Code delivers them, against the empty shell; and rows arriving → drawn) and re-sort (a header click → the next frame), virtualised rows against
// the baseline of rendering every row, in the same run. On the host: the one-time stats pass
// (RunStatsCache over a real run store of 500 run directories of ours) streaming without
// sessions against the baseline of readAllMetrics (a session per run, lingering), and building
// the 500 rows.
//
//   npx tsc -p tsconfig.test.json && node esbuild.js && node out/bench/runs_table.js [--runs 500] [--steps 200]
//     [--before <another build's dist/>]   (its runsTable bundle opened the same way, in the same run)
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import type { RunsTableRow } from '../src/contract/messages';
import { RunIndexStore } from '../src/runs/store';
import { availableColumns } from '../src/runsTable/columns';
import { tableRow, trackedMetric } from '../src/runsTable/rows';
import { RunStatsCache } from '../src/runsTable/statsCache';
import { fakeRun, rowsOf, RunsTableHost } from '../test/browser/runsTableHost';
import { openWebview } from '../test/browser/webviewPage';
import { launchChromium } from '../test/harness/browser';
import { repoRoot } from '../test/harness/paths';
import { writeRuns } from './runsTableFixture';
import { openAsVsCode, type OpenTimes } from './runsTableOpen';

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

/** Medians of the open, as VS Code delivers it (runsTableOpen.ts), against the empty shell. */
async function openFigures(browser: Browser, rows: RunsTableRow[], before?: string) {
  const message = {
    kind: 'notification',
    type: 'tableInit',
    rows,
    columns: availableColumns(rows),
    view: {},
  };
  const dists: [string, string][] = [['', path.join(repoRoot, 'dist')]];
  if (before) dists.push(['Before', before]);
  // A first page of each warms the browser process, so that neither side pays for that alone.
  await openAsVsCode(browser, undefined, dists[0][1]);
  for (const [, dist] of dists) await openAsVsCode(browser, message, dist);
  const times: Record<string, OpenTimes[]> = { shell: [] };
  for (let i = 0; i < 9; i++) {
    times.shell.push(await openAsVsCode(browser, undefined, dists[0][1]));
    for (const [name, dist] of dists) (times[name] ??= []).push(await openAsVsCode(browser, message, dist));
  }
  const med = (list: OpenTimes[], key: keyof OpenTimes) => Math.round(median(list.map((t) => t[key]!)));
  const out: Record<string, number> = {
    emptyShellPaintedMs: med(times.shell, 'paintedMs'),
    emptyShellWallMs: med(times.shell, 'wallMs'),
  };
  for (const [name] of dists) {
    for (const key of ['readyMs', 'postedMs', 'arrivedMs', 'drawnMs'] as const)
      out[`open${key[0].toUpperCase()}${key.slice(1)}${name}`] = med(times[name], key);
    out[`openRowsPaintedMs${name}`] = med(times[name], 'paintedMs');
    out[`openWallMs${name}`] = med(times[name], 'wallMs');
    out[`openVsShell${name}`] = Number(
      (out[`openRowsPaintedMs${name}`] / out.emptyShellPaintedMs).toFixed(1),
    );
    out[`bundleKB${name}`] = Math.round(
      fs.statSync(path.join(dists.find((d) => d[0] === name)![1], 'webview', 'runsTable.js')).size / 1024,
    );
  }
  return out;
}

async function browserFigures(runs: number, before?: string) {
  const browser = await launchChromium();
  const rows = rowsOf(
    Array.from({ length: runs }, (_, i) => fakeRun(i)),
    (i) => (i % 4 ? [] : ['sweep:beta']),
  );
  const out: Record<string, number> = await openFigures(browser, rows, before);
  for (const virtualized of [true, false]) {
    const name = (k: string) => (virtualized ? k : `${k}Baseline`);
    const fake = new RunsTableHost(rows);
    // The table open through the test host; what is timed below is timed in the page.
    const wp = await openWebview(browser, 'runsTable', fake.host, { height: 900 });
    await wp.page.waitForSelector('.row.run');
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
  const at = process.argv.indexOf('--before');
  const browser = await browserFigures(runs, at >= 0 ? process.argv[at + 1] : undefined);
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
