// Latency from a line appended to metrics.jsonl to the run store's change event that
// carries it: chokidar, the debounced refresh queue, the follower and the window,
// with the store's default settings. Lines are appended at a trainer-like pace.
//
//   npx tsc -p tsconfig.test.json
//   node out/bench/append_latency.js [--lines 300] [--interval-ms 50]
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { RunIndexStore } from '../src/runs/store';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function main(): Promise<void> {
  const lines = arg('lines', 300);
  const intervalMs = arg('interval-ms', 50);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-latency-'));
  const dir = path.join(root, 'run');
  fs.mkdirSync(dir);
  const metrics = path.join(dir, 'metrics.jsonl');
  fs.writeFileSync(
    path.join(dir, 'status.json'),
    JSON.stringify({ state: 'running', pid: process.pid, step: 0 }),
  );
  fs.writeFileSync(metrics, '');
  const store = new RunIndexStore({ roots: () => [root] });
  await store.start();
  const appendedAt = new Map<number, number>();
  const latencies: number[] = [];
  store.onDidChange((changes) => {
    const now = performance.now();
    for (const row of changes.flatMap((c) => c.newMetrics ?? [])) {
      const at = appendedAt.get(row.step);
      if (at !== undefined) latencies.push(now - at);
      appendedAt.delete(row.step);
    }
  });
  for (let step = 1; step <= lines; step++) {
    const line = JSON.stringify({ step, reward: Math.random(), kl: 0.01, time: Date.now() / 1000 }) + '\n';
    appendedAt.set(step, performance.now());
    fs.appendFileSync(metrics, line);
    await new Promise((r) => setTimeout(r, intervalMs * (0.5 + Math.random())));
  }
  await new Promise((r) => setTimeout(r, 1000));
  store.dispose();
  fs.rmSync(root, { recursive: true, force: true });
  const missed = appendedAt.size;
  console.log(
    `append -> change event over ${latencies.length} lines (every ~${intervalMs} ms): ` +
      `p50 ${percentile(latencies, 50).toFixed(1)} ms, p95 ${percentile(latencies, 95).toFixed(1)} ms, ` +
      `max ${Math.max(...latencies).toFixed(1)} ms; ${missed} never reported`,
  );
  if (missed > 0) process.exitCode = 1;
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
