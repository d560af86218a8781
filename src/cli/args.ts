// The command line's words: which command, its operands and options, parsed with
// node's util.parseArgs. A mistake in them is a UsageError (exit code 2).
import { parseArgs } from 'util';
import { LAUNCH_COMMANDS, LAUNCH_USAGE, parseLaunchCommand, type LaunchCommand } from './launchArgs';

/** Something the user asked for that cannot be done: one line on stderr, exit code 2. */
export class UsageError extends Error {}

export const USAGE = `Usage: grpo-lens <command> [options]

Reads GRPO runs (GRPO Lens, and every other trainer GRPO Lens can read) from disk.

Commands:
  ls [DIR...] [--json]            runs found under each DIR (default: the current folder, 3 levels down)
  show RUN [--json]               a run's state, config, latest metrics and problems
  metrics RUN [--keys a,b] [--json]
                                  every step's metrics (resumed steps counted once); text is TSV
  samples RUN [--step N] [--json] one step's sample groups (default: the latest step with samples)
  doctor RUN [--json] [--fail-on warning|error]
                                  what is going wrong in the run, why, and what to try; exit code 1
                                  when a finding at or above --fail-on (default error) holds

${LAUNCH_USAGE}
RUN is a run's folder, or a run's id as \`grpo-lens ls --json\` prints it.
Options:
  --json        print JSON instead of text
  -h, --help    print this help
`;

interface OptionSpec {
  type: 'boolean' | 'string';
  short?: string;
}

const JSON_OPTION: Record<string, OptionSpec> = { json: { type: 'boolean' } };

/** Each command's options and how many operands it takes (max undefined: any number). */
const COMMANDS: Record<string, { options: Record<string, OptionSpec>; min: number; max?: number }> = {
  ls: { options: JSON_OPTION, min: 0 },
  show: { options: JSON_OPTION, min: 1, max: 1 },
  metrics: { options: { ...JSON_OPTION, keys: { type: 'string' } }, min: 1, max: 1 },
  samples: { options: { ...JSON_OPTION, step: { type: 'string' } }, min: 1, max: 1 },
  doctor: { options: { ...JSON_OPTION, 'fail-on': { type: 'string' } }, min: 1, max: 1 },
};

export type Command =
  | { name: 'help' }
  | { name: 'ls'; dirs: string[]; json: boolean }
  | { name: 'show'; run: string; json: boolean }
  | { name: 'metrics'; run: string; json: boolean; keys?: string[] }
  | { name: 'samples'; run: string; json: boolean; step?: number }
  | { name: 'doctor'; run: string; json: boolean; failOn: 'warning' | 'error' }
  | LaunchCommand;

export function parseCommand(argv: string[]): Command {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') return { name: 'help' };
  if (LAUNCH_COMMANDS.has(name)) return parseLaunchCommand(name, rest);
  const spec = COMMANDS[name];
  if (!spec)
    throw new UsageError(`unknown command '${name}' (commands: ${Object.keys(COMMANDS).join(', ')})`);
  const parsed = parseOrExplain(rest, { ...spec.options, help: { type: 'boolean', short: 'h' } });
  if (parsed.values.help) return { name: 'help' };
  const operands = parsed.positionals;
  const json = parsed.values.json === true;
  if (operands.length < spec.min) throw new UsageError(`${name} needs a RUN (a run's folder or id)`);
  if (spec.max !== undefined && operands.length > spec.max)
    throw new UsageError(`${name} takes one RUN, got ${operands.length}: ${operands.join(' ')}`);
  switch (name) {
    case 'ls':
      return { name, dirs: operands, json };
    case 'show':
      return { name, run: operands[0], json };
    case 'metrics':
      return { name, run: operands[0], json, keys: keyList(parsed.values.keys) };
    case 'doctor':
      return { name, run: operands[0], json, failOn: failOnLevel(parsed.values['fail-on']) };
    default:
      return { name: 'samples', run: operands[0], json, step: stepNumber(parsed.values.step) };
  }
}

function parseOrExplain(args: string[], options: Record<string, OptionSpec>) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    // parseArgs explains unknown options and missing values in one sentence; keep the first.
    throw new UsageError(String((err as Error).message).split('. ')[0]);
  }
}

function keyList(value: string | boolean | undefined): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  const keys = value
    .split(',')
    .map((k) => k.trim())
    .filter(Boolean);
  if (keys.length === 0) throw new UsageError('--keys needs metric names separated by commas');
  return keys;
}

function stepNumber(value: string | boolean | undefined): number | undefined {
  if (typeof value !== 'string') return undefined;
  if (!/^\d+$/.test(value.trim())) throw new UsageError(`--step needs a step number, got '${value}'`);
  return Number(value);
}

function failOnLevel(value: string | boolean | undefined): 'warning' | 'error' {
  if (value === undefined) return 'error';
  if (value === 'warning' || value === 'error') return value;
  throw new UsageError(`--fail-on needs warning or error, got '${String(value)}'`);
}
