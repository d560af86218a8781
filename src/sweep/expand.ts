// Turning a sweep into run configs: the base config with each combination of the grid
// (or each item of "runs") set into it, every key checked against the trainer's schema
// first, so that a bad sweep is refused before anything is queued. Pure: reading the
// base config is the caller's (readText).
import * as path from 'path';
import { checkConfigText, type ConfigProblem } from '../trainer/configValidation';
import { setDotted, unknownKeyReason } from './dottedKeys';
import { at, readSweepText, type SweepFile, type SweepOverride } from './sweepFile';

export const SWEEP_SUFFIX = '.sweep.json';

export interface SweepRun {
  /** 1-based position in the sweep. */
  index: number;
  name: string;
  overrides: { key: string; value: unknown }[];
  /** The base config with the overrides set; the run's config file is this, as JSON. */
  config: Record<string, unknown>;
}

export interface SweepExpansion {
  name: string;
  /** Absolute path of the base config. */
  basePath?: string;
  maxParallel?: number;
  runs: SweepRun[];
  /** Anything here means: queue nothing. */
  problems: ConfigProblem[];
}

export interface SweepInput {
  text: string;
  sweepPath: string;
  readText(file: string): string;
  configSchema: object;
}

export function sweepNameOf(sweepPath: string): string {
  const base = path
    .basename(sweepPath)
    .replace(/\.sweep\.jsonc?$/i, '')
    .replace(/\.jsonc?$/i, '');
  return base.replace(/[^A-Za-z0-9_.-]+/g, '-') || 'sweep';
}

export function expandSweep(input: SweepInput): SweepExpansion {
  const { sweep, problems } = readSweepText(input.text);
  const name = sweep?.name ?? sweepNameOf(input.sweepPath);
  if (!sweep) return { name, runs: [], problems };
  problems.push(...unknownKeys(sweep, input.configSchema));
  const base = sweep.base && readBase(sweep.base, input, problems);
  const result = { name, basePath: base?.path, maxParallel: sweep.maxParallel, runs: [], problems };
  if (!base || problems.length > 0) return result;
  const runs = combinations(sweep).map((overrides, i) =>
    makeRun({ sweepName: name, sweep, base, schema: input.configSchema }, overrides, i + 1, problems),
  );
  return problems.length > 0 ? { ...result, problems: onePerPlace(problems) } : { ...result, runs };
}

function unknownKeys(sweep: SweepFile, schema: object): ConfigProblem[] {
  const keys = [
    ...(sweep.grid ?? []).map((g) => ({ key: g.key, keyNode: g.keyNode })),
    ...(sweep.runs ?? []).flat(),
  ];
  return keys.flatMap(({ key, keyNode }) => {
    const reason = unknownKeyReason(key, schema);
    return reason ? [at(keyNode, reason)] : [];
  });
}

function readBase(
  base: NonNullable<SweepFile['base']>,
  input: SweepInput,
  problems: ConfigProblem[],
): { path: string; config: Record<string, unknown> } | undefined {
  const file = path.resolve(path.dirname(input.sweepPath), base.path);
  let text: string;
  try {
    text = input.readText(file);
  } catch (err) {
    problems.push(at(base.node, `Cannot read the base config ${base.path}: ${(err as Error).message}`));
    return undefined;
  }
  const checked = checkConfigText(text, input.configSchema);
  if (checked.config) return { path: file, config: checked.config };
  const first = checked.problems[0]?.message ?? 'it is not valid';
  problems.push(
    at(
      base.node,
      `The base config ${base.path} has ${checked.problems.length} problem(s) (first: ${first}) Fix it first.`,
    ),
  );
  return undefined;
}

/** Grid: every combination, the last key varying fastest. Runs: the items as written. */
function combinations(sweep: SweepFile): SweepOverride[][] {
  if (sweep.runs) return sweep.runs;
  return (sweep.grid ?? []).reduce<SweepOverride[][]>(
    (combos, { values }) => combos.flatMap((combo) => values.map((v) => [...combo, v])),
    [[]],
  );
}

interface RunContext {
  sweepName: string;
  sweep: SweepFile;
  base: { path: string; config: Record<string, unknown> };
  schema: object;
}

function makeRun(
  { sweepName, sweep, base, schema }: RunContext,
  overrides: SweepOverride[],
  index: number,
  problems: ConfigProblem[],
): SweepRun {
  const config = JSON.parse(JSON.stringify(base.config)) as Record<string, unknown>;
  delete config.$schema; // the run's copy lives elsewhere: a relative $schema would not resolve
  for (const o of overrides) {
    const why = setDotted(config, o.key, o.value);
    if (why) problems.push(at(o.keyNode, why));
  }
  absoluteTaskPath(config, path.dirname(base.path));
  const named = overrides.find((o) => o.key === 'name' && typeof o.value === 'string');
  const name = (named?.value as string | undefined) ?? runName(sweepName, sweep.naming, overrides, index);
  config.name = name;
  for (const p of checkConfigText(JSON.stringify(config), schema).problems)
    problems.push(placeProblem(`Run ${name}: ${p.message}`, overrides, sweep));
  return { index, name, overrides: overrides.map(({ key, value }) => ({ key, value })), config };
}

/** The trainer reads task.path relative to the config file; the run's copy is elsewhere. */
function absoluteTaskPath(config: Record<string, unknown>, baseDir: string): void {
  const task = config.task as { path?: unknown } | undefined;
  if (task && typeof task.path === 'string' && !path.isAbsolute(task.path))
    task.path = path.resolve(baseDir, task.path);
}

export function runName(
  sweepName: string,
  naming: SweepFile['naming'],
  overrides: SweepOverride[],
  index: number,
): string {
  if (naming === 'index' || overrides.length === 0) return `${sweepName}-${index}`;
  const parts = overrides.map(
    (o) => `${o.key}=${typeof o.value === 'string' ? o.value : JSON.stringify(o.value)}`,
  );
  return `${sweepName}-${parts.join('-')}`.replace(/[^A-Za-z0-9_.=-]+/g, '-');
}

/** A value the schema refuses is shown on the override that set it, else on "base". */
function placeProblem(message: string, overrides: SweepOverride[], sweep: SweepFile): ConfigProblem {
  const culprit = overrides.find((o) => message.includes(`"${o.key}"`) || message.includes(`"${o.key}.`));
  return at(culprit?.valueNode ?? sweep.base?.node ?? sweep.root, message);
}

/** A bad grid value fails every combination that has it: say so once. */
function onePerPlace(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.offset}:${p.message.replace(/^Run [^:]+: /, '')}`;
    return !seen.has(key) && Boolean(seen.add(key));
  });
}

/** The tags a sweep's run carries: the sweep's name and each override as key=value. */
export function sweepTags(sweepName: string, overrides: { key: string; value: unknown }[]): string[] {
  const value = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  return [`sweep:${sweepName}`, ...overrides.map((o) => `${o.key}=${value(o.value)}`)];
}
