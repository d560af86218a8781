import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { AdvantageConventionProbe } from '../../../../src/runs/sources/verl/advantageConvention';
import { findVerlRuns, verlParts } from '../../../../src/runs/sources/verl/verl';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { stepData, writeVerl } from './verlWriter';

describe("verl's advantage convention, read from the logged advantage range", () => {
  let root: string;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  // One group with rewards 1, 0, 0: GRPO gives 2/3 / (std + eps) with std = sqrt(1/3);
  // Dr. GRPO (norm_adv_by_std_in_grpo=false) gives 2/3 and -1/3.
  async function runLogging(max: number, min: number) {
    const file = path.join(root, 'exp.jsonl');
    writeVerl(
      {
        op: 'log',
        path: file,
        writer: 'json',
        lines: [
          { step: 1, data: stepData(1, { 'critic/advantages/max': max, 'critic/advantages/min': min }) },
        ],
      },
      {
        op: 'dump',
        dir: path.join(root, 'rollouts'),
        step: 1,
        inputs: ['q', 'q', 'q'],
        outputs: ['a', 'b', 'c'],
        scores: [1, 0, 0],
      },
    );
    const parts = verlParts((await findVerlRuns(root, fs.readdirSync(root)))[0]);
    await parts.metrics.tail(10);
    return ((await parts.samples?.at(1)) ?? [])[0].completions.map((c) => c.advantage);
  }

  it('computes Dr. GRPO advantages for a run whose logged range is unscaled', async () => {
    const advantages = await runLogging(2 / 3, -1 / 3);
    assert.deepStrictEqual(
      advantages.map((a) => a.toFixed(6)),
      ['0.666667', '-0.333333', '-0.333333'],
    );
  });

  it("keeps verl's default (divided by the std) when the range says so", async () => {
    const std = Math.sqrt(1 / 3);
    const advantages = await runLogging(2 / 3 / (std + 1e-6), -1 / 3 / (std + 1e-6));
    assert.ok(Math.abs(advantages[0] - 2 / 3 / (std + 1e-6)) < 1e-9);
  });

  it('decides nothing from a step where every group has equal rewards', () => {
    const probe = new AdvantageConventionProbe();
    probe.note({ step: 1, 'critic/advantages/max': 0, 'critic/advantages/min': 0 });
    probe.note({ step: 2, 'critic/advantages/max': 0.5, 'critic/advantages/min': -0.5 });
    assert.strictEqual(
      probe.choose(1, [
        [1, 1],
        [0, 0],
      ]).normByStd,
      true,
    );
    assert.strictEqual(probe.choose(2, [[1, 0]]).normByStd, false);
    assert.strictEqual(probe.choose(1, [[1, 1]]).normByStd, false);
    assert.strictEqual(new AdvantageConventionProbe().choose(2, [[1, 0]]).normByStd, true);
  });
});
