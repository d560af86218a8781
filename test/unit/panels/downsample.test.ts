import * as assert from 'assert';
import { downsampleMinMax, MinMaxDownsampler, roundForChart } from '../../../src/panels/downsample';

describe('min/max downsampling', () => {
  it('keeps each pixel bucket’s extremes, in x order, at most two per bucket', () => {
    const n = 100_000;
    const xs = Array.from({ length: n }, (_, i) => i);
    const ys = xs.map((x) => Math.sin(x / 500) + (x === 54_321 ? 10 : 0));
    const out = downsampleMinMax(xs, ys, 500);
    assert.ok(out.x.length <= 1000);
    assert.ok(out.y.includes(ys[54_321]), 'a one-point spike survives');
    for (let i = 1; i < out.x.length; i++) assert.ok(out.x[i] > out.x[i - 1]);
    assert.strictEqual(Math.max(...(out.y as number[])), Math.max(...ys));
    assert.strictEqual(Math.min(...(out.y as number[])), Math.min(...ys));
  });

  it('returns short series unchanged and skips non-finite values', () => {
    const s = new MinMaxDownsampler(0, 10, 100);
    [0, 5, 10].forEach((x) => s.add(x, x * 2));
    s.add(7, NaN);
    assert.deepStrictEqual(s.result(), { x: [0, 5, 10], y: [0, 10, 20] });
    assert.deepStrictEqual(downsampleMinMax([], [], 10), { x: [], y: [] });
  });

  it('clamps points outside the range into the edge buckets', () => {
    const s = new MinMaxDownsampler(0, 10, 2);
    s.add(-5, 1);
    s.add(20, 3);
    assert.deepStrictEqual(s.result().x, [-5, 20]);
  });

  it('rounds to six significant digits', () => {
    assert.strictEqual(roundForChart(0.123456789), 0.123457);
    assert.strictEqual(roundForChart(0), 0);
  });
});
