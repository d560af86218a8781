// Trackio's metric names -> ours. Trackio keeps whatever the trainer logged. TRL reports
// to Trackio through transformers' TrackioCallback (integrations/integration_utils.py),
// which renames every key with rewrite_logs (`loss` -> `train/loss`, `eval_loss` ->
// `eval/loss`) and adds `train/global_step`; the names after `train/` are TRL's own
// (GRPOTrainer: reward, reward_std, kl, completions/mean_length…), which are ours.
import type { MetricRow } from '../../model';
import { canonicalRow, type NameTable, type PrefixRules } from '../canonicalNames';

export const TRACKIO_NAMES: NameTable = {
  'train/learning_rate': 'lr',
  learning_rate: 'lr',
};

/** `train/<TRL name>` is the TRL name; eval/ and test/ keep their prefix. */
export const TRACKIO_PREFIXES: PrefixRules = [['train/', '']];

/** The trainer's step: Trackio numbers every log call, TRL's step is train/global_step. */
export const GLOBAL_STEP = 'train/global_step';

/** One stored metrics record as a canonical row ("NaN"/"Infinity" strings are left out). */
export function trackioRow(
  trackioStep: number,
  values: Record<string, unknown>,
  timestamp?: unknown,
): MetricRow {
  const globalStep = values[GLOBAL_STEP];
  const step = typeof globalStep === 'number' ? globalStep : trackioStep;
  const rest = { ...values };
  delete rest[GLOBAL_STEP];
  return canonicalRow(step, rest, TRACKIO_NAMES, TRACKIO_PREFIXES, isoSeconds(timestamp));
}

/** Trackio's timestamps are `datetime.now(timezone.utc).isoformat()`. */
export function isoSeconds(timestamp: unknown): number | undefined {
  if (typeof timestamp !== 'string') return undefined;
  const ms = Date.parse(timestamp);
  return Number.isFinite(ms) ? ms / 1000 : undefined;
}
