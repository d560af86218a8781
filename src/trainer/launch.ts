// Starting the trainer: detached, output appended to <run-dir>/train.log, so the run
// outlives a window reload or VS Code closing.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface LaunchRequest {
  python: string;
  /** Omitted when resuming: the checkpoint holds the config. */
  configPath?: string;
  runDir: string;
  /** A checkpoint directory to continue from. */
  resumeFrom?: string;
  /** The folder that holds the grpo_lens package (the extension's trainer/). */
  trainerRoot: string;
  cwd: string;
  /** What goes before `-m grpo_lens`: torchrun's arguments for several processes (src/launch/resolve.ts). */
  launcher?: string[];
}

export function trainerArgs(request: LaunchRequest): string[] {
  const args = [...(request.launcher ?? []), '-m', 'grpo_lens'];
  if (request.configPath) args.push('--config', request.configPath);
  args.push('--run-dir', request.runDir);
  return request.resumeFrom ? [...args, '--resume', request.resumeFrom] : args;
}

export function trainerEnv(trainerRoot: string, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const pythonPath = [trainerRoot, base.PYTHONPATH].filter(Boolean).join(path.delimiter);
  return { ...base, PYTHONPATH: pythonPath, GRPO_LENS_LOG_REDIRECTED: '1', PYTHONUNBUFFERED: '1' };
}

export interface LaunchedTrainer {
  pid: number;
  /** Resolves with the exit code when the process ends (while this extension host lives). */
  exited: Promise<number | null>;
}

/** Spawns the trainer and resolves once it has started (or rejects with why not). */
export function launchTrainer(request: LaunchRequest): Promise<LaunchedTrainer> {
  fs.mkdirSync(request.runDir, { recursive: true });
  const log = fs.openSync(path.join(request.runDir, 'train.log'), 'a');
  try {
    const child = spawn(request.python, trainerArgs(request), {
      cwd: request.cwd,
      env: trainerEnv(request.trainerRoot),
      detached: true,
      stdio: ['ignore', log, log],
      windowsHide: true,
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise((resolve, reject) => {
      child.once('error', (err) => reject(new Error(`Could not start "${request.python}": ${err.message}`)));
      child.once('spawn', () => {
        child.unref();
        resolve({ pid: child.pid ?? -1, exited });
      });
    });
  } finally {
    fs.closeSync(log);
  }
}
