// The words of the launch commands: run, pause, resume, stop, status (and the hidden
// _supervise that a launch starts). Parsed here so that args.ts only dispatches.
import { parseArgs } from 'util';
import { UsageError } from './args';

export type LaunchCommand =
  | { name: 'run'; command: string[]; runName?: string; runsDir?: string; watch: string[]; attach: boolean }
  | { name: 'pause' | 'resume'; run: string }
  | { name: 'stop'; run: string; sigintSeconds?: number; sigtermSeconds?: number; kill: boolean }
  | { name: 'status'; run: string; json: boolean }
  | { name: '_supervise'; sidecar: string };

export const LAUNCH_COMMANDS = new Set(['run', 'pause', 'resume', 'stop', 'status', '_supervise']);

export const LAUNCH_USAGE = `  run [--name N] [--runs-dir D] [--watch PATH]... [--attach] -- COMMAND...
                                  start COMMAND detached, with a sidecar folder (status.json,
                                  train.log, launch.json) in D/.grpo-lens/launches/; prints it
  pause RUN | resume RUN          stop / continue every process of a launched run (SIGSTOP/SIGCONT)
  stop RUN [--sigint-timeout S] [--sigterm-timeout S] [--kill]
                                  SIGINT, then SIGTERM, then SIGKILL to its process group
  status RUN [--json]             a launched run's state, host, pid and how it ended
`;

export function parseLaunchCommand(name: string, rest: string[]): LaunchCommand {
  if (name === '_supervise') return { name, sidecar: one(name, rest) };
  if (name === 'run') return parseRun(rest);
  const parsed = parse(rest, {
    json: { type: 'boolean' },
    kill: { type: 'boolean' },
    'sigint-timeout': { type: 'string' },
    'sigterm-timeout': { type: 'string' },
  });
  const run = one(name, parsed.positionals);
  const v = parsed.values;
  if (name === 'status') return { name, run, json: v.json === true };
  if (name === 'stop')
    return {
      name,
      run,
      kill: v.kill === true,
      sigintSeconds: seconds('--sigint-timeout', v['sigint-timeout']),
      sigtermSeconds: seconds('--sigterm-timeout', v['sigterm-timeout']),
    };
  return { name: name as 'pause' | 'resume', run };
}

function parseRun(rest: string[]): LaunchCommand {
  const split = rest.indexOf('--');
  if (split < 0 || split === rest.length - 1)
    throw new UsageError('run needs the command after --, e.g. grpo-lens run -- python3 train.py');
  const parsed = parse(rest.slice(0, split), {
    name: { type: 'string' },
    'runs-dir': { type: 'string' },
    watch: { type: 'string', multiple: true },
    attach: { type: 'boolean' },
  });
  if (parsed.positionals.length > 0)
    throw new UsageError(`run: put the command after --, not before it: ${parsed.positionals.join(' ')}`);
  const v = parsed.values;
  return {
    name: 'run',
    command: rest.slice(split + 1),
    runName: v.name as string | undefined,
    runsDir: v['runs-dir'] as string | undefined,
    watch: (v.watch as string[] | undefined) ?? [],
    attach: v.attach === true,
  };
}

type Spec = Record<string, { type: 'boolean' | 'string'; multiple?: boolean }>;

function parse(args: string[], options: Spec) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(String((err as Error).message).split('. ')[0]);
  }
}

function one(name: string, operands: string[]): string {
  if (operands.length !== 1)
    throw new UsageError(`${name} takes one RUN (a run's folder or its launch's folder)`);
  return operands[0];
}

function seconds(option: string, value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new UsageError(`${option} needs seconds, got '${value}'`);
  return n;
}
