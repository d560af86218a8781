// verl's checkpoints (ray_trainer.py _save_checkpoint): `trainer.default_local_dir`, by default
// `checkpoints/<project>/<experiment>` under the working directory, holds `global_step_<N>/`
// folders and `latest_checkpointed_iteration.txt`, written once a save is complete. The file
// logger's default path is `./<project>/<experiment>.jsonl` from the same working directory,
// so a metrics file at its default place finds its checkpoints; elsewhere none are shown.
import * as fs from 'fs';
import * as path from 'path';
import type { CheckpointInfo } from '../../model';

const STEP_FOLDER = /^global_step_(\d+)$/;

/** Where verl's defaults put the checkpoints of the run logging to this metrics file. */
export function defaultCheckpointDir(metricsFile: string): string {
  const project = path.dirname(metricsFile);
  return path.join(
    path.dirname(project),
    'checkpoints',
    path.basename(project),
    path.basename(metricsFile, '.jsonl'),
  );
}

/**
 * Complete checkpoints, ascending: folders up to the latest completed iteration (a folder
 * above it is being saved). Without the tracker file (async_save), every folder is listed.
 */
export async function readCheckpoints(dir: string): Promise<CheckpointInfo[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const latest = await latestIteration(dir);
  return names
    .map((name) => ({ name, match: STEP_FOLDER.exec(name) }))
    .filter(({ match }) => match !== null)
    .map(({ name, match }) => ({ step: Number(match?.[1]), path: path.join(dir, name) }))
    .filter((c) => latest === undefined || c.step <= latest)
    .sort((a, b) => a.step - b.step);
}

async function latestIteration(dir: string): Promise<number | undefined> {
  const text = await fs.promises
    .readFile(path.join(dir, 'latest_checkpointed_iteration.txt'), 'utf8')
    .catch(() => '');
  const step = Number.parseInt(text.trim(), 10);
  return Number.isFinite(step) ? step : undefined;
}
