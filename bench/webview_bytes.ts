// Bytes sent to the webviews when a ~1 GB run opens: the dashboard (init + downsampled
// series) and the samples panel (init + steps + the latest step's groups), built by the
// same code the panels use, from the real run store. Baseline: the run's files, which a
// panel that sent "the whole run" would send.
//
//   npx tsc -p tsconfig.test.json && node out/bench/webview_bytes.js [--steps 100000] [--samples-gb 1]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { HostToWebview } from '../src/contract/messages';
import { toRunHeader } from '../src/panels/runHeader';
import { toGroupView } from '../src/panels/samplesView';
import { readSeriesWindow } from '../src/panels/seriesWindow';
import { RunIndexStore } from '../src/runs/store';
import { writeLargeRun } from './runFixture';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const bytes = (m: HostToWebview) => Buffer.byteLength(JSON.stringify(m));

async function main(): Promise<void> {
  const steps = arg('steps', 100_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-bytes-'));
  const dir = path.join(root, 'big');
  writeLargeRun(dir, { steps, groupsPerStep: 8, samplesBytes: arg('samples-gb', 1) * 1e9 });
  const runBytes = fs
    .readdirSync(dir)
    .reduce(
      (a, f) => a + (fs.statSync(path.join(dir, f)).isFile() ? fs.statSync(path.join(dir, f)).size : 0),
      0,
    );
  const store = new RunIndexStore({ roots: () => [root] });
  await store.start();
  const run = store.runs()[0];
  const header = toRunHeader(run, store.recentMetrics(run.id));

  const t0 = performance.now();
  const window = await readSeriesWindow(store, run.id, 800);
  const seriesMs = performance.now() - t0;
  const dashboard =
    bytes({ kind: 'notification', type: 'init', app: 'dashboard', runId: run.id, header }) +
    bytes({ kind: 'notification', type: 'series', window });

  const sampleSteps = await store.sampleSteps(run.id);
  const latest = sampleSteps[sampleSteps.length - 1];
  const groups = (await store.samplesAt(run.id, latest)).map(toGroupView);
  const samples =
    bytes({ kind: 'notification', type: 'init', app: 'samples', runId: run.id, header }) +
    bytes({ kind: 'notification', type: 'sampleSteps', runId: run.id, steps: sampleSteps }) +
    bytes({ kind: 'reply', seq: 1, ok: true, result: { runId: run.id, step: latest, groups } });
  store.dispose();
  fs.rmSync(root, { recursive: true, force: true });
  console.log(
    JSON.stringify(
      {
        runMB: Number((runBytes / 1e6).toFixed(1)),
        metricRows: window.rowCount,
        dashboardKB: Number((dashboard / 1e3).toFixed(1)),
        samplesKB: Number((samples / 1e3).toFixed(1)),
        totalKB: Number(((dashboard + samples) / 1e3).toFixed(1)),
        fractionOfRun: Number(((dashboard + samples) / runBytes).toExponential(2)),
        seriesBuildMs: Math.round(seriesMs),
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
