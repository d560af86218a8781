// Reducing what a run directory holds to the summary the tree and status bar show. Pure.
import * as path from 'path';
import type { CheckpointInfo, RunState, RunSummary } from './model';

const KNOWN_STATES: RunState[] = [
  'starting',
  'running',
  'paused',
  'checkpointing',
  'stopping',
  'finished',
  'failed',
  'stopped',
];
const FINAL_STATES: RunState[] = ['finished', 'failed', 'stopped'];

export function isFinalState(state: RunState): boolean {
  return FINAL_STATES.includes(state);
}

/** Whether a run in this state has (or should have) a live process behind it. */
export function isActiveState(state: RunState): boolean {
  return !isFinalState(state) && state !== 'stale' && state !== 'unknown';
}

export interface SummaryInputs {
  dir: string;
  runJson?: Record<string, unknown>;
  status?: Record<string, unknown>;
  latest: Record<string, number>;
  lastMetricStep?: number;
  checkpoints: CheckpointInfo[];
  badLines: Record<string, number>;
  /** Whether the process that status.json names is alive (undefined: no pid). */
  processAlive?: boolean;
  failureMessage?: string;
  /** What could not be read, in words. */
  problems?: string[];
}

/** The run-directory format this GRPO Lens reads; a newer major version is refused. */
export const FORMAT = { name: 'grpo-lens', major: 1 };

/** What is wrong with run.json's format field, if it names a version this reader cannot read. */
export function formatProblem(runJson: Record<string, unknown> | undefined): string | undefined {
  const format = runJson?.format;
  if (typeof format !== 'string') return undefined;
  const match = /^grpo-lens\/(\d+)/.exec(format);
  if (!match)
    return `run.json names an unknown format "${format}" (this GRPO Lens reads ${FORMAT.name}/${FORMAT.major}).`;
  if (Number(match[1]) > FORMAT.major)
    return `run.json is format ${format}, newer than this GRPO Lens reads (${FORMAT.name}/${FORMAT.major}): update GRPO Lens to read it.`;
  return undefined;
}

export function runStateOf(
  status: Record<string, unknown> | undefined,
  processAlive: boolean | undefined,
): RunState {
  const raw = status?.state;
  if (typeof raw !== 'string' || !KNOWN_STATES.includes(raw as RunState)) return 'unknown';
  const state = raw as RunState;
  if (!isFinalState(state) && processAlive === false) return 'stale';
  return state;
}

export function summarize(input: SummaryInputs): RunSummary {
  const status = input.status ?? {};
  const tooNew = formatProblem(input.runJson);
  const problems = [...(tooNew ? [tooNew] : []), ...(input.problems ?? [])];
  const state = tooNew ? 'unknown' : runStateOf(input.status, input.processAlive);
  return {
    id: input.dir,
    dir: input.dir,
    name: runName(input),
    source: 'grpo-lens',
    sourceLabel: 'GRPO Lens',
    capabilities: { control: true, tokenDetails: true, resume: true },
    problems,
    state,
    pid: numberOf(status.pid),
    step: numberOf(status.step) ?? input.lastMetricStep ?? 0,
    totalSteps: numberOf(status.total_steps) ?? numberOf(configOf(input.runJson)?.max_steps),
    latestReward: input.latest.reward,
    latest: input.latest,
    startedAt: timeOf(input.runJson?.started ?? input.runJson?.created ?? status.started),
    updatedAt: timeOf(status.updated),
    lastCheckpoint: stringOf(status.last_checkpoint),
    checkpoints: input.checkpoints,
    error:
      stringOf(status.error) ??
      (state === 'failed' ? input.failureMessage : undefined) ??
      (state === 'unknown' ? problems[0] : undefined),
    badLines: input.badLines,
    config: configOf(input.runJson),
    warmupStep: numberOf(status.warmup_step),
  };
}

function runName(input: SummaryInputs): string {
  const fromRun = stringOf(input.runJson?.name) ?? stringOf(input.runJson?.run_id);
  return fromRun ?? input.dir.split(/[\\/]/).filter(Boolean).pop() ?? input.dir;
}

function configOf(runJson: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  const config = runJson?.config;
  return config !== null && typeof config === 'object' && !Array.isArray(config)
    ? (config as Record<string, unknown>)
    : undefined;
}

function numberOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Times may be epoch seconds, epoch milliseconds or ISO strings; returns epoch ms. */
export function timeOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value < 1e11 ? value * 1000 : value;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? undefined : parsed;
  }
  return undefined;
}

/** checkpoints/step-NNNNNN folder names to checkpoint infos, ascending by step. */
export function checkpointsFromNames(checkpointsDir: string, names: string[]): CheckpointInfo[] {
  const found: CheckpointInfo[] = [];
  for (const name of names) {
    const match = /^step-(\d+)$/.exec(name);
    if (match) found.push({ step: Number(match[1]), path: path.join(checkpointsDir, name) });
  }
  return found.sort((a, b) => a.step - b.step);
}
