// FeedRun and FeedSession: what every foreign source gets for free.
import * as assert from 'assert';
import { foreignState } from '../../../src/runs/sources/feedRun';
import { FeedSession, mergeSteps } from '../../../src/runs/sources/feedSession';
import type { FeedParts, MetricFeed, SampleFeed } from '../../../src/runs/sources/source';

const noMetrics: MetricFeed = {
  tail: async () => ({ rows: [] }),
  poll: async () => ({ rows: [] }),
  readAll: async () => undefined,
};

describe('a foreign run, through its feeds', () => {
  it('merges a step whose scalars came in pieces, and lets a lower step supersede (a resume)', () => {
    const rows = mergeSteps([
      { step: 1, reward: 1 },
      { step: 2, reward: 2 },
      { step: 2, kl: 0.2 },
      { step: 3, reward: 3 },
      { step: 2, reward: 20 },
    ]);
    assert.deepStrictEqual(rows, [
      { step: 1, reward: 1 },
      { step: 2, reward: 20 },
    ]);
  });

  it('is running while its files grow, idle after a quiet period, finished when the trainer says so', () => {
    const now = 1_000_000_000;
    assert.strictEqual(foreignState({}, now - 1000, now), 'running');
    assert.strictEqual(foreignState({}, now - 3_600_000, now), 'idle');
    assert.strictEqual(foreignState({}, undefined, now), 'idle');
    assert.strictEqual(foreignState({ finished: true }, now, now), 'finished');
  });

  it('asks its samples feed one thing at a time (a feed keeps listings between calls)', async () => {
    let busy = false;
    let overlaps = 0;
    const slowly = async <T>(value: T): Promise<T> => {
      if (busy) overlaps++;
      busy = true;
      await new Promise((r) => setTimeout(r, 20));
      busy = false;
      return value;
    };
    const samples: SampleFeed = {
      steps: () => slowly([1, 2]),
      at: (step) => slowly([{ step, group: 0, prompt: 'p', completions: [] }]),
      poll: () => slowly({ newSteps: [] }),
    };
    const parts: FeedParts = { metrics: noMetrics, samples, lastWrite: async () => undefined };
    const session = new FeedSession(parts);
    await session.open();
    const answers = await Promise.all([session.sampleSteps(), session.samplesAt(1), session.update()]);
    assert.deepStrictEqual(answers[0], [1, 2]);
    assert.strictEqual(answers[1][0].step, 1);
    assert.strictEqual(overlaps, 0);
  });

  it('reports as new only the sample steps a listing did not give out, without looking at samples on open', async () => {
    const present = [1, 2];
    let polled = 0;
    let reported = new Set<number>();
    const samples: SampleFeed = {
      steps: async () => [...present],
      at: async () => [],
      poll: async () => {
        polled++;
        const fresh = present.filter((s) => !reported.has(s));
        reported = new Set(present);
        return { newSteps: fresh };
      },
    };
    const session = new FeedSession({ metrics: noMetrics, samples, lastWrite: async () => undefined });
    await session.open();
    assert.strictEqual(polled, 0, 'opening does not list samples (a large run has hundreds of files)');
    assert.deepStrictEqual(await session.sampleSteps(), [1, 2]);
    present.push(3);
    assert.deepStrictEqual((await session.update()).newSampleSteps, [3]);
    present.push(4);
    assert.deepStrictEqual((await session.update()).newSampleSteps, [4]);
  });
});
