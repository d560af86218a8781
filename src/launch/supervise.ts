// The supervisor of a launched command: a small node process (`grpo-lens _supervise
// <sidecar>`), started detached so that it leads a new process group, that starts the
// command in that group with its output in train.log and records in status.json when
// the command started and how it ended. It ignores SIGINT and SIGTERM sent to the group
// (the command gets them) so that it lives to write the exit code.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { commandEnv } from './commandEnv';
import { LOG_FILE, readLaunch, readStatus, updateStatus } from './sidecar';

export function supervise(sidecar: string): Promise<number> {
  const launch = readLaunch(sidecar);
  if (!launch) return Promise.resolve(2);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.on(signal, () => undefined);
  // Detached, this process leads its own group: its pid is the group id every signal goes to.
  updateStatus(sidecar, { pid: process.pid, pgid: process.pid, host: os.hostname() });
  const log = fs.openSync(path.join(sidecar, LOG_FILE), 'a');
  const [file, args, shell] = Array.isArray(launch.command)
    ? [launch.command[0], launch.command.slice(1), false]
    : [launch.command, [], true];
  const child = spawn(file, args, {
    cwd: launch.cwd,
    env: commandEnv(launch.env, process.env),
    shell,
    stdio: ['ignore', log, log],
  });
  fs.closeSync(log);
  return new Promise((resolve) => {
    child.once('spawn', () => updateStatus(sidecar, { state: 'running', childPid: child.pid }));
    child.once('error', (err) => {
      const error = `could not start ${JSON.stringify(file)}: ${startError(err)}`;
      fs.appendFileSync(path.join(sidecar, LOG_FILE), `grpo-lens: ${error}\n`);
      updateStatus(sidecar, { state: 'failed', error, endedAt: Date.now() / 1000 });
      resolve(127);
    });
    child.once('exit', (code, signal) => {
      const endedBy = readStatus(sidecar)?.endedBy;
      const state = endedBy ? 'stopped' : code === 0 ? 'exited' : 'failed';
      updateStatus(sidecar, { state, exitCode: code, signal, endedAt: Date.now() / 1000 });
      resolve(code ?? 1);
    });
  });
}

function startError(err: NodeJS.ErrnoException): string {
  if (err.code === 'ENOENT') return 'command not found (check the command, PATH, venv or cwd)';
  if (err.code === 'EACCES') return 'permission denied (is it executable?)';
  return err.message;
}
