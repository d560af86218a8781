// What a TRL output_dir says about its run besides metrics: checkpoints, max_steps,
// whether training reached max_steps, the config (when the event files carry it).
import * as path from 'path';
import type { CheckpointInfo } from '../../model';
import type { RunFacts } from '../source';
import { STALE_MS } from './completionsFeed';
import { TRAINER_STATE, listCheckpointDirs, mtimeOf } from './layout';
import type { ReadTrainingArgs } from './runConfig';
import type { StateRead, TrainerStateCache } from './trainerState';

/** Checkpoints whose trainer_state.json exists: transformers writes it after the weights. */
async function completeCheckpoints(dir: string): Promise<CheckpointInfo[]> {
  const all = await listCheckpointDirs(dir);
  const done = await Promise.all(all.map((c) => mtimeOf(path.join(c.path, TRAINER_STATE))));
  return all.filter((_, i) => done[i] !== undefined);
}

/** A trainer state that stays unreadable (not one caught mid-write) is a problem worth showing. */
function stateProblem(dir: string, read: StateRead | undefined): string[] {
  if (!read?.error || Date.now() - read.file.mtimeMs < STALE_MS) return [];
  return [`${path.relative(dir, read.file.path)} could not be read: ${read.error}`];
}

export async function trlFacts(
  dir: string,
  states: TrainerStateCache,
  config: ReadTrainingArgs,
): Promise<RunFacts> {
  const newest = await states.newest();
  const state = newest?.state;
  const facts: RunFacts = {
    name: path.basename(dir),
    checkpoints: await completeCheckpoints(dir),
    totalSteps: state?.maxSteps,
    // The last step saves a checkpoint (DefaultFlowCallback, save_strategy "steps") and
    // save_state() writes the top-level file after train(): either says training is done.
    finished: state?.maxSteps !== undefined && state.globalStep >= state.maxSteps,
    problems: stateProblem(dir, newest),
    // the run doctor's findings show on it in the Problems panel
    mainFile: newest?.file.path,
  };
  const args = await config();
  if (args) facts.config = args;
  return facts;
}
