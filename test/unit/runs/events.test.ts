import * as assert from 'assert';
import { acknowledgedId, checkpointIds, resumedFromStep } from '../../../src/runs/events';
import { runStateOf, summarize } from '../../../src/runs/summary';

describe('reading events and status', () => {
  it('finds acknowledgements and checkpoint ids', () => {
    assert.strictEqual(acknowledgedId({ event: 'ack', id: 'a1', command: 'pause' }), 'a1');
    assert.strictEqual(acknowledgedId({ event: 'started', id: 'x' }), undefined);
    assert.deepStrictEqual(checkpointIds({ event: 'checkpoint', step: 3, path: 'p', ids: ['c1', 7] }), [
      'c1',
    ]);
  });

  it('tells a resume from a checkpoint from a resume after a pause', () => {
    assert.strictEqual(
      resumedFromStep({ event: 'resumed', step: 50, checkpoint: 'checkpoints/step-000050' }),
      50,
    );
    assert.strictEqual(resumedFromStep({ event: 'resumed', step: 50 }), undefined);
  });

  it('calls a run stale when its process is gone before a final state', () => {
    assert.strictEqual(runStateOf({ state: 'running' }, false), 'stale');
    assert.strictEqual(runStateOf({ state: 'finished' }, false), 'finished');
    assert.strictEqual(runStateOf({ state: 'paused' }, true), 'paused');
    assert.strictEqual(runStateOf({ state: 'exploded' }, true), 'unknown');
    assert.strictEqual(runStateOf(undefined, undefined), 'unknown');
  });

  it('summarises status, run.json and the latest metrics', () => {
    const summary = summarize({
      dir: '/runs/a',
      runJson: { name: 'a', created: 1_700_000_000, config: { max_steps: 20 } },
      status: { state: 'running', pid: 5, step: 7, total_steps: 20, updated: 1_700_000_100 },
      latest: { reward: 0.5 },
      checkpoints: [],
      badLines: {},
      processAlive: true,
    });
    assert.strictEqual(summary.state, 'running');
    assert.strictEqual(summary.step, 7);
    assert.strictEqual(summary.totalSteps, 20);
    assert.strictEqual(summary.latestReward, 0.5);
    assert.strictEqual(summary.startedAt, 1_700_000_000_000);
  });
});
