// A workspace of many long runs of mixed sources: extension-host heap with none open
// (the index holds only summaries) and the time to open one run's dashboard, against
// the store as it was before the index/session split (every run holding a window of
// 5 000 recent rows and its followers), measured in the same run.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/index_memory.js [--runs 100] [--steps 100000]
//
// Runs are split evenly between our run directory, verl's file logger, TRL output_dirs
// with TensorBoard events, and Trackio project databases.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readSeriesWindow, seriesFromRows } from '../src/panels/seriesWindow';
import { RunIndexStore } from '../src/runs/store';
import { EventFileWriter, scalarEvent } from '../test/fixtures/writers/tfevents';
import { writeLargeRun } from './runFixture';

const REPO = path.resolve(__dirname, '..', '..');

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const TRL_TAGS = ['loss', 'reward', 'reward_std', 'kl', 'entropy', 'grad_norm', 'learning_rate'].map(
  (t) => `train/${t}`,
);

function writeTrl(dir: string, steps: number): void {
  fs.mkdirSync(path.join(dir, 'completions'), { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'trainer_state.json'),
    JSON.stringify({ global_step: 0, max_steps: steps * 2, log_history: [] }),
  );
  const writer = new EventFileWriter(path.join(dir, 'runs', 'Nov30_22-00-00_gpu1'));
  let clock = 1_767_268_800;
  for (let first = 1; first <= steps; first += 5000) {
    const events: Uint8Array[] = [];
    for (let step = first; step < Math.min(first + 5000, steps + 1); step++) {
      clock += 1;
      TRL_TAGS.forEach((tag, k) => events.push(scalarEvent(tag, Math.sin(step / 300 + k), step, clock)));
    }
    writer.addEvents(events);
  }
}

function writeVerl(file: string, steps: number): void {
  const script = [
    'import json, sys, math',
    'path, steps = sys.argv[1], int(sys.argv[2])',
    "with open(path, 'w') as f:",
    '    for s in range(1, steps + 1):',
    "        data = {'critic/score/mean': math.sin(s / 300), 'actor/kl_loss': s * 1e-6, 'actor/entropy': 1.0,",
    "                'actor/pg_loss': -0.01, 'response_length/mean': 200.0, 'timing_s/gen': 1.5}",
    "        f.write(json.dumps({'step': s, 'data': data}) + '\\n')",
  ].join('\n');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  execFileSync('/usr/bin/python3', ['-c', script, file, String(steps)]);
}

function writeTrackio(dir: string, steps: number): void {
  // Trackio's schema and log path (test/fixtures/writers/trackio.py), many steps in one batch.
  fs.mkdirSync(dir, { recursive: true });
  const writer = path.join(REPO, 'test', 'fixtures', 'writers', 'trackio.py');
  const commands = [
    JSON.stringify({
      op: 'log',
      run: 'grpo',
      steps: Array.from({ length: steps }, (_, i) => i + 1),
      batch: true,
    }),
    JSON.stringify({ op: 'close' }),
  ].join('\n');
  execFileSync('/usr/bin/python3', [writer, dir, 'proj', 'current'], { input: commands + '\n' });
}

function writeWorkspace(root: string, runs: number, steps: number): void {
  for (let i = 0; i < runs; i++) {
    const kind = i % 4;
    const dir = path.join(root, `r${String(i).padStart(3, '0')}`);
    if (kind === 0) writeLargeRun(dir, { steps, groupsPerStep: 1, samplesBytes: steps * 200 });
    else if (kind === 1) writeVerl(path.join(dir, 'exp.jsonl'), steps);
    else if (kind === 2) writeTrl(dir, steps);
    else writeTrackio(dir, steps);
  }
}

interface Measure {
  runs: number;
  sources: Record<string, number>;
  heapMB: number;
  openMs: number;
  fullMs: number;
  listMs: number;
}

function heapMB(): number {
  (global as unknown as { gc: () => void }).gc();
  return process.memoryUsage().heapUsed / 1024 ** 2;
}

async function measure(root: string, holdAll: boolean): Promise<Measure> {
  const before = heapMB();
  const started = performance.now();
  const store = new RunIndexStore({ roots: () => [{ path: root, depth: 2 }] });
  await store.start();
  const listMs = performance.now() - started;
  const runs = store.runs();
  if (holdAll) for (const run of runs) await store.hold(run.id).ready;
  const heap = heapMB() - before;
  const target = runs.find((r) => r.source === 'trl') ?? runs[0];
  const openStarted = performance.now();
  const lease = store.hold(target.id);
  await lease.ready;
  seriesFromRows(target.id, store.recentMetrics(target.id), 800);
  const openMs = performance.now() - openStarted;
  const fullStarted = performance.now();
  await readSeriesWindow(store, target.id, 800);
  const fullMs = performance.now() - fullStarted;
  store.dispose();
  const sources: Record<string, number> = {};
  for (const r of runs) sources[r.source] = (sources[r.source] ?? 0) + 1;
  return { runs: runs.length, sources, heapMB: heap, openMs, fullMs, listMs };
}

function inChild(mode: string, root: string): Measure {
  const out = execFileSync(process.execPath, ['--expose-gc', __filename, '--child', mode, root], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

async function main(): Promise<void> {
  const runs = arg('runs', 100);
  const steps = arg('steps', 100_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-index-bench-'));
  try {
    const t = performance.now();
    writeWorkspace(root, runs, steps);
    const bytes = Number(execFileSync('du', ['-sb', root], { encoding: 'utf8' }).split('\t')[0]);
    console.log(
      `fixture: ${runs} runs of ${steps} steps, ${(bytes / 1024 ** 3).toFixed(1)} GB (${((performance.now() - t) / 1000).toFixed(0)} s to write)`,
    );
    execFileSync('sync');
    const index = inChild('index', root);
    const windows = inChild('windows', root);
    console.log(
      `runs found: ${index.runs} ${JSON.stringify(index.sources)} in ${index.listMs.toFixed(0)} ms`,
    );
    console.log(`heap with no run open: ${index.heapMB.toFixed(1)} MB (index of summaries)`);
    console.log(
      `heap with every run holding a window (the store before the split): ${windows.heapMB.toFixed(1)} MB · ${(windows.heapMB / index.heapMB).toFixed(1)}x more`,
    );
    console.log(
      `open one TRL run's dashboard (session + first paint): ${index.openMs.toFixed(0)} ms; whole history streamed after: ${index.fullMs.toFixed(0)} ms`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void measure(process.argv[4], process.argv[3] === 'windows').then((m) => console.log(JSON.stringify(m)));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
