// PPO's own metrics (trainer/grpo_lens/ppo.py, docs/run-format.md) reach the dashboard
// under their canonical names, in one chart of their own, from our trainer, verl and OpenRLHF.
import * as assert from 'assert';
import { canonicalName } from '../../../src/runs/sources/canonicalNames';
import { OPENRLHF_NAMES, OPENRLHF_PREFIXES } from '../../../src/runs/sources/openrlhf/names';
import { VERL_NAMES } from '../../../src/runs/sources/verl/names';
import { chartSpecs } from '../../../webview/dashboard/layout';

describe('PPO metrics on the dashboard', () => {
  it('draws value loss, explained variance and the value clip ratio in the critic chart', () => {
    const specs = chartSpecs(['loss', 'value_loss', 'explained_variance', 'value_clip_ratio']);
    const value = specs.find((s) => s.id === 'value');
    assert.deepStrictEqual(
      value?.series.map((s) => [s.name, s.scale]),
      [
        ['value_loss', 'y'],
        ['explained_variance', 'y2'],
        ['value_clip_ratio', 'y2'],
      ],
    );
    assert.deepStrictEqual(
      specs.find((s) => s.id === 'loss')?.series.map((s) => s.name),
      ['loss'],
    );
  });

  it('maps verl’s and OpenRLHF’s critic metrics onto the same names', () => {
    assert.strictEqual(canonicalName('critic/vf_loss', VERL_NAMES), 'value_loss');
    assert.strictEqual(canonicalName('critic/vf_explained_var', VERL_NAMES), 'explained_variance');
    assert.strictEqual(canonicalName('critic/vf_clipfrac', VERL_NAMES), 'value_clip_ratio');
    assert.strictEqual(canonicalName('train/critic_loss', OPENRLHF_NAMES, OPENRLHF_PREFIXES), 'value_loss');
  });
});
