// Which folders are TRL output_dirs. Signs, any one of them: completions/ holding
// completions_*.parquet, a trainer_state.json, or checkpoint-N/ folders holding one.
// Event files under runs/ alone are not a sign (the TensorBoard source reads those).
import * as fs from 'fs';
import * as path from 'path';
import type { FoundRun } from '../source';
import { COMPLETIONS_DIR, TRAINER_STATE, checkpointStep, completionsStep, namesIn } from './layout';

/** A checkpoint is part of a run, never a run: TRL's checkpoint-N, ours checkpoints/step-N. */
function isCheckpointFolder(dir: string): boolean {
  const name = path.basename(dir);
  if (checkpointStep(name) !== undefined || /^tmp-checkpoint-\d+$/.test(name)) return true;
  return /^step-\d+$/.test(name) && path.basename(path.dirname(dir)) === 'checkpoints';
}

async function hasCompletions(dir: string): Promise<boolean> {
  return (await namesIn(path.join(dir, COMPLETIONS_DIR))).some((n) => completionsStep(n) !== undefined);
}

async function hasCheckpointState(dir: string, entries: string[]): Promise<boolean> {
  for (const name of entries) {
    if (checkpointStep(name) === undefined) continue;
    if (fs.existsSync(path.join(dir, name, TRAINER_STATE))) return true;
  }
  return false;
}

export async function isTrlOutputDir(dir: string, entries: string[]): Promise<boolean> {
  if (isCheckpointFolder(dir)) return false;
  if (entries.includes(TRAINER_STATE)) return true;
  if (entries.includes(COMPLETIONS_DIR) && (await hasCompletions(dir))) return true;
  return hasCheckpointState(dir, entries);
}

export async function findTrlRuns(dir: string, entries: string[]): Promise<FoundRun[]> {
  if (!(await isTrlOutputDir(dir, entries))) return [];
  return [{ id: dir, dir, source: 'trl', name: path.basename(dir), watch: [dir] }];
}
