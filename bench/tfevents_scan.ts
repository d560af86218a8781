// Reading a large TensorBoard event file: full-scan throughput against the tail read
// that a run's summary needs. Writes an OpenRLHF-shaped file (~200 MB: 1M scalars,
// 25 per step, plus one ~3.5 KB generated sample per step), then in the same run:
// the framing alone (CRC checks), the full metric scan (framing + protobuf decoding +
// rows), and the summary's tail read (last 64 steps), and prints the ratio.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/tfevents_scan.js [--steps 40000] [--sample-bytes 3500]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { OPENRLHF_NAMES, OPENRLHF_PREFIXES } from '../src/runs/sources/openrlhf/names';
import { openRlhfSource } from '../src/runs/sources/openrlhf/source';
import { eventsMetricFeed } from '../src/runs/sources/tensorboard/feed';
import { RecordReader } from '../src/runs/sources/tensorboard/records';
import { EventFileWriter, scalarEvent, textEvent } from '../test/fixtures/writers/tfevents';

const SCALARS = [
  'policy_loss',
  'actor_lr',
  'actor_grad_norm',
  'reward',
  'score',
  'kl',
  'ppo_clip_ratio',
  'ppo_kl',
  'group_reward_std',
  'return',
  'response_length',
  'total_length',
  'truncated',
  'response_clip_ratio',
  'logprobs_diff',
  'timing/make_experience',
  'timing/ppo_train',
  'timing/broadcast',
  'rollout/reward_mean',
  'rollout/reward_std',
  'rollout/response_length_mean',
  'rollout/truncated_rate',
  'rollout/num_samples',
  'timing/generation',
  'timing/step_total',
].map((k) => `train/${k}`);

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

/** Steps written in batches, as log_train would over a long run. */
function writeRun(dir: string, steps: number, sampleBytes: number): string {
  const writer = new EventFileWriter(dir);
  const filler = 'The answer follows from the steps above. '
    .repeat(Math.ceil(sampleBytes / 42))
    .slice(0, sampleBytes);
  let clock = 1767268800;
  for (let first = 1; first <= steps; first += 1000) {
    const events: Uint8Array[] = [];
    for (let step = first; step < Math.min(first + 1000, steps + 1); step++) {
      SCALARS.forEach((tag, k) =>
        events.push(scalarEvent(tag, Math.sin(step / 100 + k), step, (clock += 0.01))),
      );
      events.push(
        textEvent('train/generated_samples', `Sample:\\n${filler}\\n\\nReward: 1.0000`, step, clock),
      );
    }
    writer.addEvents(events);
  }
  return writer.path;
}

/** Bytes this process has read through read(2) so far (Linux), to show how little a tail read reads. */
function bytesReadSoFar(): number {
  try {
    return Number(/^rchar: (\d+)$/m.exec(fs.readFileSync('/proc/self/io', 'utf8'))?.[1] ?? NaN);
  } catch {
    return NaN;
  }
}

interface Timing {
  wallMs: number;
  /** On a shared machine the CPU time is the steadier figure. */
  cpuMs: number;
  mbRead: number;
}

async function timed<T>(what: () => Promise<T>): Promise<[T, Timing]> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  const read = bytesReadSoFar();
  const result = await what();
  const used = process.cpuUsage(cpu);
  const timing = {
    wallMs: performance.now() - start,
    cpuMs: (used.user + used.system) / 1000,
    mbRead: (bytesReadSoFar() - read) / 1e6,
  };
  return [result, timing];
}

function describe(t: Timing, mb?: number): string {
  const rates = mb
    ? `, ${(mb / (t.wallMs / 1000)).toFixed(0)} MB/s wall, ${(mb / (t.cpuMs / 1000)).toFixed(0)} MB/s CPU`
    : '';
  return `${t.wallMs.toFixed(1)} ms wall, ${t.cpuMs.toFixed(1)} ms CPU, ${t.mbRead.toFixed(2)} MB read${rates}`;
}

async function main(): Promise<void> {
  const steps = arg('steps', 40000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-tfevents-'));
  const dir = path.join(root, 'ppo_0101T12:00');
  try {
    const [file, write] = await timed(async () => writeRun(dir, steps, arg('sample-bytes', 3500)));
    const mb = fs.statSync(file).size / 1e6;
    console.log(
      `wrote ${mb.toFixed(1)} MB: ${steps * SCALARS.length} scalars in ${steps} steps (${describe(write)})`,
    );

    const [records, framing] = await timed(async () => {
      let n = 0;
      await new RecordReader(file).read(() => void n++);
      return n;
    });
    console.log(`framing only (CRC-checked records): ${records} records; ${describe(framing, mb)}`);

    const feed = eventsMetricFeed([dir], OPENRLHF_NAMES, OPENRLHF_PREFIXES, { depth: 0 });
    const [rows, full] = await timed(async () => {
      let n = 0;
      await feed.readAll(() => void n++);
      return n;
    });
    console.log(`full scan (decoded into rows): ${rows} rows; ${describe(full, mb)}`);

    const [tail, tailed] = await timed(() =>
      eventsMetricFeed([dir], OPENRLHF_NAMES, OPENRLHF_PREFIXES, { depth: 0 }).tail(64),
    );
    console.log(
      `tail summary (last 64 steps): ${tail.rows.length} rows to step ${tail.rows.at(-1)?.step}; ${describe(tailed)}`,
    );

    const [summary, opened] = await timed(async () => {
      const [run] = await openRlhfSource.find(dir, fs.readdirSync(dir));
      const reader = openRlhfSource.open(run);
      await reader.open();
      return reader.summary;
    });
    console.log(
      `find + open as an OpenRLHF run (detection, tail, file times): step ${summary.step}; ${describe(opened)}`,
    );
    const ratio = (key: 'wallMs' | 'cpuMs') => (full[key] / tailed[key]).toFixed(0);
    console.log(`full scan / tail summary: ${ratio('wallMs')}x wall time, ${ratio('cpuMs')}x CPU time`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

void main();
