// The `grpo-lens` command line (bundled to dist/cli.js): argument parsing and printing
// over the modules the extension reads runs with. Nothing here may reach `vscode`.
// Exit codes: 0 done, 2 bad arguments or a path that is not a run; never a stack trace.
import { parseCommand, USAGE, UsageError, type Command } from './args';
import { doctorAsText, doctorJson, examineFoundRun, failsOn } from './doctor';
import { LAUNCH_COMMANDS, type LaunchCommand } from './launchArgs';
import { resolveRun } from './findRun';
import { runLaunchCommand } from './launch';
import { listedRun, listRuns, runsAsText } from './ls';
import { missingKeys, readSeries, seriesAsTsv } from './metrics';
import { withReader, withSession } from './openRun';
import { readStepSamples, samplesAsText } from './samples';
import { runAsText, shownRun } from './show';
import { shown } from './text';

export interface Output {
  out(text: string): void;
  err(text: string): void;
}

export async function runCli(argv: string[], io: Output): Promise<number> {
  try {
    const command = parseCommand(argv);
    if (LAUNCH_COMMANDS.has(command.name)) return await runLaunchCommand(command as LaunchCommand, io);
    const code = await runCommand(command, io);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`grpo-lens: ${shown(err.message)}`);
      return 2;
    }
    io.err(`grpo-lens: ${shown(oneLine(err))}`);
    return 1;
  }
}

/** Runs one command; a number is its exit code (doctor: 1 when a finding at --fail-on holds). */
async function runCommand(command: Command, io: Output): Promise<void | number> {
  // Runs and summaries are indented for reading; series and samples, bulk data, are not.
  const json = (value: unknown) => io.out(JSON.stringify(value, null, 2));
  const bulk = (value: unknown) => io.out(JSON.stringify(value));
  switch (command.name) {
    case 'help':
      return io.out(USAGE.trimEnd());
    case 'ls': {
      const runs = await listRuns(command.dirs);
      if (command.json) return json(runs.map(listedRun));
      return runs.length > 0 ? io.out(runsAsText(runs)) : io.err('grpo-lens: no runs found');
    }
    case 'show': {
      const summary = await withReader(await resolveRun(command.run), (r) => Promise.resolve(r.summary));
      return command.json ? json(shownRun(summary)) : io.out(runAsText(summary));
    }
    case 'metrics': {
      const data = await withSession(await resolveRun(command.run), (s) => readSeries(s, command.keys));
      for (const name of command.keys ? missingKeys(data) : []) io.err(`grpo-lens: no step logged '${name}'`);
      return command.json ? bulk(data) : io.out(seriesAsTsv(data));
    }
    case 'samples': {
      const data = await withSession(await resolveRun(command.run), (s) => readStepSamples(s, command.step));
      return command.json ? bulk(data) : io.out(samplesAsText(data, command.step));
    }
    case 'doctor': {
      const findings = await examineFoundRun(await resolveRun(command.run));
      if (command.json) json(doctorJson(findings));
      else io.out(doctorAsText(findings));
      return failsOn(findings, command.failOn) ? 1 : 0;
    }
    default:
      return; // the launch commands (runLaunchCommand)
  }
}

function oneLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0] || 'unexpected error';
}

/** Output to the process's streams; a closed pipe (`| head`) ends quietly. */
function processOutput(): Output {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    });
  }
  return {
    out: (text) => process.stdout.write(text + '\n'),
    err: (text) => process.stderr.write(text + '\n'),
  };
}

if (require.main === module) {
  void runCli(process.argv.slice(2), processOutput()).then((code) => (process.exitCode = code));
}
