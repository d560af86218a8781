import * as assert from 'assert';
import { canonicalRow } from '../../../../src/runs/sources/canonicalNames';
import { TRL_NAMES, TRL_PREFIXES, finishTrlRow, historyRow } from '../../../../src/runs/sources/trl/names';
import { historyRows } from '../../../../src/runs/sources/trl/historyFeed';
import { parsePythonJson } from '../../../../src/runs/sources/trl/pythonJson';
import { parseTrainingArgs } from '../../../../src/runs/sources/trl';

describe('TRL metric names', () => {
  it('keeps current TRL names and renames the few that differ', () => {
    const row = historyRow({
      reward: 0.5,
      'rewards/accuracy_reward/mean': 0.4,
      'rewards/accuracy_reward/std': 0.2,
      'completions/mean_length': 41,
      'clip_ratio/region_mean': 0.03,
      learning_rate: 1e-6,
      step_time: 12.5,
      num_tokens: 1000,
      'sampling/importance_sampling_ratio/mean': 1.01,
      epoch: 0.1,
      step: 3,
    });
    assert.deepStrictEqual(row, {
      step: 3,
      reward: 0.5,
      'rewards/accuracy_reward/mean': 0.4,
      'rewards/accuracy_reward/std': 0.2,
      'completions/mean_length': 41,
      'clip_ratio/region_mean': 0.03,
      lr: 1e-6,
      'timing/step_s': 12.5,
      num_tokens: 1000,
      'sampling/importance_sampling_ratio/mean': 1.01,
      epoch: 0.1,
    });
  });

  it('maps old names (TRL < 0.19) onto the current ones', () => {
    const row = historyRow({
      completion_length: 40,
      'rewards/format_reward': 0.7,
      clip_ratio: 0.02,
      step: 1,
    });
    assert.deepStrictEqual(row, {
      step: 1,
      'completions/mean_length': 40,
      'rewards/format_reward/mean': 0.7,
      'clip_ratio/region_mean': 0.02,
    });
  });

  it("prefers TRL's name when Unsloth logs completion_length next to it, in either order", () => {
    const a = historyRow({ completion_length: 39, 'completions/mean_length': 41, step: 1 });
    const b = historyRow({ 'completions/mean_length': 41, completion_length: 39, step: 1 });
    assert.strictEqual(a?.['completions/mean_length'], 41);
    assert.strictEqual(b?.['completions/mean_length'], 41);
  });

  it('keeps eval metrics apart as eval/..., and the train summary is no step', () => {
    assert.deepStrictEqual(
      historyRow({ eval_reward: 0.6, eval_completion_length: 50, eval_loss: 0.1, step: 10, epoch: 1 }),
      {
        step: 10,
        'eval/reward': 0.6,
        'eval/completions/mean_length': 50,
        'eval/loss': 0.1,
        epoch: 1,
      },
    );
    const summary = {
      train_runtime: 300,
      train_loss: 0.2,
      total_flos: 0,
      train_samples_per_second: 2,
      train_steps_per_second: 0.1,
      epoch: 1,
      step: 10,
    };
    assert.strictEqual(historyRow(summary), undefined);
  });

  it('merges a step’s train and eval entries into one row and drops the summary', () => {
    const rows = historyRows([
      { reward: 0.1, step: 5 },
      { reward: 0.2, step: 10 },
      { eval_reward: 0.3, step: 10 },
      { train_runtime: 9, train_loss: 0.5, step: 10 },
    ]);
    assert.deepStrictEqual(rows, [
      { step: 5, reward: 0.1 },
      { step: 10, reward: 0.2, 'eval/reward': 0.3 },
    ]);
  });

  it('maps TensorBoard tags (train/…, eval/…) like log_history keys', () => {
    const values = {
      'train/reward': 0.5,
      'train/learning_rate': 2e-6,
      'train/completion_length': 33,
      'train/rewards/acc': 1,
      'eval/reward': 0.4,
      'eval/completion_length': 31,
      'train/train_runtime': 100,
    };
    const row = finishTrlRow(canonicalRow(7, values, TRL_NAMES, TRL_PREFIXES));
    assert.deepStrictEqual(row, {
      step: 7,
      reward: 0.5,
      lr: 2e-6,
      'completions/mean_length': 33,
      'rewards/acc/mean': 1,
      'eval/reward': 0.4,
      'eval/completions/mean_length': 31,
    });
  });

  it("reads Python's NaN and Infinity in trainer_state.json as missing values", () => {
    const parsed = parsePythonJson(
      '{"grad_norm": NaN, "kl": Infinity, "x": -Infinity, "note": "NaN stays", "step": 2}',
    );
    assert.deepStrictEqual(parsed, { grad_norm: null, kl: null, x: null, note: 'NaN stays', step: 2 });
    assert.deepStrictEqual(historyRow(parsed as Record<string, unknown>), undefined);
    assert.deepStrictEqual(historyRow({ ...(parsed as object), loss: 1 }), { step: 2, loss: 1 });
  });
});

describe('TRL training arguments from the "args" text summary', () => {
  it('parses TrainingArguments.to_json_string() and refuses anything else', () => {
    const text =
      '{\n  "output_dir": "out",\n  "num_generations": 8,\n  "reward_weights": [\n    1.0,\n    0.5\n  ],\n  "max_grad_norm": NaN\n}';
    assert.deepStrictEqual(parseTrainingArgs(text), {
      output_dir: 'out',
      num_generations: 8,
      reward_weights: [1, 0.5],
      max_grad_norm: null,
    });
    assert.strictEqual(parseTrainingArgs('{"output_dir": "out", "num_gen'), undefined);
    assert.strictEqual(parseTrainingArgs('[1, 2]'), undefined);
    assert.strictEqual(parseTrainingArgs(undefined), undefined);
  });
});
