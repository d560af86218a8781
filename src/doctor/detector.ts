// What every detector is: fed the run a piece at a time, each piece costing a bounded
// amount, and able to forget what a resume replaced. doctor.ts feeds them all.
import type { MetricRow, SampleGroup } from '../runs/model';
import type { DoctorThresholds, Finding, FindingId, Severity } from './finding';
import type { Occurrence, Values } from './occurrence';

export interface Detector {
  /** One current metric row, in step order. */
  onRow?(row: MetricRow): void;
  /** The sample groups of one step. */
  onSamples?(step: number, groups: SampleGroup[]): void;
  /** One lifecycle event (raw, from events.jsonl). */
  onEvent?(event: Record<string, unknown>): void;
  onLiveness?(running: boolean, lastWriteMs: number | undefined, nowMs: number): void;
  /** A resume replaced every step >= `step`. */
  dropFrom(step: number): void;
  findings(): Finding[];
}

export type DetectorFactory = (t: DoctorThresholds) => Detector;

/** The words of a finding; the steps, marks and groups come from its occurrence. */
export interface Words {
  message: string;
  why: string;
  tryThis: string;
  evidence: Values;
  metrics: string[];
}

export function findingOf(id: FindingId, severity: Severity, where: Occurrence, words: Words): Finding {
  const finding: Finding = {
    id,
    severity,
    steps: [where.first, where.last],
    markSteps: where.markSteps(),
    message: words.message,
    why: words.why,
    tryThis: words.tryThis,
    evidence: jsonSafe({ ...words.evidence, steps_held: where.count }),
    metrics: words.metrics,
  };
  const groups = where.groups();
  if (groups.length > 0) finding.groups = groups;
  return finding;
}

/** Evidence holds finite numbers or strings only (it is printed as JSON). */
function jsonSafe(values: Values): Values {
  const safe: Values = {};
  for (const [k, v] of Object.entries(values)) {
    if (typeof v === 'string') safe[k] = v;
    else if (Number.isFinite(v)) safe[k] = v;
    else safe[k] = String(v);
  }
  return safe;
}

/** A finite number logged under `name` in this row, or undefined (foreign runs lack many). */
export function metric(row: MetricRow, name: string): number | undefined {
  const value = row[name];
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}
