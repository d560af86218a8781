// Opening a large TRL run: a ~200 MB TensorBoard event file (over 1M scalars) and 500
// completions Parquet files in one output_dir, written as TRL + transformers write them.
// Each side runs in its own process, in the same run of this script:
//   GRPO Lens: the run store finds the run and reads its summary (a tail of the event
//   file), a panel's session draws the dashboard's first paint from its recent window,
//   and the samples panel lists steps and reads the latest step's file;
//   baseline: read every file in full (every event record decoded, every Parquet file
//   read) and build the same three answers from that.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/trl_open.js [--steps 100000] [--files 500] [--repeats 3]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parquetReadObjects } from 'hyparquet';
import { seriesFromRows, SeriesWindowBuilder, readSeriesWindow } from '../src/panels/seriesWindow';
import type { MetricRow } from '../src/runs/model';
import { RunIndexStore } from '../src/runs/store';
import { eventsMetricFeed } from '../src/runs/sources/tensorboard/feed';
import { TRL_NAMES, TRL_PREFIXES } from '../src/runs/sources/trl';
import { EventFileWriter, scalarEvent, textEvent } from '../test/fixtures/writers/tfevents';
import { writePandasParquet } from '../test/fixtures/writers/parquet';

const TAGS = [
  'loss',
  'grad_norm',
  'learning_rate',
  'num_tokens',
  'completions/mean_length',
  'completions/min_length',
  'completions/max_length',
  'completions/clipped_ratio',
  'completions/mean_terminated_length',
  'completions/min_terminated_length',
  'completions/max_terminated_length',
  'rewards/accuracy_reward/mean',
  'rewards/accuracy_reward/std',
  'rewards/format_reward/mean',
  'rewards/format_reward/std',
  'reward',
  'reward_std',
  'frac_reward_zero_std',
  'kl',
  'entropy',
  'clip_ratio/low_mean',
  'clip_ratio/low_min',
  'clip_ratio/high_mean',
  'clip_ratio/high_max',
  'clip_ratio/region_mean',
  'step_time',
  'epoch',
].map((t) => `train/${t}`);

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function writeEvents(dir: string, steps: number): string {
  const writer = new EventFileWriter(path.join(dir, 'runs', 'Nov30_22-00-00_gpu1'));
  writer.addText('args', JSON.stringify({ output_dir: dir, max_steps: steps, num_generations: 8 }), 0);
  let clock = 1_767_268_800;
  for (let first = 1; first <= steps; first += 1000) {
    const events: Uint8Array[] = [];
    for (let step = first; step < Math.min(first + 1000, steps + 1); step++) {
      clock += 1.5;
      TAGS.forEach((tag, k) => events.push(scalarEvent(tag, Math.sin(step / 500 + k), step, clock)));
    }
    writer.addEvents(events);
  }
  // One text event far from the end, as an eval sample would be: the tail read must skip it cheaply.
  writer.addEvent(textEvent('eval/note', 'x'.repeat(64), steps, clock));
  return writer.path;
}

function writeCompletions(dir: string, steps: number, files: number): void {
  fs.mkdirSync(path.join(dir, 'completions'), { recursive: true });
  for (let i = 1; i <= files; i++) {
    const step = Math.round((i * steps) / files);
    const rows = 16;
    const prompt = (r: number) => `Question ${step}.${Math.floor(r / 8)}: what is ${r} + ${step}?`;
    writePandasParquet(
      path.join(dir, 'completions', `completions_${String(step).padStart(5, '0')}.parquet`),
      [
        { name: 'step', type: 'int64', values: Array.from({ length: rows }, () => step) },
        { name: 'prompt', type: 'string', values: Array.from({ length: rows }, (_, r) => prompt(r)) },
        {
          name: 'completion',
          type: 'string',
          values: Array.from({ length: rows }, (_, r) => `<think>${'a'.repeat(600)}</think> ${r + step}`),
        },
        { name: 'accuracy_reward', type: 'float64', values: Array.from({ length: rows }, (_, r) => r % 2) },
        { name: 'format_reward', type: 'float64', values: Array.from({ length: rows }, () => 1) },
        { name: 'advantage', type: 'float64', values: Array.from({ length: rows }, (_, r) => (r % 2) - 0.5) },
      ],
    );
  }
}

interface Measure {
  summaryMs: number;
  dashboardMs: number;
  samplesMs: number;
  fullHistoryMs?: number;
  step: number;
  reward?: number;
  groups: number;
  maxRssMB: number;
}

async function withLens(root: string): Promise<Measure> {
  const started = performance.now();
  const store = new RunIndexStore({ roots: () => [{ path: root, depth: 3 }] });
  await store.start();
  const run = store.runs()[0];
  const summaryMs = performance.now() - started;
  const lease = store.hold(run.id);
  await lease.ready;
  const first = seriesFromRows(run.id, store.recentMetrics(run.id), 800);
  const dashboardMs = performance.now() - started;
  if (first.rowCount === 0) throw new Error('no first paint');
  const steps = await store.sampleSteps(run.id);
  const groups = await store.samplesAt(run.id, steps[steps.length - 1]);
  const samplesMs = performance.now() - started;
  const fullStarted = performance.now();
  await readSeriesWindow(store, run.id, 800);
  const fullHistoryMs = performance.now() - fullStarted;
  lease.dispose();
  store.dispose();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  return {
    summaryMs,
    dashboardMs,
    samplesMs,
    fullHistoryMs,
    step: run.step,
    reward: run.latestReward,
    groups: groups.length,
    maxRssMB,
  };
}

/** The baseline: every event decoded, every Parquet file read, then the same answers. */
async function readingEverything(root: string): Promise<Measure> {
  const dir = path.join(root, 'outputs', 'qwen-grpo');
  const started = performance.now();
  const rows: MetricRow[] = [];
  await eventsMetricFeed([path.join(dir, 'runs')], TRL_NAMES, TRL_PREFIXES).readAll((r) => rows.push(r));
  const byStep = new Map<number, MetricRow>();
  for (const row of rows) byStep.set(row.step, { ...byStep.get(row.step), ...row });
  const last = [...byStep.values()].sort((a, b) => a.step - b.step).at(-1)!;
  const files = fs.readdirSync(path.join(dir, 'completions')).sort();
  const tables: Record<string, unknown>[][] = [];
  for (const file of files) {
    const buffer = fs.readFileSync(path.join(dir, 'completions', file));
    const arrayBuffer = buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.byteLength);
    tables.push(await parquetReadObjects({ file: arrayBuffer }));
  }
  const summaryMs = performance.now() - started;
  const builder = new SeriesWindowBuilder('r', 0, last.step, 800);
  for (const row of [...byStep.values()].sort((a, b) => a.step - b.step)) builder.add(row);
  builder.result();
  const dashboardMs = performance.now() - started;
  const latest = tables[tables.length - 1];
  const groups = new Set(latest.map((r) => r.prompt)).size;
  const samplesMs = performance.now() - started;
  return {
    summaryMs,
    dashboardMs,
    samplesMs,
    step: last.step,
    reward: last.reward,
    groups,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
  };
}

function inChild(mode: string, root: string): Measure {
  const out = execFileSync(
    process.execPath,
    ['--max-old-space-size=4096', __filename, '--child', mode, root],
    {
      encoding: 'utf8',
    },
  );
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const steps = arg('steps', 40_000);
  const files = arg('files', 500);
  const repeats = arg('repeats', 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-trl-bench-'));
  const dir = path.join(root, 'outputs', 'qwen-grpo');
  try {
    const t = performance.now();
    const events = writeEvents(dir, steps);
    writeCompletions(dir, steps, files);
    const mb = fs.statSync(events).size / 1024 ** 2;
    console.log(
      `fixture: ${steps} steps, ${((steps * TAGS.length) / 1e6).toFixed(2)}M scalars in a ${mb.toFixed(0)} MB event file, ${files} Parquet files (${((performance.now() - t) / 1000).toFixed(0)} s to write)`,
    );
    execFileSync('sync');
    inChild('lens', root); // warm the page cache equally for both
    const lens = Array.from({ length: repeats }, () => inChild('lens', root));
    const naive = Array.from({ length: repeats }, () => inChild('naive', root));
    if (lens[0].step !== naive[0].step || lens[0].reward !== naive[0].reward)
      throw new Error(
        `GRPO Lens and baseline disagree: ${JSON.stringify(lens[0])} vs ${JSON.stringify(naive[0])}`,
      );
    for (const key of ['summaryMs', 'dashboardMs', 'samplesMs'] as const) {
      const l = median(lens.map((m) => m[key]));
      const n = median(naive.map((m) => m[key]));
      console.log(
        `${key.padEnd(12)} GRPO Lens ${l.toFixed(0)} ms · reading everything ${n.toFixed(0)} ms · ${(n / l).toFixed(0)}x faster`,
      );
    }
    const full = median(lens.map((m) => m.fullHistoryMs ?? NaN));
    console.log(
      `whole history for the dashboard, streamed after the first paint: ${full.toFixed(0)} ms (${(mb / (full / 1000)).toFixed(0)} MB/s of events)`,
    );
    console.log(
      `peak RSS: GRPO Lens ${median(lens.map((m) => m.maxRssMB)).toFixed(0)} MB · reading everything ${median(naive.map((m) => m.maxRssMB)).toFixed(0)} MB (median of ${repeats})`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const run = process.argv[3] === 'lens' ? withLens : readingEverything;
  void run(process.argv[4]).then((m) => console.log(JSON.stringify(m)));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
