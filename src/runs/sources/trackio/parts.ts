// One Trackio run (rows of one run_name in a project database) as FeedParts.
// Everything is read through Python's sqlite3, read-only; nothing is written next to
// the database (docs/trackio-sqlite.md).
import { promises as fs } from 'fs';
import type { FeedParts, FoundRun, RunFacts } from '../source';
import { splitTrackioRunId } from './find';
import { TrackioHealth } from './health';
import { TrackioMetricFeed } from './metrics';
import { isoSeconds } from './names';
import { queryTrackio, type TrackioOptions } from './query';
import { TrackioSampleFeed } from './samples';

export function trackioParts(run: FoundRun, options: TrackioOptions = {}): FeedParts {
  const { db, runName } = splitTrackioRunId(run.id);
  const health = new TrackioHealth(db);
  const metrics = new TrackioMetricFeed(db, runName, health, options);
  let config: Record<string, unknown> | undefined;
  const rewards = () => ({
    names: [...metrics.rewardNames],
    weights: numbers(config?.reward_weights),
    numGenerations: typeof config?.num_generations === 'number' ? config.num_generations : undefined,
  });
  const samples = new TrackioSampleFeed(db, runName, health, rewards, options);

  const facts = async (): Promise<RunFacts> => {
    const answer = await queryTrackio(db, { op: 'facts', run: runName }, () => undefined, options);
    // The project's database stands for the run in the editor; its other runs share it.
    const out: RunFacts = { name: run.name, mainFile: db };
    if (health.took(answer)) {
      config = parseConfig(answer.end?.config) ?? config;
      const startedAt = isoSeconds(answer.end?.started);
      if (startedAt !== undefined) out.startedAt = startedAt;
    }
    if (config) {
      out.config = config;
      const maxSteps = config.max_steps;
      if (typeof maxSteps === 'number' && maxSteps > 0) out.totalSteps = maxSteps;
    }
    out.problems = health.problems();
    out.bad = health.bad();
    return out;
  };

  return {
    metrics,
    samples,
    facts,
    lastWrite: () => newestMtime([db, `${db}-wal`]),
    capabilities: { control: false, tokenDetails: false, resume: false },
  };
}

/** configs.config: orjson of the run's config (TRL: TrainingArguments.to_dict() and the model's). */
function parseConfig(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string') return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

function numbers(value: unknown): number[] | undefined {
  return Array.isArray(value) && value.every((v) => typeof v === 'number') ? (value as number[]) : undefined;
}

async function newestMtime(files: string[]): Promise<number | undefined> {
  let newest: number | undefined;
  for (const file of files) {
    try {
      const { mtimeMs } = await fs.stat(file);
      newest = Math.max(newest ?? 0, mtimeMs);
    } catch {
      // a -wal file exists only while a connection is open
    }
  }
  return newest;
}
