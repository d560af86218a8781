// transformers' TrainerState as saved in trainer_state.json (TrainerState.save_to_json:
// json.dumps(asdict(state), indent=2, sort_keys=True)). The file is rewritten in place,
// not atomically, so a read can catch it half-written: that read fails and is retried.
import * as fs from 'fs';
import * as path from 'path';
import { TRAINER_STATE, listCheckpointDirs } from './layout';
import { parsePythonJson } from './pythonJson';

export interface TrainerState {
  globalStep: number;
  /** 0 in transformers means unknown. */
  maxSteps?: number;
  /** One entry per Trainer.log call: `{...logs, step}`. */
  logHistory: Record<string, unknown>[];
}

export interface StateFile {
  path: string;
  mtimeMs: number;
  size: number;
}

export interface StateRead {
  file: StateFile;
  state?: TrainerState;
  /** Why the file could not be read (half-written, not a trainer state). */
  error?: string;
}

export function parseTrainerState(text: string): TrainerState {
  const value = parsePythonJson(text) as Record<string, unknown> | null;
  if (value === null || typeof value !== 'object' || !Array.isArray(value.log_history))
    throw new Error('not a trainer state (no log_history)');
  const entries = value.log_history.filter(
    (e): e is Record<string, unknown> => e !== null && typeof e === 'object' && !Array.isArray(e),
  );
  const maxSteps = typeof value.max_steps === 'number' && value.max_steps > 0 ? value.max_steps : undefined;
  const globalStep = typeof value.global_step === 'number' ? value.global_step : 0;
  return { globalStep, maxSteps, logHistory: entries };
}

async function statFile(file: string): Promise<StateFile | undefined> {
  try {
    const stat = await fs.promises.stat(file);
    return stat.isFile() ? { path: file, mtimeMs: stat.mtimeMs, size: stat.size } : undefined;
  } catch {
    return undefined;
  }
}

/** The trainer state of the newest checkpoint that has one (a checkpoint being saved has none yet). */
async function newestCheckpointState(dir: string): Promise<StateFile | undefined> {
  const checkpoints = await listCheckpointDirs(dir);
  for (let i = checkpoints.length - 1; i >= 0; i--) {
    const file = await statFile(path.join(checkpoints[i].path, TRAINER_STATE));
    if (file) return file;
  }
  return undefined;
}

/**
 * The most recently written trainer state: output_dir's own (save_state after training)
 * or the newest checkpoint's. A resumed run rewrites checkpoints after an old top-level one.
 */
export async function newestStateFile(dir: string): Promise<StateFile | undefined> {
  const top = await statFile(path.join(dir, TRAINER_STATE));
  const checkpoint = await newestCheckpointState(dir);
  if (!top || !checkpoint) return top ?? checkpoint;
  return checkpoint.mtimeMs > top.mtimeMs ? checkpoint : top;
}

export async function readStateFile(file: StateFile): Promise<StateRead> {
  try {
    return { file, state: parseTrainerState(await fs.promises.readFile(file.path, 'utf8')) };
  } catch (err) {
    return { file, error: err instanceof Error ? err.message : String(err) };
  }
}

/** Reads the newest trainer state again only when its file changed (it can hold thousands of entries). */
export class TrainerStateCache {
  private last: StateRead | undefined;

  constructor(private readonly dir: string) {}

  async newest(): Promise<StateRead | undefined> {
    const file = await newestStateFile(this.dir);
    if (!file) return (this.last = undefined);
    const last = this.last;
    if (last && !last.error && sameFile(last.file, file)) return last;
    return (this.last = await readStateFile(file));
  }
}

function sameFile(a: StateFile, b: StateFile): boolean {
  return a.path === b.path && a.mtimeMs === b.mtimeMs && a.size === b.size;
}
