// The run doctor over a large run: `grpo-lens doctor` (examineRun: every metric row
// streamed, a bounded set of sample steps read by seeking) against reading and parsing
// every line of metrics.jsonl and samples.jsonl, each in its own process; and the live
// cost of one new step (rows and sample groups fed one step at a time, findings asked
// after each) for a doctor that already holds 100 000 steps.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/doctor.js [--steps 100000] [--samples-gb 1] [--repeats 3] [--live 2000]
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';
import { examineFoundRun } from '../src/cli/doctor';
import { resolveRun } from '../src/cli/findRun';
import { withSession } from '../src/cli/openRun';
import { createRunDoctor } from '../src/doctor/doctor';
import type { MetricRow, SampleGroup } from '../src/runs/model';
import { writeLargeRun } from './runFixture';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

interface Measure {
  ms: number;
  /** CPU time of the process (user + system): what the machine's load does not inflate. */
  cpuMs: number;
  maxRssMB: number;
  findings?: number;
  lines?: number;
}

function measured(started: number, cpu: NodeJS.CpuUsage, more: Partial<Measure> = {}): Measure {
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  return { ms: performance.now() - started, cpuMs, maxRssMB: process.resourceUsage().maxRSS / 1024, ...more };
}

async function doctorRun(dir: string): Promise<Measure> {
  const [started, cpu] = [performance.now(), process.cpuUsage()];
  const findings = await examineFoundRun(await resolveRun(dir));
  return measured(started, cpu, { findings: findings.length });
}

/** The part of the doctor's time that is the run store streaming every metric row. */
async function metricsOnly(dir: string): Promise<Measure> {
  const [started, cpu] = [performance.now(), process.cpuUsage()];
  let lines = 0;
  await withSession(await resolveRun(dir), (session) => session.readAllMetrics(() => lines++));
  return measured(started, cpu, { lines });
}

async function parseEveryLine(file: string): Promise<number> {
  let n = 0;
  const lines = readline.createInterface({ input: fs.createReadStream(file), crlfDelay: Infinity });
  for await (const line of lines) {
    try {
      JSON.parse(line);
      n++;
    } catch {
      // a bad line
    }
  }
  return n;
}

/** The baseline: read and parse every line of both files (streamed). */
async function readEveryLine(dir: string): Promise<Measure> {
  const [started, cpu] = [performance.now(), process.cpuUsage()];
  const lines =
    (await parseEveryLine(path.join(dir, 'metrics.jsonl'))) +
    (await parseEveryLine(path.join(dir, 'samples.jsonl')));
  return measured(started, cpu, { lines });
}

function inChild(mode: string, dir: string): Measure {
  const out = execFileSync(process.execPath, [__filename, '--child', mode, dir], {
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as Measure;
}

/** A metric row like the fixture's, with noise, for the live part. */
function liveRow(step: number): MetricRow {
  const r = (k: number) => (Math.sin(step * 0.001 * k) + 1) / 2;
  return {
    step,
    time: 1_790_000_000 + step,
    reward: r(1),
    reward_std: r(2),
    frac_reward_zero_std: 0.3,
    'rewards/accuracy/mean': r(3),
    'rewards/format/mean': r(4),
    kl: r(5) / 10,
    loss: r(6),
    entropy: 1 + r(7),
    'clip_ratio/region_mean': 0.01,
    'completions/mean_length': 42,
    'completions/clipped_ratio': 0.01,
    grad_norm: r(8),
    lr: 1e-5,
  };
}

/** Live checks: a doctor holding `held` steps gets `live` more, one step (row + 2 groups) at a time. */
function liveCost(
  held: number,
  live: number,
  groups: SampleGroup[],
): { p50: number; p95: number; max: number } {
  const doctor = createRunDoctor();
  for (let s = 1; s <= held; s += 1000)
    doctor.addMetrics(Array.from({ length: Math.min(1000, held - s + 1) }, (_, i) => liveRow(s + i)));
  const times: number[] = [];
  for (let s = held + 1; s <= held + live; s++) {
    const started = performance.now();
    doctor.addMetrics([liveRow(s)]);
    doctor.addSamples(groups.map((g) => ({ ...g, step: s })));
    doctor.findings();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(live / 2)], p95: times[Math.floor(live * 0.95)], max: times[live - 1] };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function firstGroups(dir: string): SampleGroup[] {
  const fd = fs.openSync(path.join(dir, 'samples.jsonl'), 'r');
  const buf = Buffer.alloc(4 << 20);
  const n = fs.readSync(fd, buf, 0, buf.length, 0);
  fs.closeSync(fd);
  return buf
    .toString('utf8', 0, n)
    .split('\n')
    .slice(0, 2)
    .map((l) => JSON.parse(l) as SampleGroup);
}

async function main(): Promise<void> {
  const steps = arg('steps', 100_000);
  const samplesBytes = arg('samples-gb', 1) * 1024 ** 3;
  const repeats = arg('repeats', 3);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-bench-'));
  const dir = path.join(root, 'bench-run');
  try {
    const t = performance.now();
    writeLargeRun(dir, { steps, groupsPerStep: 2, samplesBytes });
    const mb = (f: string) => (fs.statSync(path.join(dir, f)).size / 1024 ** 2).toFixed(0);
    console.log(
      `fixture: ${steps} steps, metrics ${mb('metrics.jsonl')} MB, samples ${mb('samples.jsonl')} MB (${((performance.now() - t) / 1000).toFixed(1)} s to write)`,
    );
    execFileSync('sync');
    inChild('doctor', dir); // warm the page cache equally for both
    const doctor = Array.from({ length: repeats }, () => inChild('doctor', dir));
    const naive = Array.from({ length: repeats }, () => inChild('naive', dir));
    const metrics = Array.from({ length: repeats }, () => inChild('metrics', dir));
    const say = (label: string, runs: Measure[], what: string) =>
      console.log(
        `${label}: ${median(runs.map((m) => m.ms)).toFixed(0)} ms wall, ${median(runs.map((m) => m.cpuMs)).toFixed(0)} ms CPU, peak RSS ${median(runs.map((m) => m.maxRssMB)).toFixed(0)} MB, ${what} (median of ${repeats})`,
      );
    say('grpo-lens doctor      ', doctor, `${doctor[0].findings} findings`);
    say('read every line       ', naive, `${naive[0].lines} lines`);
    say('of which readAllMetrics', metrics, `${metrics[0].lines} rows`);
    const ratio = (key: 'ms' | 'cpuMs') =>
      median(naive.map((m) => m[key])) / median(doctor.map((m) => m[key]));
    console.log(
      `ratio                 : ${ratio('ms').toFixed(1)}x faster (wall), ${ratio('cpuMs').toFixed(1)}x (CPU)`,
    );
    const live = liveCost(steps, arg('live', 2000), firstGroups(dir));
    console.log(
      `live, one step into a doctor holding ${steps} steps: p50 ${live.p50.toFixed(3)} ms, p95 ${live.p95.toFixed(3)} ms, max ${live.max.toFixed(2)} ms`,
    );
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[2] === '--child') {
  const modes: Record<string, (dir: string) => Promise<Measure>> = {
    doctor: doctorRun,
    naive: readEveryLine,
    metrics: metricsOnly,
  };
  const run = modes[process.argv[3]];
  void run(process.argv[4]).then((m) => console.log(JSON.stringify(m)));
} else {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
