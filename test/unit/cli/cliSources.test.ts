// grpo-lens over other trainers' runs, written the way those trainers write them:
// ls, show, metrics and samples through the same sources the extension uses.
import * as assert from 'assert';
import * as path from 'path';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { steps, writeVerl } from '../sources/verl/verlWriter';
import { ensureBundle, runCli } from './harness';

describe('grpo-lens over other trainers’ runs', function () {
  this.timeout(120_000);
  let root: string;
  before(() => ensureBundle());
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  it('verl: ls, show, metrics and samples (advantages computed, said so); a growing log is followed', () => {
    const file = path.join(root, 'gsm8k', 'exp.jsonl');
    writeVerl(
      { op: 'log', path: file, writer: 'json', lines: steps(1, 3) },
      {
        op: 'dump',
        dir: path.join(root, 'gsm8k', 'rollouts'),
        step: 3,
        inputs: ['q1', 'q1', 'q2', 'q2'],
        outputs: ['right', 'wrong', 'x', 'y'],
        scores: [1, 0, 0.5, 0.5],
      },
    );
    const ls = runCli(['ls', '--json'], root);
    assert.strictEqual(ls.code, 0, ls.stderr);
    const listed = JSON.parse(ls.stdout) as { source: string; name: string; step: number; reward: number }[];
    assert.deepStrictEqual(
      listed.map((r) => [r.source, r.name, r.step, r.reward]),
      [['verl', 'exp', 3, 0.3]],
    );
    const show = JSON.parse(runCli(['show', file, '--json'], root).stdout) as {
      metrics: Record<string, number>;
    };
    assert.strictEqual(show.metrics.reward, 0.3);
    assert.strictEqual(show.metrics.kl, 0.03, 'actor/kl_loss shown as kl');
    assert.strictEqual(show.metrics['timing/generate_s'], 1.5);
    const metrics = JSON.parse(runCli(['metrics', file, '--keys', 'reward', '--json'], root).stdout);
    assert.deepStrictEqual(metrics, { steps: [1, 2, 3], series: { reward: [0.1, 0.2, 0.3] } });
    const samples = JSON.parse(runCli(['samples', file, '--json'], root).stdout) as {
      step: number;
      groups: {
        prompt: string;
        completions: { text: string; advantage: number; advantage_computed: boolean }[];
      }[];
    };
    assert.strictEqual(samples.step, 3);
    const q1 = samples.groups.find((g) => g.prompt === 'q1')!;
    assert.deepStrictEqual(
      q1.completions.map((c) => [c.text, Math.sign(c.advantage), c.advantage_computed]),
      [
        ['right', 1, true],
        ['wrong', -1, true],
      ],
    );
    writeVerl({ op: 'log', path: file, writer: 'json', open: false, lines: steps(4, 4) });
    assert.match(runCli(['ls'], root).stdout, /verl\s+exp\s+\S+\s+step 4/);
  });
});
