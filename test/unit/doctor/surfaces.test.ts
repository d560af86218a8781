// Pure parts of the doctor's surfaces: which findings notify (once per run), which chart
// marks which step, the samples filter of groups named by a finding, the wire form.
import * as assert from 'assert';
import { FedDoctor } from '../../../src/doctor/vscode/fedDoctor';
import { toFindingView, worstSeverity } from '../../../src/doctor/vscode/findingsHub';
import {
  findingToNotify,
  notificationButtons,
  notifiedKey,
  remember,
} from '../../../src/doctor/vscode/notifyPolicy';
import { markersFor } from '../../../webview/dashboard/markers';
import { filterRows, namedGroupKeys, namedSteps, NO_FILTER } from '../../../webview/samples/filter';
import type { GroupView } from '../../../src/contract/messages';
import { finding, RecordingDoctor, summary } from './fakes';

describe('doctor surfaces (pure)', () => {
  it('notifies only non-finite and stalled errors, once per run (NaN first)', () => {
    const all = [
      finding('stalled', 'error', 9),
      finding('non-finite', 'error', 3),
      finding('kl-spike', 'error', 4),
      finding('stalled', 'warning', 9),
    ];
    assert.strictEqual(findingToNotify('/r', all, new Set())?.id, 'non-finite');
    assert.strictEqual(findingToNotify('/r', [all[0], all[2]], new Set())?.id, 'stalled');
    assert.strictEqual(
      findingToNotify('/r', [all[2], all[3]], new Set()),
      undefined,
      'not a warning, not kl-spike',
    );
    const seen = new Set([notifiedKey('/r')]);
    assert.strictEqual(findingToNotify('/r', all, seen), undefined, 'a run told once is not told again');
    assert.strictEqual(findingToNotify('/other', all, seen)?.id, 'non-finite', 'another run is told');
    const kept = remember(
      Array.from({ length: 600 }, (_, i) => `k${i}`),
      ['new'],
    );
    assert.strictEqual(kept.length, 500);
    assert.strictEqual(kept.at(-1), 'new');
  });

  it('offers Pause only for a run GRPO Lens controls that is still active', () => {
    assert.deepStrictEqual(notificationButtons(summary('/r', 'running')), ['Open Dashboard', 'Pause']);
    assert.deepStrictEqual(notificationButtons(summary('/r', 'failed')), ['Open Dashboard']);
    const foreign = {
      ...summary('/t', 'running'),
      capabilities: { control: false, tokenDetails: false, resume: false },
    };
    assert.deepStrictEqual(notificationButtons(foreign), ['Open Dashboard']);
    assert.deepStrictEqual(notificationButtons(undefined), ['Open Dashboard']);
  });

  it('marks a finding on the charts of its metrics, merged per step, errors first', () => {
    const views = [
      { ...finding('kl-spike', 'warning', 10), metrics: ['kl'] },
      { ...finding('non-finite', 'error', 10), metrics: ['kl', 'loss'] },
      { ...finding('entropy-collapse', 'warning', 20), metrics: ['entropy'], markSteps: [] },
    ].map(toFindingView);
    const kl = markersFor(['kl', 'beta'], views);
    assert.deepStrictEqual(
      kl.map((m) => [m.step, m.findings.map((f) => f.id)]),
      [[10, ['non-finite', 'kl-spike']]],
    );
    assert.deepStrictEqual(
      markersFor(['entropy'], views).map((m) => m.step),
      [20],
    );
    assert.deepStrictEqual(markersFor(['reward'], views), []);
    assert.strictEqual(worstSeverity([]), undefined);
    assert.strictEqual(
      worstSeverity(views.map((v) => ({ ...finding('grad-spike', v.severity, 1) }))),
      'error',
    );
  });

  it('filters the samples to the groups findings name', () => {
    const group = (step: number, g: number): GroupView => ({
      step,
      group: g,
      prompt: 'p',
      rewardStd: 0,
      zeroStd: false,
      completions: [
        {
          index: 0,
          text: 't',
          reward: 1,
          rewards: {},
          advantage: 0,
          truncated: false,
          hasTokens: false,
        },
      ],
    });
    const named = namedGroupKeys([
      { groups: [{ step: 4, group: 1 }] },
      { groups: [{ step: 9, group: 0 }] },
      {},
    ]);
    assert.deepStrictEqual(namedSteps(named), [4, 9]);
    const rows = filterRows([group(4, 0), group(4, 1)], { ...NO_FILTER, namedOnly: true, named });
    assert.deepStrictEqual(
      rows.filter((r) => r.kind === 'group').map((r) => r.group.group),
      [1],
    );
    assert.strictEqual(filterRows([group(4, 0), group(4, 1)], { ...NO_FILTER, named }).length, 4);
  });

  it('feeds each metric step and sample step to the doctor once', () => {
    const inner = new RecordingDoctor();
    const fed = new FedDoctor(inner);
    fed.addMetrics([{ step: 1 }, { step: 2 }]);
    fed.addMetrics([{ step: 2 }, { step: 3 }]);
    fed.addMetrics([{ step: 2 }], 2);
    fed.addSamples([{ step: 5, group: 0, prompt: '', completions: [] }]);
    fed.addSamples([{ step: 5, group: 0, prompt: '', completions: [] }]);
    assert.deepStrictEqual(inner.steps, [1, 2, 3, 2]);
    assert.deepStrictEqual(inner.supersededFrom, [2]);
    assert.deepStrictEqual(inner.sampleSteps, [5]);
  });

  it('sends panels no evidence and bounded lists', () => {
    const f = {
      ...finding('mode-collapse', 'warning', 1),
      markSteps: Array.from({ length: 80 }, (_, i) => i),
    };
    const view = toFindingView(f);
    assert.strictEqual('evidence' in view, false);
    assert.strictEqual(view.markSteps.length, 50);
  });
});
