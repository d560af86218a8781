import * as assert from 'assert';
import { clampWidth, SeriesWindowBuilder, seriesFromRows } from '../../../src/panels/seriesWindow';
import { toLivePoint } from '../../../src/panels/liveRows';

describe('series window', () => {
  it('downsamples each metric and the step->time map within the requested steps', () => {
    const b = new SeriesWindowBuilder('run', 10, 19, 100);
    for (let step = 0; step < 30; step++) b.add({ step, time: 1000 + step, reward: step / 10, kl: step % 2 });
    const w = b.result();
    assert.strictEqual(w.rowCount, 10);
    assert.deepStrictEqual(w.metrics.reward.x, [10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    assert.deepStrictEqual(w.time.y.slice(0, 2), [1010, 1011]);
    assert.ok(!('step' in w.metrics) && !('time' in w.metrics));
  });

  it('bounds the width a webview may ask for', () => {
    assert.strictEqual(clampWidth(1e9), 2000);
    assert.strictEqual(clampWidth(-1), 16);
    assert.strictEqual(clampWidth(NaN), 600);
  });

  it('turns a metric row into a live point', () => {
    assert.deepStrictEqual(toLivePoint({ step: 3, time: 9, loss: 1 }), {
      step: 3,
      time: 9,
      values: { loss: 1 },
    });
  });
});

describe('the first paint of a long run', () => {
  it('is built from the rows already in memory, over their steps only', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ step: 901 + i, reward: i / 100 }));
    const window = seriesFromRows('r', rows, 50);
    assert.strictEqual(window.fromStep, 901);
    assert.strictEqual(window.toStep, 1000);
    const reward = window.metrics.reward;
    assert.ok(reward.x.length > 0 && reward.x.length <= 100);
    assert.strictEqual(reward.x[0], 901);
    assert.strictEqual(reward.x[reward.x.length - 1], 1000);
  });
});
