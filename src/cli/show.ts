// `grpo-lens show RUN`: one run's state, config, latest metrics and what could not be read.
import type { RunSummary } from '../runs/model';
import { columns, num, shown } from './text';

/** What ls and show both say about a run, under the names of the JSON output. */
export interface RunHeading {
  source: string;
  name: string;
  state: string;
  step: number;
  total_steps: number | null;
}

export interface ShownRun extends RunHeading {
  config: Record<string, unknown> | null;
  metrics: Record<string, number>;
  bad_lines: Record<string, number>;
  problems: string[];
}

export function runHeading(s: RunSummary): RunHeading {
  return { source: s.source, name: s.name, state: s.state, step: s.step, total_steps: s.totalSteps ?? null };
}

export function shownRun(s: RunSummary): ShownRun {
  return {
    ...runHeading(s),
    config: s.config ?? null,
    metrics: latestMetrics(s),
    bad_lines: s.badLines,
    problems: s.problems,
  };
}

/** A row's step and wall time say when, not what: they are not metrics. */
const NOT_METRICS = new Set(['step', 'time']);

/** The latest value of every metric, by name. */
function latestMetrics(s: RunSummary): Record<string, number> {
  const metrics: Record<string, number> = {};
  for (const name of Object.keys(s.latest).sort()) if (!NOT_METRICS.has(name)) metrics[name] = s.latest[name];
  return metrics;
}

export function runAsText(s: RunSummary): string {
  const run = shownRun(s);
  const lines = [
    `${shown(run.name)} (${s.sourceLabel})`,
    `  folder   ${shown(s.dir)}`,
    `  state    ${run.state}${s.error ? `: ${shown(s.error)}` : ''}`,
    `  step     ${run.total_steps === null ? run.step : `${run.step}/${run.total_steps}`}`,
  ];
  if (s.updatedAt !== undefined) lines.push(`  updated  ${new Date(s.updatedAt).toISOString()}`);
  const metrics = Object.entries(run.metrics);
  if (metrics.length > 0) {
    lines.push(
      '',
      'latest metrics:',
      columns(metrics.map(([name, value]) => [`  ${shown(name)}`, num(value)])),
    );
  }
  if (run.config) lines.push('', 'config:', ...configLines(run.config));
  const bad = Object.entries(run.bad_lines).filter(([, n]) => n > 0);
  if (bad.length > 0)
    lines.push('', 'unreadable lines:', ...bad.map(([file, n]) => `  ${shown(file)}: ${n}`));
  if (run.problems.length > 0) lines.push('', 'problems:', ...run.problems.map((p) => `  ${shown(p)}`));
  return lines.join('\n');
}

/** Config as indented JSON: nested values stay readable, strings stay quoted. */
function configLines(config: Record<string, unknown>): string[] {
  return shown(JSON.stringify(config, null, 2))
    .split('\n')
    .map((line) => `  ${line}`);
}
