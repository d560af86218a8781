// `grpo-lens run | pause | resume | stop | status`: the launcher and controls the
// extension uses (src/launch/), from a terminal. A run started here is shown and
// controlled in VS Code like one started there, and the other way round: both read
// and write the same sidecar.
import * as fs from 'fs';
import * as path from 'path';
import { sidecarOf } from '../launch/findLaunch';
import { killAny, pauseAny, resumeAny, stopAny } from '../launch/controls';
import { DEFAULT_STOP_TIMEOUTS } from '../launch/groupControl';
import { endedHow, isLaunchActive, launchView } from '../launch/launchState';
import { profileEnv } from '../launch/commandEnv';
import { sidecarRunsDir } from '../launch/resolve';
import { LOG_FILE, readLaunch } from '../launch/sidecar';
import { commandLine, startCommand } from '../launch/startCommand';
import { watchStart } from '../launch/startWatch';
import { supervise } from '../launch/supervise';
import { controlOurRun, isOurRun } from './controlOurRun';
import { UsageError } from './args';
import type { LaunchCommand } from './launchArgs';
import type { Output } from './main';
import { shown } from './text';

/** Runs one launch command; resolves with the process's exit code. */
export async function runLaunchCommand(command: LaunchCommand, io: Output): Promise<number> {
  switch (command.name) {
    case '_supervise':
      return supervise(command.sidecar);
    case 'run':
      return run(command, io);
    case 'status':
      return status(sidecarFor(command.run), command.json, io);
    default:
      return control(command, io);
  }
}

async function run(command: Extract<LaunchCommand, { name: 'run' }>, io: Output): Promise<number> {
  const cwd = process.cwd();
  const watch = command.watch.map((w) => path.resolve(cwd, w));
  const sidecar = await startCommand(
    {
      name: command.runName ?? path.basename(command.command[0]),
      command: command.command,
      cwd,
      env: profileEnv({}),
      watch,
      runsDir: sidecarRunsDir(cwd, watch, command.runsDir, cwd),
    },
    { node: process.execPath, cli: process.argv[1] },
  );
  // A command that is not found or ends at once is said now, not discovered later.
  const problem = await watchStart(sidecar, { graceMs: 1500, outputTimeoutMs: 1500 });
  if (problem && problem.kind !== 'no-output') {
    io.err(`grpo-lens: ${shown(commandLine(command.command))}: ${shown(problem.message)}`);
    for (const line of problem.logTail) io.err(`  ${shown(line)}`);
    io.out(sidecar);
    return 1;
  }
  io.out(sidecar);
  return command.attach ? attach(sidecar, io) : 0;
}

/** Streams train.log until the run ends; exits with the command's exit code. */
async function attach(sidecar: string, io: Output): Promise<number> {
  const log = path.join(sidecar, LOG_FILE);
  let offset = 0;
  for (;;) {
    const view = launchView(sidecar);
    offset = printFrom(log, offset, io);
    if (!view || !isLaunchActive(view.state)) {
      printFrom(log, offset, io);
      io.err(`grpo-lens: run ${view?.state ?? 'gone'} (${view ? endedHow(view.status) : 'no status'})`);
      return view?.status.exitCode ?? (view?.state === 'finished' ? 0 : 1);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

function printFrom(file: string, offset: number, io: Output): number {
  const size = fs.existsSync(file) ? fs.statSync(file).size : 0;
  if (size <= offset) return offset;
  const fd = fs.openSync(file, 'r');
  const buffer = Buffer.alloc(size - offset);
  fs.readSync(fd, buffer, 0, buffer.length, offset);
  fs.closeSync(fd);
  io.out(buffer.toString('utf8').replace(/\n$/, ''));
  return size;
}

function status(sidecar: string, json: boolean, io: Output): number {
  const view = launchView(sidecar);
  const launch = readLaunch(sidecar);
  if (!view || !launch) throw new UsageError(`${sidecar} has no readable status.json or launch.json`);
  const s = view.status;
  if (json) {
    io.out(
      JSON.stringify(
        { ...s, sidecar, recorded: s.state, state: view.state, remote: view.remote, launch },
        null,
        2,
      ),
    );
    return 0;
  }
  const where = view.remote ? ` on ${view.host} (another host: as it last wrote)` : ` on ${view.host}`;
  io.out(`${shown(launch.name)}: ${view.state}${where}`);
  io.out(`  command  ${shown(commandLine(launch.command))}`);
  if (s.pgid !== undefined) io.out(`  pgid     ${s.pgid}${s.childPid ? ` (command pid ${s.childPid})` : ''}`);
  if (s.jobId !== undefined) io.out(`  job      ${s.jobId}`);
  io.out(`  started  ${new Date(s.startedAt * 1000).toISOString()}`);
  if (!isLaunchActive(view.state)) io.out(`  ended    ${shown(endedHow(s))}`);
  for (const w of launch.watch) io.out(`  watch    ${shown(w)}`);
  io.out(`  log      ${path.join(sidecar, LOG_FILE)}`);
  return 0;
}

async function control(
  command: Extract<LaunchCommand, { name: 'pause' | 'resume' | 'stop' }>,
  io: Output,
): Promise<number> {
  if (isOurRun(command.run) && !sidecarOf(command.run)) return controlOurRun(command.run, command.name, io);
  const sidecar = sidecarFor(command.run);
  if (command.name === 'pause') pauseAny(sidecar);
  else if (command.name === 'resume') resumeAny(sidecar);
  else if (command.name === 'stop') {
    const timeouts = {
      sigintSeconds: command.sigintSeconds ?? DEFAULT_STOP_TIMEOUTS.sigintSeconds,
      sigtermSeconds: command.sigtermSeconds ?? DEFAULT_STOP_TIMEOUTS.sigtermSeconds,
    };
    const by = command.kill
      ? await killAny(sidecar, timeouts)
      : await stopAny(sidecar, timeouts, (signal) => io.err(`grpo-lens: sending ${signal}`));
    io.out(`stopped by ${by}`);
    return 0;
  }
  io.out(`${command.name === 'pause' ? 'paused' : 'resumed'} ${sidecar}`);
  return 0;
}

function sidecarFor(operand: string): string {
  if (!fs.existsSync(operand)) throw new UsageError(`${operand} does not exist`);
  const sidecar = sidecarOf(operand);
  if (!sidecar) throw new UsageError(`${operand} is not a launch of GRPO Lens (no sidecar names it)`);
  return sidecar;
}
