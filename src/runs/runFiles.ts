// The file names of our own run directory (format grpo-lens/1). Other sources
// (TRL, verl) will have their own; nothing outside src/runs/ should use these.
import * as path from 'path';

export const RUN_FILES = {
  run: 'run.json',
  status: 'status.json',
  metrics: 'metrics.jsonl',
  samples: 'samples.jsonl',
  events: 'events.jsonl',
  control: 'control.jsonl',
  log: 'train.log',
  checkpoints: 'checkpoints',
} as const;

export function runFile(dir: string, name: keyof typeof RUN_FILES): string {
  return path.join(dir, RUN_FILES[name]);
}

/** A folder is a run directory if it holds run.json or metrics.jsonl. */
export function looksLikeRunDir(entries: string[]): boolean {
  return entries.includes(RUN_FILES.run) || entries.includes(RUN_FILES.metrics);
}
