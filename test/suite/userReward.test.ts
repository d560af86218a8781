// A user's own reward function that misbehaves, in a real run started from VS Code: the
// run fails with a reason that names the function, the step, the group and the prompt, on
// the run (status, tree tooltip) and in the failure notification's text; earlier steps stay.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runEndMessage } from '../../src/views/notifications';
import { runTooltip } from '../../src/views/runItem';
import { startRunUntil, workspaceDir, writeConfigWithUserReward } from './runsHelpers';

/** The tiny test config with one more reward: the user's, which returns +inf from step 3 on. */
function writeConfig(folder: string): string {
  const code = [
    'calls = 0',
    '',
    '',
    'def reward(prompts, completions, references):',
    '    global calls',
    '    calls += 1',
    '    # two groups a step: the fifth call is step 3, group 0',
    "    return [float('inf') if calls >= 5 else 0.5 for _ in completions]",
    '',
  ].join('\n');
  const reward = { name: 'flaky', entry: 'flaky_reward:reward', weight: 0.5, module: 'flaky_reward', code };
  return writeConfigWithUserReward(folder, 'flaky', reward);
}

describe('a user reward function that misbehaves (extension host)', function () {
  this.timeout(180_000);

  it('fails the run with a reason that says which function, where, and what it returned', async () => {
    const config = writeConfig(path.join(workspaceDir(), 'flaky'));
    const { runDir, run } = await startRunUntil(config, ['failed'], 150_000);
    const reason =
      /^reward 'flaky' \(flaky_reward:reward\) returned inf for completion 1 of 4 at step 3, group 0, prompt '.+'$/;
    assert.match(run.error ?? '', reason);
    const status = JSON.parse(fs.readFileSync(path.join(runDir, 'status.json'), 'utf8')) as {
      error?: string;
    };
    assert.match(status.error ?? '', reason);
    assert.match(runTooltip(run).value, /flaky\\_reward:reward/, 'the tree tooltip says it');
    assert.match(
      runEndMessage(run),
      /failed: reward 'flaky' \(flaky_reward:reward\) returned inf .* at step 3/,
    );
    const steps = fs
      .readFileSync(path.join(runDir, 'metrics.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"step"'))
      .map((l) => (JSON.parse(l) as { step: number }).step);
    assert.deepStrictEqual(steps, [1, 2], 'steps before the failure are kept, none after');
  });
});
