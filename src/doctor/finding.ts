// The run doctor's contract: what a finding is, and the incremental doctor that the
// extension (tree, Problems, dashboard markers, samples filter, notifications) and the
// `grpo-lens doctor` command both use. No `vscode` here: the command line bundles it.
import type { MetricRow, SampleGroup } from '../runs/model';

export type Severity = 'error' | 'warning' | 'info';

export type FindingId =
  | 'non-finite'
  | 'no-learning-signal'
  | 'zero-std-groups'
  | 'truncation'
  | 'kl-spike'
  | 'entropy-collapse'
  | 'mode-collapse'
  | 'reward-hacking'
  | 'length-drift'
  | 'high-clip-ratio'
  | 'grad-spike'
  | 'resume-discontinuity'
  | 'advantage-bias'
  | 'stalled';

/** A sample group the user should look at (samples panel filter "groups named by a finding"). */
export interface GroupRef {
  step: number;
  group: number;
}

export interface Finding {
  id: FindingId;
  severity: Severity;
  /** First and last step where it holds. */
  steps: [number, number];
  /** Steps to mark on the charts (bounded: at most a few dozen, e.g. the worst ones). */
  markSteps: number[];
  /** One line in the user's words, with the numbers: "KL jumped to 4.1 at step 812 (median 0.02)". */
  message: string;
  /** Why it matters, a sentence or two. */
  why: string;
  /** What to try, a sentence or two. */
  tryThis: string;
  /** The numbers behind it (JSON-safe: finite numbers or strings). */
  evidence: Record<string, number | string>;
  /** Canonical metric names of the charts concerned (docs/run-format.md), e.g. ["kl"]. */
  metrics: string[];
  /** For sample-based findings: the groups to look at (bounded). */
  groups?: GroupRef[];
}

/** Thresholds; every field has a default (docs/doctor.md says why) and a setting. */
export type DoctorThresholds = Record<string, number>;

/**
 * One run's doctor, fed incrementally. Each call costs a bounded amount whatever the
 * run's length: the doctor keeps rolling windows and counters, never the whole run.
 */
export interface RunDoctor {
  /** Metric rows in step order. `supersededFrom`: a resume replaced every step >= it. */
  addMetrics(rows: MetricRow[], supersededFrom?: number): void;
  /** Sample groups of one or more steps (any subset of the run's sample steps). */
  addSamples(groups: SampleGroup[]): void;
  /** Lifecycle events of our trainer (resumed, checkpoint…), raw objects from events.jsonl. */
  addEvents(events: Record<string, unknown>[]): void;
  /**
   * For a running run: `lastWriteMs` is when it last wrote anything, `nowMs` now.
   * Feeds `stalled` (compared with the run's usual step time).
   */
  checkLiveness(running: boolean, lastWriteMs: number | undefined, nowMs: number): void;
  /** Current findings, errors first, then by first step. */
  findings(): Finding[];
}
