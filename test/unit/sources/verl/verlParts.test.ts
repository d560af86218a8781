import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MetricRow } from '../../../../src/runs/model';
import { findVerlRuns, verlParts } from '../../../../src/runs/sources/verl/verl';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { type DumpOp, steps, writeVerl } from './verlWriter';

function dump(dir: string, step: number, scores: number[], acc?: boolean[]): DumpOp {
  return {
    op: 'dump',
    dir,
    step,
    inputs: ['q1', 'q2', 'q1', 'q2'],
    outputs: ['a', 'b', 'c', 'd'],
    scores,
    extra: acc ? { acc } : {},
  };
}

describe('a verl run, live', () => {
  let root: string;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  it('follows new metric lines and new rollout dumps of a running trainer', async () => {
    const file = path.join(root, 'exp.jsonl');
    const rollouts = path.join(root, 'rollouts');
    writeVerl(
      { op: 'log', path: file, writer: 'orjson', lines: steps(1, 2) },
      dump(rollouts, 1, [1, 0, 0, 0]),
    );
    const [run] = await findVerlRuns(root, fs.readdirSync(root));
    const parts = verlParts(run);
    assert.deepStrictEqual(await parts.facts?.(), { name: 'exp', checkpoints: [], mainFile: file });
    assert.deepStrictEqual(parts.capabilities, { control: false, tokenDetails: false, resume: false });
    assert.deepStrictEqual(
      (await parts.metrics.tail(100)).rows.map((r) => r.step),
      [1, 2],
    );
    assert.deepStrictEqual(await parts.samples?.steps(), [1]);
    const before = (await parts.lastWrite()) ?? 0;

    await new Promise((resolve) => setTimeout(resolve, 20));
    writeVerl(dump(rollouts, 2, [1, 1, 0, 1]), {
      op: 'log',
      path: file,
      writer: 'orjson',
      open: false,
      lines: steps(3, 3),
    });
    assert.deepStrictEqual(
      (await parts.metrics.poll()).rows.map((r) => r.step),
      [3],
    );
    assert.deepStrictEqual((await parts.samples?.poll())?.newSteps, [2]);
    const [q1, q2] = (await parts.samples?.at(2)) ?? [];
    assert.deepStrictEqual(
      [q1.prompt, q1.completions.map((c) => c.reward), q2.prompt, q2.completions.map((c) => c.reward)],
      ['q1', [1, 0], 'q2', [1, 1]],
    );
    assert.ok(((await parts.lastWrite()) ?? 0) > before);
  });

  it('gives a folder of dumps alone the reward its dumps hold, per step', async () => {
    writeVerl(dump(root, 1, [1, 0, 0, 0], [true, false, false, false]), dump(root, 2, [1, 1, 0, 1]));
    const [run] = await findVerlRuns(root, fs.readdirSync(root));
    const parts = verlParts(run);
    const tail = await parts.metrics.tail(100);
    // Step 1: groups q1 = [1, 0] and q2 = [0, 0]; step 2: q1 = [1, 0], q2 = [1, 1].
    const std10 = Math.SQRT1_2;
    assert.deepStrictEqual(tail.rows, [
      { step: 1, reward: 0.25, reward_std: std10 / 2, frac_reward_zero_std: 0.5, 'rewards/acc/mean': 0.25 },
      { step: 2, reward: 0.75, reward_std: std10 / 2, frac_reward_zero_std: 0.5 },
    ]);
    assert.deepStrictEqual(await parts.samples?.steps(), [1, 2]);
    writeVerl({ ...dump(root, 3, [0, 0, 0, 0]), first_bytes: 40 });
    assert.deepStrictEqual((await parts.metrics.poll()).rows, []);
    writeVerl(dump(root, 3, [0, 0, 0, 0]));
    assert.deepStrictEqual(
      (await parts.metrics.poll()).rows.map((r: MetricRow) => [r.step, r.reward]),
      [[3, 0]],
    );
    const all: MetricRow[] = [];
    await parts.metrics.readAll((row) => all.push(row));
    assert.deepStrictEqual(
      all.map((r) => r.step),
      [1, 2, 3],
    );
  });
});

describe("a verl run's checkpoints", () => {
  let root: string;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  it("lists complete checkpoints of a run logging at verl's default place", async () => {
    // cwd/<project>/<experiment>.jsonl and cwd/checkpoints/<project>/<experiment>/global_step_N
    const project = path.join(root, 'gsm8k');
    const checkpoints = path.join(root, 'checkpoints', 'gsm8k', 'qwen');
    writeVerl(
      { op: 'log', path: path.join(project, 'qwen.jsonl'), writer: 'orjson', lines: steps(1, 20) },
      { op: 'checkpoint', dir: checkpoints, step: 10 },
      { op: 'checkpoint', dir: checkpoints, step: 20, in_progress: true },
    );
    fs.mkdirSync(path.join(checkpoints, 'not_a_step'));
    const [run] = await findVerlRuns(project, fs.readdirSync(project));
    const facts = await verlParts(run).facts?.();
    assert.deepStrictEqual(facts?.checkpoints, [
      { step: 10, path: path.join(checkpoints, 'global_step_10') },
    ]);
    writeVerl({ op: 'checkpoint', dir: checkpoints, step: 20 });
    assert.deepStrictEqual(
      (await verlParts(run).facts?.())?.checkpoints?.map((c) => c.step),
      [10, 20],
    );
  });

  it('lists none for a run logging elsewhere', async () => {
    writeVerl({ op: 'log', path: path.join(root, 'exp.jsonl'), writer: 'orjson', lines: steps(1, 1) });
    const [run] = await findVerlRuns(root, fs.readdirSync(root));
    assert.deepStrictEqual((await verlParts(run).facts?.())?.checkpoints, []);
  });
});
