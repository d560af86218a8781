// TRL's metric names (trl/trainer/grpo_trainer.py, GRPOTrainer._metrics and log())
// mapped onto our canonical names (docs/run-format.md). TRL's names are the canonical
// ones where they mean the same thing, so most keys pass through unchanged; this table
// lists the few that differ, old names (TRL < 0.19, Unsloth) included.
//
// Keys reach us three ways: trainer_state.json's log_history (`reward`, eval rows as
// `eval_reward`), and TensorBoard tags written by transformers' TensorBoardCallback
// (`train/reward`, `eval/reward`). All three map to the same canonical name.
import type { MetricRow } from '../../model';
import { canonicalRow, type NameTable, type PrefixRules } from '../canonicalNames';

/** TRL name -> canonical name. The current name is listed before an old one, so it wins when both are logged. */
const RENAMED: Readonly<Record<string, string>> = {
  // Unsloth's patched compute_loss still logs `completion_length` next to TRL's name.
  'completions/mean_length': 'completions/mean_length',
  completion_length: 'completions/mean_length',
  // TRL < 0.19 logged one clip ratio: the fraction of tokens clipped either way.
  'clip_ratio/region_mean': 'clip_ratio/region_mean',
  clip_ratio: 'clip_ratio/region_mean',
  learning_rate: 'lr',
  // Seconds per optimizer step, generation included (GRPOTrainer.training_step).
  step_time: 'timing/step_s',
};

function withSpellings(table: Readonly<Record<string, string>>): NameTable {
  const out: Record<string, string> = {};
  for (const [name, canonical] of Object.entries(table)) out[name] = canonical;
  for (const [name, canonical] of Object.entries(table)) out[`train/${name}`] = canonical;
  for (const [name, canonical] of Object.entries(table)) out[`eval_${name}`] = `eval/${canonical}`;
  for (const [name, canonical] of Object.entries(table)) out[`eval/${name}`] = `eval/${canonical}`;
  return out;
}

export const TRL_NAMES: NameTable = withSpellings(RENAMED);

/** TensorBoard tags carry `train/`; log_history's eval rows carry `eval_`. Eval metrics stay apart as `eval/...`. */
export const TRL_PREFIXES: PrefixRules = [
  ['train/', ''],
  ['eval_', 'eval/'],
];

/** Keys of the train summary transformers logs once at the end (Trainer.train): not a step's metrics. */
const TRAIN_SUMMARY = new Set([
  'train_runtime',
  'train_samples_per_second',
  'train_steps_per_second',
  'train_loss',
  'total_flos',
]);

/** Keys that say where a row is, not what was measured. */
const POSITION = new Set(['step', 'time', 'epoch']);

/** TRL < 0.19 logged `rewards/<func>` for what is now `rewards/<func>/mean`. */
const OLD_REWARD = /^(eval\/)?rewards\/[^/]+$/;

/**
 * Finishes a canonical row: old reward names renamed, the train summary dropped.
 * Undefined when nothing measured is left (the summary row, an empty record).
 */
export function finishTrlRow(row: MetricRow): MetricRow | undefined {
  const out: MetricRow = { step: row.step };
  let measured = false;
  for (const [name, value] of Object.entries(row)) {
    if (TRAIN_SUMMARY.has(name) || value === undefined) continue;
    const canonical = OLD_REWARD.test(name) ? `${name}/mean` : name;
    if (canonical !== name && row[canonical] !== undefined) continue;
    out[canonical] = value;
    if (!POSITION.has(name)) measured = true;
  }
  return measured ? out : undefined;
}

/** One log_history entry as a canonical row; undefined for the train summary and entries without a step. */
export function historyRow(entry: Record<string, unknown>): MetricRow | undefined {
  const step = entry.step;
  if (typeof step !== 'number' || !Number.isFinite(step)) return undefined;
  if ('train_runtime' in entry) return undefined;
  const values = { ...entry };
  delete values.step;
  return finishTrlRow(canonicalRow(step, values, TRL_NAMES, TRL_PREFIXES));
}
