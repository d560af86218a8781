// Starting a command with its sidecar: launch.json and status.json are written first,
// then the supervisor (see supervise.ts) is started detached and left to run: the run
// outlives the window, the terminal or the `grpo-lens run` that started it.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { LaunchRecord, LOG_FILE, createSidecar, writeJsonAtomic, LAUNCH_FILE, STATUS_FILE } from './sidecar';

/** What a launch needs; `env` is only what it adds (see commandEnv.ts profileEnv). */
export type CommandLaunch = Pick<
  LaunchRecord,
  'name' | 'command' | 'cwd' | 'env' | 'watch' | 'runsDir' | 'profile'
>;

export interface Supervisor {
  /** The node that runs the supervisor (process.execPath). */
  node: string;
  /** The bundled command line, dist/cli.js, whose `_supervise` command supervises. */
  cli: string;
}

/** Creates the sidecar, starts the command; resolves with the sidecar folder. */
export async function startCommand(
  launch: CommandLaunch,
  supervisor: Supervisor,
  now = new Date(),
): Promise<string> {
  if (!fs.existsSync(launch.cwd)) throw new Error(`the working folder ${launch.cwd} does not exist`);
  const sidecar = createSidecar(launch.runsDir, launch.name, now);
  const record: LaunchRecord = {
    kind: 'command',
    name: launch.name,
    command: launch.command,
    cwd: launch.cwd,
    env: launch.env,
    watch: launch.watch.map((w) => path.resolve(launch.cwd, w)),
    runsDir: path.resolve(launch.runsDir),
    createdAt: now.getTime() / 1000,
    profile: launch.profile,
  };
  writeJsonAtomic(path.join(sidecar, LAUNCH_FILE), record);
  const started = now.getTime() / 1000;
  writeJsonAtomic(path.join(sidecar, STATUS_FILE), {
    state: 'starting',
    host: os.hostname(),
    startedAt: started,
    updatedAt: started,
  });
  fs.writeFileSync(path.join(sidecar, LOG_FILE), `$ ${commandLine(launch.command)}\n`);
  const child = spawn(supervisor.node, [supervisor.cli, '_supervise', sidecar], {
    cwd: launch.cwd,
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    windowsHide: true,
  });
  await new Promise<void>((resolve, reject) => {
    child.once('error', (err) =>
      reject(new Error(`could not start the launcher (${supervisor.node}): ${err.message}`)),
    );
    child.once('spawn', () => resolve());
  });
  child.unref();
  return sidecar;
}

/** The command as a person would type it (for the log and messages). */
export function commandLine(command: string[] | string): string {
  if (!Array.isArray(command)) return command;
  return command.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
