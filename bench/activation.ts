// Activation time of GRPO Lens in a real extension host (code-server), on a workspace
// with some runs, against the eager baseline: activation plus listing the runs, which
// is what activation would cost if it loaded runs before returning.
//
//   npx tsc -p tsconfig.test.json && node esbuild.js
//   node out/bench/activation.js [--launches 3] [--runs 20]
import * as fs from 'fs';
import { runHostSuite } from '../test/harness/workbench';
import { makeWorkspace } from '../test/harness/workspace';

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function workspaceWithRuns(count: number): string {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) {
    const run = `runs/run-${i}`;
    files[`${run}/run.json`] = JSON.stringify({ name: `run-${i}`, config: { max_steps: 100 } });
    files[`${run}/status.json`] = JSON.stringify({ state: 'finished', step: 100, total_steps: 100 });
    files[`${run}/metrics.jsonl`] =
      Array.from({ length: 100 }, (_, s) => JSON.stringify({ step: s + 1, reward: s / 100 })).join('\n') +
      '\n';
  }
  return makeWorkspace({ files });
}

async function main(): Promise<void> {
  const launches = arg('launches', 3);
  const workspace = workspaceWithRuns(arg('runs', 20));
  const reports: { activationMs: number; runsListedMs: number; runs: number }[] = [];
  try {
    for (let i = 0; i < launches; i++) {
      const result = await runHostSuite({
        workspace,
        files: ['runsActivation.driven.test.js'],
        label: 'bench-activation',
      });
      const line = result.logs.find((l) => l.includes('[bench-activation]'));
      if (!line) throw new Error(`launch ${i} reported nothing (exit ${result.exitCode})`);
      reports.push(JSON.parse(line.slice(line.indexOf('{'))));
    }
  } finally {
    fs.rmSync(workspace, { recursive: true, force: true });
  }
  const activation = median(reports.map((r) => r.activationMs));
  const listed = median(reports.map((r) => r.runsListedMs));
  console.log(
    `launches: ${reports.map((r) => `${r.activationMs}/${r.runsListedMs} ms`).join(', ')} (activation/runs listed)`,
  );
  console.log(
    `activation: ${activation} ms median; runs (${reports[0].runs}) listed ${listed} ms after activation began`,
  );
  console.log(
    `eager baseline (activation that lists runs first): ${listed} ms -> ${(listed / Math.max(1, activation)).toFixed(1)}x slower activation`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
