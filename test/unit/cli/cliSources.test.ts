// grpo-lens over other trainers' runs, written the way those trainers write them:
// ls, show, metrics and samples through the same sources the extension uses.
import * as assert from 'assert';
import * as path from 'path';
import { makeTempDir, removeDir } from '../runs/tempDir';
import * as fs from 'fs';
import { EventFileWriter } from '../../fixtures/writers/tfevents';
import { TrlRunWriter } from '../../fixtures/writers/trlRun';
import { TrackioWriter } from '../sources/trackio/writer';
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

  it('TRL: show and samples of an output_dir, while its next completions file is still being written', () => {
    const dir = path.join(root, 'outputs', 'qwen');
    const writer = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 10,
      saveSteps: 1,
    });
    writer.steps(3);
    const torn = path.join(dir, 'completions', 'completions_00004.parquet');
    fs.writeFileSync(torn, fs.readFileSync(writer.completionsFile(3)).subarray(0, 100));
    const show = runCli(['show', dir, '--json'], root);
    assert.strictEqual(show.code, 0, show.stderr);
    const shown = JSON.parse(show.stdout) as { source: string; step: number; total_steps: number };
    assert.deepStrictEqual([shown.source, shown.step, shown.total_steps], ['trl', 3, 10]);
    const samples = JSON.parse(runCli(['samples', dir, '--step', '3', '--json'], root).stdout) as {
      groups: { completions: { rewards: Record<string, number> }[] }[];
    };
    assert.strictEqual(samples.groups.length, 2);
    assert.deepStrictEqual(Object.keys(samples.groups[0].completions[0].rewards), ['accuracy_reward']);
  });

  it('Trackio: a run is named by `<db>#<run>`; its metrics come from the database while Trackio writes it', async () => {
    const folder = path.join(root, 'trackio');
    fs.mkdirSync(folder);
    const writer = await TrackioWriter.start(folder);
    try {
      await writer.log('grpo-1', [1, 2]);
      const listed = JSON.parse(runCli(['ls', '--json'], root).stdout) as { id: string; source: string }[];
      assert.deepStrictEqual(
        listed.map((r) => [r.source, r.id]),
        [['trackio', `${writer.db}#grpo-1`]],
      );
      const metrics = JSON.parse(
        runCli(['metrics', `${writer.db}#grpo-1`, '--keys', 'reward', '--json'], root).stdout,
      );
      assert.deepStrictEqual(metrics.steps, [1, 2]);
    } finally {
      await writer.close();
    }
  });

  it('TensorBoard: a logdir of scalars; a corrupt record is counted in show', () => {
    const writer = new EventFileWriter(path.join(root, 'tb', 'run1'));
    writer.addScalar('train/loss', 0.5, 1).addScalar('train/loss', 0.25, 2);
    writer.addCorrupt(new Uint8Array([1, 2, 3, 4]));
    writer.addScalar('train/loss', 0.125, 3);
    const shown = JSON.parse(runCli(['show', path.join(root, 'tb', 'run1'), '--json'], root).stdout) as {
      source: string;
      step: number;
      metrics: Record<string, number>;
      bad_lines: Record<string, number>;
    };
    assert.strictEqual(shown.source, 'tensorboard');
    assert.strictEqual(shown.step, 3);
    assert.strictEqual(shown.metrics.loss, 0.125);
    assert.strictEqual(
      Object.values(shown.bad_lines).reduce((a, b) => a + b, 0),
      1,
    );
  });
});
