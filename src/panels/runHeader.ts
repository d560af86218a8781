// The header a panel shows: state, step/total and an ETA from recent step times. Pure.
import type { RunHeader } from '../contract/messages';
import type { MetricRow, RunSummary } from '../runs/model';
import { canCheckpointOnRequest } from '../runs/checkpointOnRequest';
import { isActiveState } from '../runs/summary';
import { runLabel } from '../views/runLabel';

/** Seconds per step over the last rows that carry a time, or undefined. */
export function secondsPerStep(rows: MetricRow[], lookback = 50): number | undefined {
  const timed = rows.filter((r) => typeof r.time === 'number').slice(-lookback);
  if (timed.length < 2) return undefined;
  const first = timed[0];
  const last = timed[timed.length - 1];
  const steps = last.step - first.step;
  const seconds = (last.time as number) - (first.time as number);
  return steps > 0 && seconds >= 0 ? seconds / steps : undefined;
}

export function toRunHeader(summary: RunSummary, recent: MetricRow[]): RunHeader {
  const header: RunHeader = {
    runId: summary.id,
    name: runLabel(summary), // as the tree and the panel title call it, in visible form
    state: summary.state,
    step: summary.step,
    totalSteps: summary.totalSteps,
    error: summary.error,
    source: summary.source === 'grpo-lens' ? undefined : summary.sourceLabel,
    controllable: summary.capabilities.control,
    checkpointable: canCheckpointOnRequest(summary),
    problems: summary.problems.length > 0 ? summary.problems : undefined,
  };
  const warmupSteps = (summary.config?.warm_start as { steps?: unknown } | undefined)?.steps;
  if (summary.step === 0 && summary.warmupStep !== undefined && isActiveState(summary.state)) {
    header.warmup = {
      step: summary.warmupStep,
      steps: typeof warmupSteps === 'number' ? warmupSteps : undefined,
    };
  }
  const perStep = secondsPerStep(recent);
  const live = summary.state === 'running' || summary.state === 'starting';
  if (live && perStep !== undefined && summary.totalSteps !== undefined) {
    header.etaSeconds = Math.max(0, (summary.totalSteps - summary.step) * perStep);
  }
  return header;
}
