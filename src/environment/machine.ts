// Checks of the machine the extension host runs on that need no interpreter: commands on
// the PATH, free disk space, and the ONNX runtime's native binding.
import * as fs from 'fs';
import * as path from 'path';
import { failed, formatBytes, ok, warning, type EnvironmentItem } from './report';

/** Below this, a run's checkpoints of a real model may not fit. */
const LOW_DISK_BYTES = 5 * 1024 ** 3;

/** The full path of `command` on the PATH, found by looking, not by running anything. */
export async function findOnPath(
  command: string,
  env: NodeJS.ProcessEnv = process.env,
): Promise<string | undefined> {
  const dirs = (env.PATH ?? env.Path ?? '').split(path.delimiter).filter(Boolean);
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of dirs) {
    for (const ext of exts) {
      const candidate = path.join(dir, command + ext);
      try {
        await fs.promises.access(candidate, fs.constants.X_OK);
        if ((await fs.promises.stat(candidate)).isFile()) return candidate;
      } catch {
        // not here
      }
    }
  }
  return undefined;
}

export async function pathItems(env: NodeJS.ProcessEnv = process.env): Promise<EnvironmentItem[]> {
  const torchrun = await findOnPath('torchrun', env);
  const sbatch = await findOnPath('sbatch', env);
  return [
    torchrun
      ? ok('torchrun', torchrun)
      : warning(
          'torchrun',
          'not on the PATH: needed only to launch on several GPUs with torchrun; one GPU needs one process.',
          "For several GPUs, put the interpreter's bin folder (where torch installs torchrun) on the PATH.",
        ),
    sbatch
      ? ok('sbatch', sbatch)
      : warning(
          'sbatch',
          'not on the PATH: needed only to submit jobs to a Slurm cluster.',
          'Only needed for Slurm: open the window on a login node (Remote-SSH) where sbatch exists.',
        ),
  ];
}

/** Free space where new runs are written; the folder may not exist yet, so its nearest parent that does. */
export async function diskItem(runsFolder: string): Promise<EnvironmentItem> {
  const existing = nearestExisting(runsFolder);
  try {
    const stats = await fs.promises.statfs(existing);
    const free = stats.bavail * stats.bsize;
    const detail = `${formatBytes(free)} free in ${runsFolder}`;
    if (free < LOW_DISK_BYTES)
      return warning(
        'Disk',
        `only ${detail}.`,
        'Free some space, or point runs elsewhere: checkpoints of real models take gigabytes.',
      );
    return ok('Disk', detail);
  } catch (err) {
    return warning(
      'Disk',
      `free space in ${runsFolder} unknown (${(err as Error).message}).`,
      'Check that the folder is readable.',
    );
  }
}

function nearestExisting(folder: string): string {
  let current = path.resolve(folder);
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) break;
    current = parent;
  }
  return current;
}

/** Whether the inference panel's native runtime loads here. `load` is replaceable for tests. */
export function onnxItem(
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  load: () => unknown = () => require('onnxruntime-node'),
): EnvironmentItem {
  try {
    load();
    return ok(
      'onnxruntime-node',
      'loads in the extension host (the playground and inspection can run ONNX exports of checkpoints).',
    );
  } catch (err) {
    const first = ((err as Error).message ?? String(err)).split('\n')[0];
    return failed(
      'onnxruntime-node',
      `does not load in the extension host: ${first}`,
      "Reinstall the extension for this platform: Sample from Checkpoint… and the model's alternatives in inspection need its native binding. Training is not affected.",
    );
  }
}
