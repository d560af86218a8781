// The playground's rewards come from the trainer's `score` CLI; its advantages from
// src/grpo/advantages.ts must be the trainer's. Needs /usr/bin/python3 with torch.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { groupAdvantages } from '../../../src/grpo/advantages';
import { scoreWithTrainer } from '../../../src/panels/playgroundScoring';

const ROOT = path.resolve(__dirname, '../../../..');
const PYTHON = process.env.GRPO_LENS_PYTHON ?? '/usr/bin/python3';
const config = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/onnx/run/run.json'), 'utf8')).config;

describe('playground scoring through the trainer CLI', function () {
  this.timeout(60_000);

  it('scores completions with the run config and agrees with the TypeScript advantages', async () => {
    const completions = ['14', '13', '14', 'x', '15'];
    const scored = await scoreWithTrainer({
      python: PYTHON,
      trainerDir: path.join(ROOT, 'trainer'),
      config,
      prompt: '5+9=',
      reference: '14',
      completions,
    });
    assert.strictEqual(scored.rewards.length, 5);
    assert.ok(scored.rewards[0] > scored.rewards[1], 'the right answer earns more');
    assert.ok('accuracy' in scored.components[0]);
    const [ours] = groupAdvantages([scored.rewards], config.scale_rewards);
    ours.forEach((a, i) =>
      assert.ok(Math.abs(a - scored.advantages[i]) < 1e-9, `${a} vs ${scored.advantages[i]}`),
    );
  });

  it('says how to fix a missing interpreter', async () => {
    await assert.rejects(
      scoreWithTrainer({
        python: '/nonexistent/python3',
        trainerDir: path.join(ROOT, 'trainer'),
        config,
        prompt: '1+1=',
        completions: ['2'],
      }),
      /Python was not found at "\/nonexistent\/python3": set grpoLens.pythonPath/,
    );
  });

  it('passes the trainer’s own error on, one line', async () => {
    await assert.rejects(
      scoreWithTrainer({
        python: PYTHON,
        trainerDir: path.join(ROOT, 'trainer'),
        config: { ...config, rewards: [{ name: 'mine', function: 'no_such_module:fn' }] },
        prompt: '1+1=',
        completions: ['2'],
      }),
      (err: Error) => /^Scoring failed/.test(err.message) && !err.message.includes('\n'),
    );
  });

  it('keeps the user’s PYTHONPATH and runs in the config’s folder', async () => {
    // A user reward module found only through the user's PYTHONPATH, that reads a file
    // relative to its working folder: the config folder.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-score-env-'));
    const userLib = path.join(tmp, 'lib');
    const configDir = path.join(tmp, 'project');
    fs.mkdirSync(userLib);
    fs.mkdirSync(configDir);
    fs.writeFileSync(
      path.join(userLib, 'user_rewards.py'),
      'import os\n' +
        'def marker(prompts, completions, references, **kw):\n' +
        '    return [1.0 if os.path.exists("marker.txt") else -1.0 for _ in completions]\n',
    );
    fs.writeFileSync(path.join(configDir, 'marker.txt'), 'here');
    const saved = process.env.PYTHONPATH;
    process.env.PYTHONPATH = userLib;
    try {
      const scored = await scoreWithTrainer({
        python: PYTHON,
        trainerDir: path.join(ROOT, 'trainer'),
        config: {
          ...config,
          config_dir: configDir,
          rewards: [{ name: 'marker', function: 'user_rewards:marker' }],
        },
        prompt: '1+1=',
        completions: ['2', '3'],
      });
      assert.deepStrictEqual(scored.rewards, [1, 1]);
    } finally {
      if (saved === undefined) delete process.env.PYTHONPATH;
      else process.env.PYTHONPATH = saved;
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
