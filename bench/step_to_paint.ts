// Time from a new step on disk to the chart repainting: a line appended to metrics.jsonl,
// seen by the real run store (chokidar + its debounced refresh queue), turned into an
// `append` notification, posted into the bundled dashboard in headless Chromium, drawn.
// (VS Code's own postMessage hop is not in this path; it adds about a millisecond.)
//
//   node esbuild.js && npx tsc -p tsconfig.test.json && node out/bench/step_to_paint.js [--steps 20]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { toLivePoint } from '../src/panels/liveRows';
import { RunIndexStore } from '../src/runs/store';
import { launchChromium } from '../test/harness/browser';
import { repoRoot } from '../test/harness/paths';
import { FixtureRun } from '../test/browser/fixtureHost';
import { openWebview } from '../test/browser/webviewPage';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

async function main(): Promise<void> {
  const count = arg('steps', 20);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-paint-'));
  const dir = path.join(root, 'live');
  fs.cpSync(path.join(repoRoot, 'test/fixtures/samples/run'), dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'status.json'),
    JSON.stringify({ state: 'running', step: 200, total_steps: 100000 }),
  );
  const store = new RunIndexStore({ roots: () => [root] });
  await store.start();
  const runId = store.runs()[0].id;

  const browser = await launchChromium();
  const fixture = new FixtureRun(dir);
  const wp = await openWebview(browser, 'dashboard', fixture.host);
  await wp.page.waitForSelector('.chart canvas');
  store.onDidChange((changes) => {
    for (const c of changes) {
      if (c.runId !== runId || !c.newMetrics?.length) continue;
      void wp.send({ kind: 'notification', type: 'append', runId, points: c.newMetrics.map(toLivePoint) });
    }
  });

  const times: number[] = [];
  const last = JSON.parse(
    fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').pop() as string,
  );
  for (let i = 1; i <= count; i++) {
    const step = 200 + i;
    const t0 = performance.now();
    fs.appendFileSync(
      path.join(dir, 'metrics.jsonl'),
      JSON.stringify({ ...last, step, time: last.time + i * 2 }) + '\n',
    );
    await wp.page.waitForFunction(
      (step) => {
        const w = window as unknown as {
          __dashboard: { series: { lastStep: number } };
          __lastPaint?: number;
        };
        return w.__dashboard.series.lastStep === step && (w.__lastPaint ?? 0) > 0;
      },
      step,
      { polling: 'raf' },
    );
    times.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 200));
  }
  await browser.close();
  store.dispose();
  fs.rmSync(root, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  console.log(
    JSON.stringify(
      {
        steps: count,
        medianMs: Math.round(times[Math.floor(times.length / 2)]),
        p90Ms: Math.round(times[Math.floor(times.length * 0.9)]),
        maxMs: Math.round(times[times.length - 1]),
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
