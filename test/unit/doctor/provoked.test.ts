// The doctor over real runs of our trainer, each provoked to show one problem, read
// the way `grpo-lens doctor` reads them (discovery, the run's source, a session).
import * as assert from 'assert';
import * as path from 'path';
import type { Finding, FindingId } from '../../../src/doctor/finding';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { examine, listed, shippedConfig, train, trainerAvailable } from './trainerRuns';

function errorsOtherThan(findings: Finding[], ...allowed: FindingId[]): Finding[] {
  return findings.filter((f) => f.severity === 'error' && !allowed.includes(f.id));
}

describe('run doctor on real runs of the built-in trainer', function () {
  this.timeout(900_000);
  let root: string;
  const base = () => ({ ...shippedConfig('tiny-test'), checkpoint_every: 0, log_token_details: false });

  before(function () {
    if (!trainerAvailable()) this.skip(); // reported as pending: no PyTorch for the trainer here
    root = makeTempDir('grpo-lens-doctor-');
  });
  after(() => root && removeDir(root));

  it('a constant reward: no-learning-signal (error) and zero-std-groups, nothing else at error', async () => {
    const rewards = [{ name: 'constant', function: 'doctor_rewards:constant' }];
    const found = await examine(train(root, 'constant', { ...base(), max_steps: 30, rewards }));
    const [none] = found.filter((f) => f.id === 'no-learning-signal');
    assert.ok(none, listed(found));
    assert.deepStrictEqual([none.severity, none.steps], ['error', [1, 30]]);
    assert.ok(
      found.some((f) => f.id === 'zero-std-groups'),
      listed(found),
    );
    assert.deepStrictEqual(errorsOtherThan(found, 'no-learning-signal'), []);
  });

  it('max_completion_length 1: truncation, no error', async () => {
    const found = await examine(train(root, 'short', { ...base(), max_steps: 30, max_completion_length: 1 }));
    const [cut] = found.filter((f) => f.id === 'truncation');
    assert.ok(cut, listed(found));
    assert.match(cut.message, /^100% of completions hit max_completion_length/);
    assert.ok(cut.groups && cut.groups.length > 0, 'the groups with cut completions are named');
    assert.deepStrictEqual(errorsOtherThan(found), []);
  });

  it('a reward that pays for length: length-drift with the reward, no error', async () => {
    const rewards = [{ name: 'length', function: 'doctor_rewards:length' }];
    const config = { ...base(), max_steps: 80, max_completion_length: 16, learning_rate: 0.0003, rewards };
    const found = await examine(train(root, 'length', config));
    const [drift] = found.filter((f) => f.id === 'length-drift');
    assert.ok(drift, listed(found));
    assert.match(drift.message, /^Completion length grew from [\d.]+ to [\d.]+ tokens/);
    assert.ok(Number(drift.evidence.length_reward_correlation) >= 0.5);
    assert.deepStrictEqual(errorsOtherThan(found), []);
  });

  it('a reward function that starts returning NaN: non-finite (error), nothing else at error', async () => {
    const rewards = [
      { name: 'accuracy', weight: 1 },
      { name: 'flaky', function: 'doctor_rewards:nan_later', weight: 1 },
    ];
    const found = await examine(train(root, 'nan', { ...base(), max_steps: 60, rewards }));
    const [bad] = found.filter((f) => f.id === 'non-finite');
    assert.ok(bad, listed(found));
    assert.strictEqual(bad.severity, 'error');
    assert.match(bad.message, /returned NaN/);
    assert.deepStrictEqual(errorsOtherThan(found, 'non-finite'), []);
  });

  it('a resume with a learning rate 5000 times higher: resume-discontinuity on lr and kl-spike', async () => {
    const dir = train(root, 'diverge', { ...base(), max_steps: 60, checkpoint_every: 50 });
    train(
      root,
      'diverge',
      { ...base(), max_steps: 80, learning_rate: 5 },
      path.join(dir, 'checkpoints', 'step-000050'),
    );
    const found = await examine(dir);
    const [jump] = found.filter((f) => f.id === 'resume-discontinuity');
    assert.ok(jump, listed(found));
    assert.deepStrictEqual([jump.evidence.metric, jump.steps], ['lr', [51, 51]]);
    const [spike] = found.filter((f) => f.id === 'kl-spike');
    assert.ok(spike && spike.steps[0] > 51, listed(found));
    // the policy collapses onto one completion, so every group loses its spread: that error is this run's
    assert.deepStrictEqual(errorsOtherThan(found, 'no-learning-signal'), []);
  });

  it("the test config's full run learns to agree instead of to add: reward-hacking, entropy collapse, truncation", async () => {
    // tiny-test's 200 steps: accuracy goes to 0 while self_consistency (all completions
    // alike) rises to 1, entropy falls from 1.7 to 0.15 and every completion runs to the limit
    const found = await examine(train(root, 'tiny-test', base()));
    const ids = found.map((f) => f.id);
    for (const id of ['reward-hacking', 'entropy-collapse', 'truncation', 'mode-collapse'] as FindingId[])
      assert.ok(ids.includes(id), `${id} expected:\n${listed(found)}`);
    const [hack] = found.filter((f) => f.id === 'reward-hacking');
    assert.deepStrictEqual([hack.evidence.component, hack.evidence.rising], ['accuracy', 'self_consistency']);
    assert.deepStrictEqual(errorsOtherThan(found), []);
  });

  it("healthy runs give nothing above info: the test config's first 60 steps, the demo config's whole run", async () => {
    const test = await examine(train(root, 'healthy-test', { ...base(), max_steps: 60 }));
    assert.deepStrictEqual(
      test.filter((f) => f.severity !== 'info'),
      [],
      listed(test),
    );
    const demo = {
      ...shippedConfig('tiny-demo'),
      checkpoint_every: 0,
      log_token_details: false,
    };
    const found = await examine(train(root, 'healthy-demo', demo));
    assert.deepStrictEqual(
      found.filter((f) => f.severity !== 'info'),
      [],
      listed(found),
    );
  });
});
