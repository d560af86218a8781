// The runs table benches' runs: run directories in our format (grpo-lens/1), finished.
import * as fs from 'fs';
import * as path from 'path';

/** 500 run directories of ours, `steps` metric lines each, some resumed. */
export function writeRuns(root: string, runs: number, steps: number): void {
  for (let i = 0; i < runs; i++) {
    const dir = path.join(root, 'runs', `run-${i}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'run.json'),
      JSON.stringify({
        format: 'grpo-lens/1',
        name: `run-${i}`,
        config: { beta: (i % 4) / 100, num_generations: 8 },
      }),
    );
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'finished', step: steps }));
    const lines: string[] = [];
    const row = (s: number) =>
      JSON.stringify({
        step: s,
        time: s,
        reward: (s / steps) * ((i % 10) / 10),
        'rewards/accuracy/mean': 0.5,
        kl: 0.01,
        entropy: 1,
        'completions/mean_length': 4,
        loss: 0.1,
        lr: 1e-3,
        'timing/step_s': 0.2,
      });
    for (let s = 1; s <= steps; s++) lines.push(row(s));
    if (i % 10 === 0) for (let s = steps - 20; s <= steps; s++) lines.push(row(s));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join('\n') + '\n');
  }
}
