// The file names of our own run directory (format grpo-lens/1). Other sources have
// their own, each in its folder under src/runs/sources/.
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

/**
 * A folder is one of our run directories if it holds run.json or metrics.jsonl, or
 * only status.json (a trainer that failed before writing run.json).
 */
export function looksLikeRunDir(entries: string[]): boolean {
  return [RUN_FILES.run, RUN_FILES.metrics, RUN_FILES.status].some((name) => entries.includes(name));
}

/** Every file the run's summary and session read, for a "look at everything" update. */
export const FOLLOWED_FILES = [
  RUN_FILES.run,
  RUN_FILES.status,
  RUN_FILES.checkpoints,
  RUN_FILES.events,
  RUN_FILES.metrics,
  RUN_FILES.samples,
];
