// A run as one row of the table: its summary, the config keys of configKeys.ts, the
// summary metrics (from its stats once read, its latest values until then), its tags
// and note. A run whose config could not be read still has a row with what is known. Pure.
import type { MetricSummary, RunsTableRow } from '../contract/messages';
import type { RunSummary } from '../runs/model';
import type { RunNotes } from '../runs/notes';
import { isActiveState } from '../runs/summary';
import type { Finding } from '../doctor/finding';
import { worstSeverity } from '../doctor/vscode/findingsHub';
import { isSummaryMetric } from './columns';
import { CONFIG_KEYS, configCell } from './configKeys';
import { bestDirection, type RunStats } from './stats';

/** Notes travel to the webview cut: the table shows a line and searches the start. */
const NOTE_CHARS = 2000;

export interface RowOptions {
  meanOf: number;
  extraMetrics: readonly string[];
  extraConfig: readonly string[];
  now: number;
  /** The run doctor's findings on the run. */
  findings?: Finding[];
}

/** Which metrics a run's stats follow: the summary metrics and those the user added. */
export function trackedMetric(extraMetrics: readonly string[]): (name: string) => boolean {
  return (name) => isSummaryMetric(name) || extraMetrics.includes(name);
}

export function tableRow(
  run: RunSummary,
  stats: RunStats | undefined,
  notes: RunNotes | undefined,
  options: RowOptions,
): RunsTableRow {
  const config: RunsTableRow['config'] = {};
  for (const key of [...CONFIG_KEYS.map((k) => k.key), ...options.extraConfig]) {
    const value = configCell(run.config, key);
    if (value !== undefined) config[key] = value;
  }
  return {
    id: run.id,
    name: run.name,
    source: run.sourceLabel,
    state: run.state,
    created: run.startedAt,
    duration: durationOf(run, options.now),
    step: run.step,
    totalSteps: run.totalSteps,
    config,
    metrics: metricsOf(run, stats, options),
    statsPending: stats === undefined ? true : undefined,
    tags: notes?.tags ?? [],
    note: (notes?.note ?? '').slice(0, NOTE_CHARS),
    problems: [...run.problems, ...(notes?.problem ? [notes.problem] : [])],
    findings: options.findings?.length ?? 0,
    findingsSeverity: worstSeverity(options.findings ?? []),
    hasLog: run.source === 'grpo-lens',
    deletable: run.source === 'grpo-lens' && !isActiveState(run.state),
  };
}

function durationOf(run: RunSummary, now: number): number | undefined {
  if (run.startedAt === undefined) return undefined;
  const end = isActiveState(run.state) ? now : (run.updatedAt ?? undefined);
  return end !== undefined && end >= run.startedAt ? (end - run.startedAt) / 1000 : undefined;
}

function metricsOf(
  run: RunSummary,
  stats: RunStats | undefined,
  options: RowOptions,
): Record<string, MetricSummary> {
  const tracked = trackedMetric(options.extraMetrics);
  const out: Record<string, MetricSummary> = {};
  for (const [name, value] of Object.entries(run.latest)) if (tracked(name)) out[name] = { last: value };
  if (!stats) return out;
  for (const name of stats.metrics()) {
    const s = stats.stats(name, options.meanOf);
    // The summary's latest value may be newer than stats read a moment ago.
    const last = run.latest[name] ?? s.last;
    out[name] = { last, best: betterOf(name, s.best, last), mean: s.mean };
  }
  return out;
}

function betterOf(metric: string, a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined) return a ?? b;
  return bestDirection(metric) === 'max' ? Math.max(a, b) : Math.min(a, b);
}
