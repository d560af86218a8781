// The doctor service over a written store: one run examined at a time, live rows fed once
// (never twice when they arrive during the first examination), a session held only while
// a run trains, supersession examined again, liveness asked on running runs.
import * as assert from 'assert';
import { DoctorService } from '../../../src/doctor/vscode/doctorService';
import { FindingsHub } from '../../../src/doctor/vscode/findingsHub';
import { FakeStore, RecordingDoctor, summary } from './fakes';

function setup(store: FakeStore, examineDelay = 0) {
  const hub = new FindingsHub();
  const doctors: RecordingDoctor[] = [];
  let active = 0;
  let mostAtOnce = 0;
  const examined: string[] = [];
  const service = new DoctorService({
    store,
    hub,
    createDoctor: () => {
      const d = new RecordingDoctor();
      doctors.push(d);
      return d;
    },
    examine: async (runId) => {
      active++;
      mostAtOnce = Math.max(mostAtOnce, active);
      examined.push(runId);
      const doctor = new RecordingDoctor();
      doctors.push(doctor);
      await new Promise((r) => setTimeout(r, examineDelay));
      let lastStep = -Infinity;
      await store.readAllMetrics(runId, (row) => {
        doctor.addMetrics([row]);
        lastStep = row.step;
      });
      active--;
      return { doctor, lastStep };
    },
    now: () => 1_000_000,
    livenessMs: 60_000,
  });
  return { hub, service, doctors, examined, mostAtOnce: () => mostAtOnce };
}

describe('doctor service', () => {
  it('examines every run once, one at a time, and publishes their findings', async () => {
    const runs = Array.from({ length: 12 }, (_, i) => summary(`/runs/r${i}`, 'finished'));
    const store = new FakeStore(runs);
    store.metrics.set('/runs/r3', [
      { step: 1, loss: 0.1 },
      { step: 2, loss: NaN },
    ]);
    const t = setup(store, 5);
    t.service.start();
    await t.service.whenIdle();
    assert.strictEqual(t.examined.length, 12);
    assert.strictEqual(t.mostAtOnce(), 1, 'never two runs at once');
    assert.deepStrictEqual(t.hub.runIds(), ['/runs/r3']);
    assert.strictEqual(t.hub.get('/runs/r3')[0].id, 'non-finite');
    assert.strictEqual(store.leases, 0, 'no session held for finished runs');
    t.service.dispose();
  });

  it('holds a session while a run trains, feeds its live rows once, and lets go when it ends', async () => {
    const store = new FakeStore([summary('/r', 'running', 999_000)]);
    store.metrics.set('/r', [{ step: 1 }, { step: 2 }]);
    const t = setup(store, 20);
    t.service.start();
    assert.strictEqual(store.leases, 1);
    // rows 2 and 3 arrive while the history (1, 2) is being read: 2 must not count twice
    store.emit([{ runId: '/r', newMetrics: [{ step: 2 }, { step: 3 }] }]);
    await t.service.whenIdle();
    const doctor = t.doctors.at(-1)!;
    assert.deepStrictEqual(doctor.steps, [1, 2, 3]);
    store.emit([{ runId: '/r', newMetrics: [{ step: 4, loss: Infinity }], newEvents: [{ event: 'x' }] }]);
    assert.deepStrictEqual(doctor.steps, [1, 2, 3, 4]);
    assert.strictEqual(doctor.events, 1);
    assert.strictEqual(t.hub.get('/r')[0].id, 'non-finite');
    store.summaries.set('/r', summary('/r', 'finished'));
    store.emit([{ runId: '/r', summary: true }]);
    assert.strictEqual(store.leases, 0);
    assert.strictEqual(t.service.heldSessions(), 0);
    t.service.dispose();
  });

  it('reads the newest sample steps of a live run', async () => {
    const store = new FakeStore([summary('/r', 'running')]);
    store.samples.set(
      '/r',
      [5, 6, 7].map((step) => ({ step, group: 0, prompt: 'p', completions: [] })),
    );
    const t = setup(store);
    t.service.start();
    await t.service.whenIdle();
    store.emit([{ runId: '/r', newSampleSteps: [5, 6, 7] }]);
    await new Promise((r) => setTimeout(r, 10));
    assert.deepStrictEqual(t.doctors.at(-1)!.sampleSteps, [6, 7], 'the two newest steps only');
    t.service.dispose();
  });

  it('examines a run again with a fresh doctor when a resume supersedes steps', async () => {
    const store = new FakeStore([summary('/r', 'running')]);
    store.metrics.set('/r', [{ step: 1 }, { step: 2, loss: NaN }]);
    const t = setup(store);
    t.service.start();
    await t.service.whenIdle();
    assert.strictEqual(t.hub.get('/r').length, 1);
    store.metrics.set('/r', [{ step: 1 }, { step: 2 }]);
    store.emit([{ runId: '/r', supersededFrom: 2, newMetrics: [{ step: 2 }] }]);
    await t.service.whenIdle();
    assert.deepStrictEqual(t.doctors.at(-1)!.steps, [1, 2]);
    assert.deepStrictEqual(t.hub.get('/r'), [], 'the NaN was superseded');
    t.service.dispose();
  });

  it('asks running runs whether they stalled, and forgets a removed run', async () => {
    const store = new FakeStore([summary('/r', 'running', 1_000_000 - 120_000), summary('/q', 'paused', 0)]);
    const t = setup(store);
    t.service.start();
    await t.service.whenIdle();
    t.service.checkLiveness();
    assert.strictEqual(t.hub.get('/r')[0].id, 'stalled');
    assert.deepStrictEqual(t.hub.get('/q'), [], 'a paused run is not stalled');
    let heard: string[] = [];
    t.hub.onDidChange((ids) => (heard = ids));
    store.summaries.delete('/r');
    store.emit([{ runId: '/r', removed: true, summary: true }]);
    assert.deepStrictEqual(heard, ['/r']);
    assert.deepStrictEqual(t.hub.runIds(), []);
    assert.strictEqual(store.leases, 0);
    t.service.dispose();
  });
});
