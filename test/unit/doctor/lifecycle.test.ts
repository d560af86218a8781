import * as assert from 'assert';
import { createRunDoctor } from '../../../src/doctor/doctor';
import { DEFAULT_THRESHOLDS, THRESHOLD_DOCS, resolveThresholds } from '../../../src/doctor/thresholds';
import type { MetricRow } from '../../../src/runs/model';
import { doctorWith, healthyRow, ids, only, rows } from './runs';

describe('run doctor: resumes, liveness, order and thresholds', () => {
  it('a resume replaces steps >= N: a spike and a streak in the replaced steps are forgotten', () => {
    const doctor = createRunDoctor();
    const bad = (r: MetricRow) =>
      r.step === 150 ? { ...r, kl: 5 } : r.step > 140 ? { ...r, frac_reward_zero_std: 1 } : r;
    doctor.addMetrics(rows(1, 170, bad));
    assert.deepStrictEqual(ids(doctor.findings()).sort(), [
      'kl-spike',
      'no-learning-signal',
      'zero-std-groups',
    ]);
    doctor.addMetrics(rows(121, 200), 121);
    assert.deepStrictEqual(doctor.findings(), []);
  });

  it('a resume that keeps part of a finding shortens it to the steps before N', () => {
    const doctor = createRunDoctor();
    doctor.addMetrics(rows(1, 200, (r) => (r.step > 100 ? { ...r, frac_reward_zero_std: 1 } : r)));
    doctor.addMetrics(rows(150, 220), 150);
    const [f] = only(doctor.findings(), 'no-learning-signal');
    assert.deepStrictEqual(f.steps, [101, 149]);
  });

  it('rows that go back without supersededFrom supersede too (the run-directory rule)', () => {
    const doctor = createRunDoctor();
    doctor.addMetrics(rows(1, 150, (r) => (r.step === 140 ? { ...r, grad_norm: 40 } : r)));
    doctor.addMetrics(rows(130, 160));
    assert.deepStrictEqual(doctor.findings(), []);
  });

  it('resume-discontinuity: the learning rate jumps at a supersession (scheduler not restored)', () => {
    const doctor = createRunDoctor();
    const decayed = (r: MetricRow) => ({ ...r, lr: 1e-5 * (1 - r.step / 1000) });
    doctor.addMetrics(rows(1, 300, decayed));
    doctor.addMetrics(
      rows(251, 320, (r) => ({ ...r, lr: 1e-5 })),
      251,
    );
    const [f] = doctor.findings();
    assert.strictEqual(f.id, 'resume-discontinuity');
    assert.deepStrictEqual(f.steps, [251, 251]);
    assert.match(f.message, /^lr jumped from 7\.5\de-6 to 1e-5 at the resume at step 251 \(\d+× its usual/);
    assert.match(f.why, /verl #3754, open-r1 #450/);
  });

  it("resume-discontinuity from our trainer's resumed event; a run that continues smoothly gives none", () => {
    const doctor = createRunDoctor();
    doctor.addEvents([{ event: 'resumed', step: 100, checkpoint: 'checkpoints/step-000100' }]);
    doctor.addMetrics(rows(1, 200, (r) => (r.step > 100 ? { ...r, reward: (r.reward ?? 0) + 0.6 } : r)));
    const [f] = doctor.findings();
    assert.deepStrictEqual(
      [f.id, f.evidence.metric, f.steps],
      ['resume-discontinuity', 'reward', [101, 101]],
    );
    const smooth = createRunDoctor();
    smooth.addEvents([
      { event: 'resumed', step: 100, checkpoint: 'checkpoints/step-000100' },
      { event: 'resumed', step: 120 },
    ]);
    smooth.addMetrics(rows(1, 200));
    assert.deepStrictEqual(smooth.findings(), []);
  });

  it('stalled: a running run silent for 10x its step time (and at least 5 min) is an error until it writes', () => {
    const doctor = doctorWith(rows(1, 50)); // 2 s per step
    const last = (1_700_000_000 + 100) * 1000;
    doctor.checkLiveness(true, last, last + 200_000);
    assert.deepStrictEqual(doctor.findings(), []);
    doctor.checkLiveness(true, last, last + 400_000);
    const [f] = doctor.findings();
    assert.deepStrictEqual([f.id, f.severity, f.steps], ['stalled', 'error', [50, 50]]);
    assert.match(
      f.message,
      /^The run has written nothing for 7 min after step 50; a step usually takes 2 s$/,
    );
    doctor.checkLiveness(false, last, last + 400_000);
    assert.deepStrictEqual(doctor.findings(), []);
  });

  it('errors come first, then by first step', () => {
    const doctor = doctorWith(
      rows(1, 200, (r) => (r.step === 150 ? { ...r, kl: 5 } : r.step === 190 ? { ...r, loss: Infinity } : r)),
    );
    assert.deepStrictEqual(ids(doctor.findings()), ['non-finite', 'kl-spike']);
  });

  it('thresholds: every one documented with its default; overrides apply, unknown ones are ignored', () => {
    for (const [name, doc] of Object.entries(THRESHOLD_DOCS)) {
      assert.strictEqual(DEFAULT_THRESHOLDS[name], doc.default, name);
      assert.ok(doc.description.length > 20, name);
    }
    assert.strictEqual(resolveThresholds({ spikeFactor: 3, nonsense: 1, window: NaN }).spikeFactor, 3);
    assert.ok(!('nonsense' in resolveThresholds({ nonsense: 1 })));
    assert.strictEqual(resolveThresholds({ window: NaN }).window, 20);
    const spike = (r: MetricRow) => (r.step === 100 ? { ...r, kl: 0.1 } : r);
    assert.deepStrictEqual(doctorWith(rows(1, 120, spike)).findings(), []);
    const strict = createRunDoctor({ spikeFactor: 3 });
    strict.addMetrics(rows(1, 120, spike));
    assert.deepStrictEqual(ids(strict.findings()), ['kl-spike']);
  });

  it('keeps bounded memory: marks and groups stay a few dozen over 20 000 steps of spikes', () => {
    const doctor = createRunDoctor();
    for (let s = 1; s <= 20_000; s++)
      doctor.addMetrics([s % 97 === 0 ? { ...healthyRow(s), kl: 3 } : healthyRow(s)]);
    const [f] = only(doctor.findings(), 'kl-spike');
    assert.ok(f.markSteps.length <= 24, String(f.markSteps.length));
    assert.strictEqual(f.evidence.steps_held, Math.floor(20_000 / 97));
  });
});
