import * as assert from 'assert';
import { currentRows, MetricsWindow, readMetricRecord, toMetricRow } from '../../../src/runs/metricsWindow';

const row = (step: number, reward = step / 10) => ({ step, reward });

describe('the recent metrics window', () => {
  it('reads null, how the trainer writes a NaN or an Inf, as NaN: kept, not a bad line', () => {
    // what trainer/grpo_lens/run_dir.py writes for loss = float("nan")
    const read = readMetricRecord(JSON.parse('{"step": 7, "time": null, "loss": null, "reward": 0.5}'));
    assert.strictEqual(read.bad, false);
    assert.ok(Number.isNaN(read.row!.loss));
    assert.strictEqual(read.row!.reward, 0.5);
    assert.ok(!('time' in read.row!), 'a missing time stays missing');
    assert.strictEqual(readMetricRecord(JSON.parse('{"step": 8, "loss": 1e999}')).bad, true);
  });

  it('keeps rows in step order with the latest value of every metric', () => {
    const window = new MetricsWindow();
    window.append([row(1), { step: 2, kl: 0.1 }, row(3)]);
    assert.deepStrictEqual(
      window.all.map((r) => r.step),
      [1, 2, 3],
    );
    assert.deepStrictEqual(window.latest, { step: 3, reward: 0.3, kl: 0.1 });
  });

  it('lets a resumed step supersede everything from that step on', () => {
    const window = new MetricsWindow();
    window.append([1, 2, 3, 4, 5].map((s) => row(s)));
    const result = window.append([
      { step: 3, reward: 9 },
      { step: 4, reward: 8 },
    ]);
    assert.strictEqual(result.supersededFrom, 3);
    assert.deepStrictEqual(
      window.all.map((r) => [r.step, r.reward]),
      [
        [1, 0.1],
        [2, 0.2],
        [3, 9],
        [4, 8],
      ],
    );
    assert.strictEqual(window.latest.reward, 8);
    assert.strictEqual(window.latest.step, 4);
  });

  it('drops superseded rows of the same batch from what it reports as added', () => {
    const window = new MetricsWindow();
    const result = window.append([row(1), row(2), row(3), row(2), row(3)]);
    assert.strictEqual(result.supersededFrom, 2);
    assert.deepStrictEqual(
      result.added.map((r) => r.step),
      [1, 2, 3],
    );
  });

  it('forgets metrics that only superseded rows had', () => {
    const window = new MetricsWindow();
    window.append([row(1), { step: 2, reward: 1, nan_guard: 1 }]);
    window.append([row(2)]);
    assert.strictEqual(window.latest.nan_guard, undefined);
  });

  it('keeps at most its capacity of rows', () => {
    const window = new MetricsWindow(100);
    window.append(Array.from({ length: 1000 }, (_, i) => row(i)));
    assert.strictEqual(window.all.length, 100);
    assert.strictEqual(window.all[0].step, 900);
  });

  it('turns records without a numeric step into nothing and keeps unknown numeric keys', () => {
    assert.strictEqual(toMetricRow({ reward: 1 }), undefined);
    assert.strictEqual(toMetricRow({ step: '3' }), undefined);
    assert.deepStrictEqual(toMetricRow({ step: 3, custom: 2, note: 'x' }), { step: 3, custom: 2 });
  });

  it('reduces a history with resumes to one row per step', () => {
    const steps = [1, 2, 3, 4, 2, 3, 4, 5, 6, 5, 6, 7].map((s) => row(s));
    assert.deepStrictEqual(
      currentRows(steps).map((r) => r.step),
      [1, 2, 3, 4, 5, 6, 7],
    );
  });
});
