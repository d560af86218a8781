import * as assert from 'assert';
import { nucleusProbs, sampleToken, seededRng } from '../../../src/inference/sampling';

describe('sampling', () => {
  it('the seeded RNG repeats for a seed and differs between seeds', () => {
    const a = seededRng(42);
    const b = seededRng(42);
    const c = seededRng(43);
    const xs = [a(), a(), a()];
    assert.deepStrictEqual(xs, [b(), b(), b()]);
    assert.notDeepStrictEqual(xs, [c(), c(), c()]);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
  });

  it('temperature 0 is greedy', () => {
    const rng = seededRng(1);
    for (let i = 0; i < 20; i++)
      assert.strictEqual(sampleToken([0, 5, 1], { temperature: 0, topP: 1 }, rng), 1);
  });

  it('top_p keeps the smallest nucleus and renormalises it', () => {
    const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.15), Math.log(0.05)];
    const p = nucleusProbs(logits, { temperature: 1, topP: 0.75 });
    assert.ok(Math.abs(p[0] - 0.5 / 0.8) < 1e-9 && Math.abs(p[1] - 0.3 / 0.8) < 1e-9);
    assert.strictEqual(p[2], 0);
    assert.strictEqual(p[3], 0);
  });

  it('never samples outside the nucleus', () => {
    const rng = seededRng(7);
    const logits = [Math.log(0.6), Math.log(0.3), Math.log(0.1)];
    for (let i = 0; i < 500; i++)
      assert.notStrictEqual(sampleToken(logits, { temperature: 1, topP: 0.85 }, rng), 2);
  });

  it('sample frequencies follow the tempered distribution', () => {
    const rng = seededRng(123);
    const logits = [0, Math.log(3)]; // p = 0.25, 0.75 at temperature 1
    const n = 20000;
    let ones = 0;
    for (let i = 0; i < n; i++) ones += sampleToken(logits, { temperature: 1, topP: 1 }, rng);
    assert.ok(Math.abs(ones / n - 0.75) < 0.015, `frequency ${ones / n}`);
    let hot = 0;
    for (let i = 0; i < n; i++) hot += sampleToken(logits, { temperature: 1000, topP: 1 }, rng);
    assert.ok(Math.abs(hot / n - 0.5) < 0.015, `frequency at high temperature ${hot / n}`);
  });

  it('the same seed gives the same draws', () => {
    const draw = (seed: number) => {
      const rng = seededRng(seed);
      return Array.from({ length: 30 }, () =>
        sampleToken([0.1, 0.2, 0.3, 0.4], { temperature: 1, topP: 0.9 }, rng),
      );
    };
    assert.deepStrictEqual(draw(5), draw(5));
  });
});
