import * as assert from 'assert';
import type { SampleGroup } from '../../../src/runs/model';
import { completion, doctorWith, healthyGroup, ids, only, rows } from './runs';

function identicalGroup(step: number, group: number, text = 'the the the', reward = 0.1): SampleGroup {
  return {
    step,
    group,
    prompt: 'p',
    completions: [0, 1, 2, 3].map(() => completion(text, reward, 0, { rewards: { accuracy: 0, format: 1 } })),
  };
}

describe('run doctor: checks on sample groups', () => {
  it('healthy groups give no finding', () => {
    const groups = [10, 20, 30, 40].flatMap((s) => [0, 1, 2].map((g) => healthyGroup(s, g)));
    assert.deepStrictEqual(doctorWith(rows(1, 40), groups).findings(), []);
  });

  it('mode-collapse: identical completions in most groups at 3 sampled steps in a row, naming the groups', () => {
    const groups = [10, 20, 30].flatMap((s) => [
      identicalGroup(s, 0),
      identicalGroup(s, 1),
      healthyGroup(s, 2),
    ]);
    const [f] = only(doctorWith([], groups).findings(), 'mode-collapse');
    assert.deepStrictEqual(f.steps, [30, 30]);
    assert.match(f.message, /^67% of groups at step 30 have \(nearly\) identical completions/);
    assert.deepStrictEqual(f.groups, [
      { step: 30, group: 0 },
      { step: 30, group: 1 },
    ]);
  });

  it('mode-collapse: groups that a correctness reward says are solved do not count', () => {
    const solved = (s: number, g: number): SampleGroup => ({
      step: s,
      group: g,
      prompt: '3+4=',
      completions: [0, 1, 2, 3].map(() => completion('7', 1, 0, { rewards: { accuracy: 1 } })),
    });
    const groups = [10, 20, 30, 40].flatMap((s) => [solved(s, 0), solved(s, 1)]);
    assert.deepStrictEqual(only(doctorWith([], groups).findings(), 'mode-collapse'), []);
  });

  it('advantage-bias: advantages that do not average to zero within a group', () => {
    const biased = (s: number, g: number): SampleGroup => ({
      step: s,
      group: g,
      prompt: 'p',
      completions: [
        completion('a', 1, 1),
        completion('b', 0, 0.2),
        completion('c', 1, 1),
        completion('d', 0, 0.2),
      ],
    });
    const [f] = only(
      doctorWith([], [biased(5, 0), biased(5, 1), healthyGroup(5, 2)]).findings(),
      'advantage-bias',
    );
    assert.strictEqual(f.severity, 'warning');
    assert.match(
      f.message,
      /^Advantages do not average to zero in 67% of groups at step 5 \(group 0: mean 0\.6/,
    );
    assert.deepStrictEqual(f.groups, [
      { step: 5, group: 0 },
      { step: 5, group: 1 },
    ]);
    const computed = biased(6, 0);
    computed.completions.forEach((c) => (c.advantage_computed = true));
    assert.deepStrictEqual(doctorWith([], [computed]).findings(), []);
  });

  it('non-finite: a null advantage (our writer turns NaN into null) is an error naming the group', () => {
    const group = healthyGroup(7, 3);
    (group.completions[1] as unknown as { advantage: null }).advantage = null;
    const [f] = doctorWith([], [group, healthyGroup(7, 4)]).findings();
    assert.strictEqual(f.id, 'non-finite');
    assert.strictEqual(f.severity, 'error');
    assert.deepStrictEqual(f.groups, [{ step: 7, group: 3 }]);
    assert.match(f.message, /NaN or Inf in 1 groups at step 7/);
  });

  it('non-finite: NaN in the loss and a failed event that names NaN', () => {
    const metricRows = rows(1, 30).map((r) => (r.step === 12 ? { ...r, loss: NaN } : r));
    const [f] = doctorWith(metricRows).findings();
    assert.deepStrictEqual([f.id, f.steps], ['non-finite', [12, 12]]);
    assert.match(f.message, /^loss became NaN or Inf at step 12/);
    const doctor = doctorWith(rows(1, 30));
    doctor.addEvents([
      {
        event: 'failed',
        message: 'RuntimeError: probability tensor contains either `inf`, `nan` or element < 0',
      },
    ]);
    const [g] = doctor.findings();
    assert.deepStrictEqual([g.id, g.steps], ['non-finite', [30, 30]]);
  });

  it('truncation and zero-std-groups from samples when the run logs neither metric', () => {
    const cut = (s: number, g: number): SampleGroup => ({
      step: s,
      group: g,
      prompt: 'p',
      completions: [0, 1, 2, 3].map((i) => completion(`long ${i}`, 0, 0, { truncated: i < 3 })),
    });
    const groups = [10, 20].flatMap((s) => [cut(s, 0), cut(s, 1)]);
    const found = doctorWith([], groups).findings();
    assert.deepStrictEqual(ids(found).sort(), ['truncation', 'zero-std-groups']);
    const [t] = only(found, 'truncation');
    assert.match(t.message, /^75% of completions hit max_completion_length/);
    assert.ok(t.groups && t.groups.length > 0);
  });
});
