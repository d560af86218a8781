import * as assert from 'assert';
import { MAX_BUFFERED_POINTS, PendingBuffer } from '../../../src/panels/pendingBuffer';
import type { RunHeader } from '../../../src/contract/messages';

const header = (step: number): RunHeader => ({
  runId: 'r',
  name: 'r',
  state: 'running',
  step,
  controllable: true,
});

describe('pending buffer (hidden panels)', () => {
  it('keeps only the latest notification of each type', () => {
    const b = new PendingBuffer();
    b.put({ type: 'header', header: header(1) });
    b.put({ type: 'header', header: header(2) });
    const out = b.take();
    assert.strictEqual(out.length, 1);
    assert.deepStrictEqual(out[0], { type: 'header', header: header(2) });
    assert.strictEqual(b.size, 0);
  });

  it('merges live points and applies a supersession to the points it holds', () => {
    const b = new PendingBuffer();
    b.put({ type: 'append', runId: 'r', points: [1, 2, 3].map((step) => ({ step, values: {} })) });
    b.put({ type: 'append', runId: 'r', supersededFrom: 2, points: [{ step: 2, values: { x: 1 } }] });
    const [n] = b.take();
    assert.ok(n.type === 'append');
    assert.deepStrictEqual(
      n.points.map((p) => p.step),
      [1, 2],
    );
    assert.strictEqual(n.supersededFrom, 2);
  });

  it('drops points past the bound and asks for a fresh series instead; a series replaces points', () => {
    const b = new PendingBuffer();
    const points = Array.from({ length: MAX_BUFFERED_POINTS + 1 }, (_, step) => ({ step, values: {} }));
    b.put({ type: 'append', runId: 'r', points });
    assert.ok(b.overflowed);
    assert.strictEqual(b.size, 0);
    b.put({ type: 'append', runId: 'r', points: [{ step: 1, values: {} }] });
    b.put({
      type: 'series',
      window: { runId: 'r', fromStep: 0, toStep: 1, rowCount: 0, time: { x: [], y: [] }, metrics: {} },
    });
    assert.deepStrictEqual(
      b.take().map((n) => n.type),
      ['series'],
    );
    assert.ok(!b.overflowed);
  });

  it('merges appended sample steps, and a full list replaces them', () => {
    const b = new PendingBuffer();
    b.put({ type: 'sampleSteps', runId: 'r', steps: [1, 2] });
    b.put({ type: 'sampleSteps', runId: 'r', steps: [3], append: true });
    const [n] = b.take();
    assert.ok(n.type === 'sampleSteps');
    assert.deepStrictEqual(n.steps, [1, 2, 3]);
    b.put({ type: 'sampleSteps', runId: 'r', steps: [4], append: true });
    b.put({ type: 'sampleSteps', runId: 'r', steps: [1] });
    assert.deepStrictEqual(b.take(), [{ type: 'sampleSteps', runId: 'r', steps: [1] }]);
  });
});
