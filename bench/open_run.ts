// Opening a large run: the run store (tail reads, no samples read) against a naive
// reader that reads and parses every line of metrics.jsonl and samples.jsonl, each in
// its own process so that peak RSS is its own.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/open_run.js [--steps 100000] [--samples-gb 1] [--repeats 5]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { RunIndexStore } from '../src/runs/store';
import { writeLargeRun } from './runFixture';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Measure {
  ms: number;
  maxRssMB: number;
  step: number;
  reward?: number;
  /** Store only: time to read the sample groups of a middle step, by seeking. */
  seekMs?: number;
  seekGroups?: number;
}

/** The store: discover the run under its root, read its summary and latest metrics. */
async function openWithStore(root: string): Promise<Measure> {
  const started = performance.now();
  const store = new RunIndexStore({ roots: () => [root] });
  await store.start();
  const run = store.runs()[0];
  const ms = performance.now() - started;
  const seekStarted = performance.now();
  const groups = await store.samplesAt(run.id, Math.floor(run.step / 2));
  const seekMs = performance.now() - seekStarted;
  store.dispose();
  const maxRssMB = process.resourceUsage().maxRSS / 1024;
  return { ms, maxRssMB, step: run.step, reward: run.latestReward, seekMs, seekGroups: groups.length };
}

async function parseEveryLine(file: string, onRecord: (r: Record<string, unknown>) => void): Promise<void> {
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    try {
      onRecord(JSON.parse(line) as Record<string, unknown>);
    } catch {
      // a bad line
    }
  }
}

/** The baseline: read and parse everything, keep every metric row and every sample step. */
async function openNaively(dir: string): Promise<Measure> {
  const started = performance.now();
  const rows: Record<string, unknown>[] = [];
  await parseEveryLine(path.join(dir, 'metrics.jsonl'), (r) => rows.push(r));
  const sampleSteps = new Set<number>();
  await parseEveryLine(path.join(dir, 'samples.jsonl'), (r) => sampleSteps.add(r.step as number));
  const latest = rows[rows.length - 1];
  const ms = performance.now() - started;
  return {
    ms,
    maxRssMB: process.resourceUsage().maxRSS / 1024,
    step: latest.step as number,
    reward: latest.reward as number,
  };
}

function inChild(mode: string, dir: string): Measure {
  const out = execFileSync(process.execPath, [__filename, '--child', mode, dir], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

async function child(mode: string, dir: string): Promise<void> {
  const result = mode === 'store' ? await openWithStore(path.dirname(dir)) : await openNaively(dir);
  console.log(JSON.stringify(result));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const steps = arg('steps', 100_000);
  const samplesBytes = arg('samples-gb', 1) * 1024 ** 3;
  const repeats = arg('repeats', 5);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-bench-'));
  const dir = path.join(root, 'bench-run');
  try {
    let t = performance.now();
    writeLargeRun(dir, { steps, groupsPerStep: 2, samplesBytes });
    const mb = (f: string) => (fs.statSync(path.join(dir, f)).size / 1024 ** 2).toFixed(0);
    console.log(
      `fixture: ${steps} steps, metrics ${mb('metrics.jsonl')} MB, samples ${mb('samples.jsonl')} MB (${((performance.now() - t) / 1000).toFixed(1)} s to write)`,
    );
    execFileSync('sync'); // let writeback of the fixture finish before timing anything
    inChild('store', dir); // warm the page cache equally for both
    t = performance.now();
    const store = Array.from({ length: repeats }, () => inChild('store', dir));
    const naive = Array.from({ length: repeats }, () => inChild('naive', dir));
    const s = { ms: median(store.map((m) => m.ms)), rss: median(store.map((m) => m.maxRssMB)) };
    const n = { ms: median(naive.map((m) => m.ms)), rss: median(naive.map((m) => m.maxRssMB)) };
    if (store[0].step !== naive[0].step || store[0].reward !== naive[0].reward) {
      throw new Error(
        `store and baseline disagree: ${JSON.stringify(store[0])} vs ${JSON.stringify(naive[0])}`,
      );
    }
    console.log(
      `run store : ${s.ms.toFixed(1)} ms to summary + latest metrics, peak RSS ${s.rss.toFixed(0)} MB (median of ${repeats})`,
    );
    console.log(`naive read: ${n.ms.toFixed(1)} ms, peak RSS ${n.rss.toFixed(0)} MB (median of ${repeats})`);
    console.log(
      `ratio     : ${(n.ms / s.ms).toFixed(0)}x faster, ${(n.rss / s.rss).toFixed(1)}x less memory`,
    );
    const seek = median(store.map((m) => m.seekMs ?? NaN));
    console.log(
      `samples of step ${steps / 2} by seeking: ${seek.toFixed(1)} ms (${store[0].seekGroups} groups)`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  void child(process.argv[3], process.argv[4]);
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
