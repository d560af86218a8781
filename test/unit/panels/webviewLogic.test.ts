// Pure logic of the webview apps (no DOM): chart layout, smoothing, series, filters, text.
import * as assert from 'assert';
import { chartSpecs } from '../../../webview/dashboard/layout';
import { ema } from '../../../webview/dashboard/smooth';
import { RunSeries } from '../../../webview/dashboard/data';
import { withAlpha } from '../../../webview/dashboard/theme';
import { filterRows, NO_FILTER, parseBound, sortByReward } from '../../../webview/samples/filter';
import { formatDuration, visibleText } from '../../../webview/common/text';
import type { CompletionView, GroupView } from '../../../src/contract/messages';

describe('dashboard chart layout', () => {
  it('puts known metrics in their charts and unknown ones in charts by prefix', () => {
    const specs = chartSpecs([
      'reward',
      'reward_std',
      'rewards/acc/mean',
      'rewards/acc/std',
      'kl',
      'beta',
      'lr',
      'grad_norm',
      'timing/gen_s',
      'foo/a',
      'foo/b',
      'bar',
    ]);
    const byId = Object.fromEntries(specs.map((s) => [s.id, s.series.map((x) => x.name)]));
    assert.deepStrictEqual(byId.reward, ['reward', 'rewards/acc/mean']);
    assert.deepStrictEqual(byId.kl, ['kl', 'beta']);
    assert.deepStrictEqual(byId.grad, ['grad_norm', 'lr']);
    assert.deepStrictEqual(byId['other:foo'], ['foo/a', 'foo/b']);
    assert.deepStrictEqual(byId['other:bar'], ['bar']);
    assert.strictEqual(specs.find((s) => s.id === 'reward')?.series[0].bandStd, 'reward_std');
    assert.strictEqual(specs.find((s) => s.id === 'kl')?.series[1].scale, 'y2');
  });
});

describe('EMA smoothing', () => {
  it('is identity at 0, debiased at the start, and keeps gaps', () => {
    assert.deepStrictEqual(ema([1, 2], 0), [1, 2]);
    const s = ema([4, null, 4, 4], 0.9);
    assert.strictEqual(s[0], 4);
    assert.strictEqual(s[1], null);
    assert.ok(Math.abs((s[3] as number) - 4) < 1e-9);
  });
});

describe('run series (dashboard data)', () => {
  const window = {
    runId: 'r',
    fromStep: 0,
    toStep: 3,
    rowCount: 4,
    time: { x: [0, 3], y: [100, 130] },
    metrics: {
      reward: { x: [0, 1, 2, 3], y: [0, 1, 2, 3] },
      reward_std: { x: [0, 3], y: [1, 1] },
      kl: { x: [1, 3], y: [5, 6] },
    },
  };

  it('aligns series on the union of steps with a mean ± std band', () => {
    const s = new RunSeries();
    s.setOverview(window);
    const [reward] = chartSpecs(s.names);
    const d = s.chartData(reward, 'step', 0);
    assert.deepStrictEqual(d.data[0], [0, 1, 2, 3]);
    assert.deepStrictEqual(d.data[1], [0, 1, 2, 3]);
    assert.deepStrictEqual(d.data[2], [1, 2, 3, 4]);
    assert.deepStrictEqual(d.data[3], [-1, 0, 1, 2]);
    const kl = chartSpecs(s.names).find((c) => c.id === 'kl')!;
    assert.deepStrictEqual(s.chartData(kl, 'step', 0).data, [
      [1, 3],
      [5, 6],
    ]);
  });

  it('maps steps to wall-clock time by interpolation', () => {
    const s = new RunSeries();
    s.setOverview(window);
    assert.strictEqual(s.timeAt(1), 110);
    const [reward] = chartSpecs(s.names);
    assert.deepStrictEqual(s.chartData(reward, 'time', 0).data[0], [100, 110, 120, 130]);
  });

  it('maps wall-clock time back to steps, clamped to the logged steps', () => {
    const s = new RunSeries();
    s.setOverview(window);
    assert.strictEqual(s.stepAt(115), 1.5);
    assert.strictEqual(s.stepAt(110), 1);
    assert.strictEqual(s.stepAt(50), 0);
    assert.strictEqual(s.stepAt(500), 3);
    s.append([{ step: 4, time: 150, values: { reward: 4 } }]);
    assert.strictEqual(s.stepAt(140), 3.5);
    assert.strictEqual(new RunSeries().stepAt(100), undefined);
  });

  it("uses the detail window's times inside its steps", () => {
    const s = new RunSeries();
    s.setOverview({ ...window, time: { x: [0, 3], y: [100, 130] } });
    s.setDetail({ ...window, fromStep: 1, toStep: 2, time: { x: [1, 2], y: [105, 125] }, metrics: {} });
    assert.strictEqual(s.timeAt(1), 105);
    assert.strictEqual(s.stepAt(125), 2);
    const [reward] = chartSpecs(s.names);
    assert.deepStrictEqual(s.chartData(reward, 'time', 0).data[0], [100, 105, 125, 130]);
  });

  it('appends live points, drops superseded ones, and splices a zoom detail window', () => {
    const s = new RunSeries();
    s.setOverview(window);
    assert.strictEqual(s.append([{ step: 4, values: { reward: 4, newone: 1 } }]), true);
    s.supersede(3);
    const [reward] = chartSpecs(s.names);
    assert.deepStrictEqual(s.chartData(reward, 'step', 0).data[0], [0, 1, 2]);
    s.append([{ step: 3, values: { reward: 9 } }]);
    s.append([{ step: 2, values: { reward: 7 } }]); // a resume below the last step supersedes by itself
    assert.deepStrictEqual(s.chartData(reward, 'step', 0).data[1], [0, 1, 7]);
    s.setDetail({ ...window, fromStep: 1, toStep: 1, metrics: { reward: { x: [1], y: [42] } } });
    assert.deepStrictEqual(s.chartData(reward, 'step', 0).data[1], [0, 42, 7]);
  });

  it('turns theme colours into band fills', () => {
    assert.strictEqual(withAlpha('#3794ff', 0.5), 'rgba(55,148,255,0.5)');
    assert.strictEqual(withAlpha('#fff', 1), 'rgba(255,255,255,1)');
    assert.strictEqual(withAlpha('rgb(1, 2, 3)', 0.2), 'rgba(1,2,3,0.2)');
  });
});

describe('samples filter', () => {
  const comp = (index: number, reward: number, extra: Partial<CompletionView> = {}): CompletionView => ({
    index,
    text: `text ${index}`,
    reward,
    rewards: { accuracy: reward > 0.5 ? 1 : 0 },
    advantage: 0,
    numTokens: 3,
    truncated: false,
    hasTokens: false,
    ...extra,
  });
  const groups: GroupView[] = [
    {
      step: 1,
      group: 0,
      prompt: 'alpha',
      rewardStd: 0.4,
      zeroStd: false,
      completions: [comp(0, 0.1), comp(1, 0.9, { truncated: true }), comp(2, 0.5)],
    },
    { step: 1, group: 1, prompt: 'beta', rewardStd: 0, zeroStd: true, completions: [comp(0, 1), comp(1, 1)] },
  ];

  it('sorts completions by reward, best first', () => {
    assert.deepStrictEqual(
      sortByReward(groups[0].completions).map((c) => c.index),
      [1, 2, 0],
    );
  });

  it('filters by zero std, truncation, reward range on a component, and search', () => {
    const kinds = (f = NO_FILTER) =>
      filterRows(groups, f).map((r) => (r.kind === 'group' ? `g${r.group.group}` : `c${r.completion.index}`));
    assert.deepStrictEqual(kinds(), ['g0', 'c1', 'c2', 'c0', 'g1', 'c0', 'c1']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, zeroStdOnly: true }), ['g1', 'c0', 'c1']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, truncatedOnly: true }), ['g0', 'c1']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, min: 0.2, max: 0.6 }), ['g0', 'c2']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, component: 'accuracy', max: 0 }), ['g0', 'c2', 'c0']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, search: 'BETA' }), ['g1', 'c0', 'c1']);
    assert.deepStrictEqual(kinds({ ...NO_FILTER, search: 'text 2' }), ['g0', 'c2']);
    assert.strictEqual(parseBound(' '), undefined);
    assert.strictEqual(parseBound('1e-2'), 0.01);
  });
});

describe('text shown from a run', () => {
  it('makes bidi overrides, controls and NUL visible and keeps newlines and tabs', () => {
    assert.strictEqual(visibleText('a\u202Eb\u0000c\n\td'), 'a⟦U+202E⟧b⟦U+0000⟧c\n\td');
  });
  it('formats durations', () => {
    assert.strictEqual(formatDuration(3725), '1h 2m');
    assert.strictEqual(formatDuration(65), '1m 5s');
  });
});
