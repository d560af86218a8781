// Where TRL (and transformers' Trainer under it) puts things in an output_dir:
//   completions/completions_{global_step:05d}.parquet   GRPOTrainer.log, log_completions=True (TRL >= 0.28)
//   trainer_state.json                                  Trainer.save_state() (after train(), if the script calls it)
//   checkpoint-N/trainer_state.json                     Trainer._save_checkpoint, every save_steps
//   runs/<Mon DD_HH-MM-SS>_<host>/events.out.tfevents.* TensorBoardCallback (default logging_dir)
import * as fs from 'fs';
import * as path from 'path';
import type { CheckpointInfo } from '../../model';

export const COMPLETIONS_DIR = 'completions';
export const TRAINER_STATE = 'trainer_state.json';
const RUNS_DIR = 'runs';
const EVENTS_PREFIX = 'events.out.tfevents.';

const COMPLETIONS_FILE = /^completions_(\d+)\.parquet$/;
const CHECKPOINT_DIR = /^checkpoint-(\d+)$/;

/** The step of a completions file name, or undefined for any other name. */
export function completionsStep(name: string): number | undefined {
  const match = COMPLETIONS_FILE.exec(name);
  return match ? Number(match[1]) : undefined;
}

export function completionsFileName(step: number): string {
  return `completions_${String(step).padStart(5, '0')}.parquet`;
}

export function checkpointStep(name: string): number | undefined {
  const match = CHECKPOINT_DIR.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Names in a folder; [] when it is missing or unreadable (a run folder may be deleted under us). */
export async function namesIn(dir: string): Promise<string[]> {
  try {
    return await fs.promises.readdir(dir);
  } catch {
    return [];
  }
}

/** Completions files by step, from one listing (no file is opened). */
export async function listCompletions(dir: string): Promise<Map<number, string>> {
  const byStep = new Map<number, string>();
  for (const name of await namesIn(path.join(dir, COMPLETIONS_DIR))) {
    const step = completionsStep(name);
    if (step !== undefined) byStep.set(step, name);
  }
  return byStep;
}

/** checkpoint-N folders, ascending by step. */
export async function listCheckpointDirs(dir: string): Promise<CheckpointInfo[]> {
  const found: CheckpointInfo[] = [];
  for (const name of await namesIn(dir)) {
    const step = checkpointStep(name);
    if (step !== undefined) found.push({ step, path: path.join(dir, name) });
  }
  return found.sort((a, b) => a.step - b.step);
}

/** Folders under runs/ holding TensorBoard event files (one per training start). */
export async function eventLogdirs(dir: string): Promise<string[]> {
  const runs = path.join(dir, RUNS_DIR);
  const found: string[] = [];
  for (const name of (await namesIn(runs)).sort()) {
    const logdir = path.join(runs, name);
    if ((await namesIn(logdir)).some((file) => file.startsWith(EVENTS_PREFIX))) found.push(logdir);
  }
  return found;
}

/** Event files in the given logdirs (their times tell whether the run is still writing). */
export async function eventFiles(logdirs: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const logdir of logdirs) {
    for (const name of await namesIn(logdir))
      if (name.startsWith(EVENTS_PREFIX)) files.push(path.join(logdir, name));
  }
  return files;
}

/** Modification time in ms, or undefined when the path is gone. */
export async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await fs.promises.stat(file)).mtimeMs;
  } catch {
    return undefined;
  }
}
