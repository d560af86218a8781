// Generates a large run directory for benchmarks: N steps of metrics and about
// `samplesBytes` of samples.jsonl (one line per prompt group), written in big batches.
import * as fs from 'fs';
import * as path from 'path';

export interface FixtureOptions {
  steps: number;
  groupsPerStep: number;
  samplesBytes: number;
}

function metricLine(step: number): string {
  const r = (k: number) => ((Math.sin(step * 0.001 * k) + 1) / 2).toFixed(6);
  return JSON.stringify({
    reward: Number(r(1)),
    reward_std: Number(r(2)),
    'rewards/accuracy/mean': Number(r(3)),
    'rewards/format/mean': Number(r(4)),
    kl: Number(r(5)) / 10,
    loss: Number(r(6)),
    entropy: Number(r(7)),
    'clip_ratio/region_mean': 0.01,
    'completions/mean_length': 42,
    grad_norm: Number(r(8)),
    lr: 1e-5,
    beta: 0.04,
    'timing/step_s': 0.5,
    tokens_per_s: 1234.5,
    step,
    time: 1_790_000_000 + step,
  });
}

/** The body of one sample line after its step and group: G completions with token details. */
function sampleBody(lineBytes: number): string {
  // Size per token, measured on a probe body, sets how many tokens fill a line.
  const probe = bodyWith(100).length / 100;
  return bodyWith(Math.max(4, Math.floor(lineBytes / probe)));
}

function bodyWith(tokensPer: number): string {
  const completion = () => ({
    text: 'x'.repeat(tokensPer),
    reward: 1,
    rewards: { accuracy: 1, format: 0 },
    advantage: 0.5,
    num_tokens: tokensPer,
    truncated: false,
    tokens: Array.from({ length: tokensPer }, () => 'x'),
    logprobs: Array.from({ length: tokensPer }, () => -1.234567),
    ref_logprobs: Array.from({ length: tokensPer }, () => -1.345678),
  });
  const body = JSON.stringify({
    prompt: '12+7=',
    reference: '19',
    completions: Array.from({ length: 8 }, completion),
  });
  return body.slice(1); // without its opening brace
}

function writeLines(file: string, count: number, line: (i: number) => string): void {
  const fd = fs.openSync(file, 'w');
  let batch: string[] = [];
  let size = 0;
  for (let i = 0; i < count; i++) {
    const text = line(i);
    batch.push(text);
    size += text.length;
    if (size > 8 * 1024 * 1024) {
      fs.writeSync(fd, batch.join(''));
      batch = [];
      size = 0;
    }
  }
  fs.writeSync(fd, batch.join(''));
  fs.closeSync(fd);
}

export function writeLargeRun(dir: string, options: FixtureOptions): void {
  fs.mkdirSync(path.join(dir, 'checkpoints', `step-${String(options.steps).padStart(6, '0')}`), {
    recursive: true,
  });
  const config = {
    name: 'bench',
    max_steps: options.steps,
    num_generations: 8,
    beta: 0.04,
    model: { type: 'tiny' },
  };
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ format: 'grpo-lens/1', name: 'bench', config }),
  );
  const status = {
    state: 'finished',
    pid: 1,
    step: options.steps,
    total_steps: options.steps,
    updated: 1_790_100_000,
  };
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status));
  writeLines(
    path.join(dir, 'events.jsonl'),
    1,
    () => JSON.stringify({ time: 0, event: 'started', step: 0 }) + '\n',
  );
  writeLines(path.join(dir, 'metrics.jsonl'), options.steps, (i) => metricLine(i + 1) + '\n');
  const lines = options.steps * options.groupsPerStep;
  const body = sampleBody(options.samplesBytes / lines);
  writeLines(path.join(dir, 'samples.jsonl'), lines, (i) => {
    const step = Math.floor(i / options.groupsPerStep) + 1;
    return `{"step":${step},"group":${i % options.groupsPerStep},${body}\n`;
  });
}
