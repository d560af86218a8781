// The compare webview's series (webview/compare/overlayData.ts), without a DOM: first
// paint then whole histories, one column per run on every axis, live points.
import * as assert from 'assert';
import type { CompareRunInfo, SeriesWindow } from '../../../src/contract/messages';
import { runColour } from '../../../src/compare/colours';
import { CompareSeries } from '../../../webview/compare/overlayData';

const info = (runId: string, i: number): CompareRunInfo => ({
  runId,
  name: runId,
  source: '',
  state: 'finished',
  colour: runColour(i),
});

function window(runId: string, steps: number[], opts: { tokens?: boolean; t0?: number } = {}): SeriesWindow {
  const metrics: SeriesWindow['metrics'] = {
    reward: { x: steps, y: steps.map((s) => s / 100) },
    kl: { x: steps, y: steps.map(() => 0.01) },
  };
  if (opts.tokens) metrics.num_tokens = { x: steps, y: steps.map((s) => s * 1000) };
  return {
    runId,
    fromStep: steps[0],
    toStep: steps[steps.length - 1],
    rowCount: steps.length,
    time: { x: steps, y: steps.map((s) => (opts.t0 ?? 0) + s * 2) },
    metrics,
  };
}

describe('compare series (webview)', () => {
  it('draws one column per run, in the order and colours of the comparison', () => {
    const data = new CompareSeries();
    data.setRuns([info('a', 0), info('b', 1), info('c', 2)]);
    data.setOverview(window('a', [1, 2, 3]), true);
    data.setOverview(window('b', [2, 4]), true);
    const spec = data.spec('reward');
    assert.deepStrictEqual(
      spec.series.map((s) => [s.name, s.color]),
      [
        ['a', runColour(0)],
        ['b', runColour(1)],
        ['c', runColour(2)],
      ],
    );
    const d = data.chartData('reward', 'step', 0);
    assert.deepStrictEqual(d.data, [
      [1, 2, 3, 4],
      [0.01, 0.02, 0.03, null],
      [null, 0.02, null, 0.04],
      [null, null, null, null],
    ]);
    assert.deepStrictEqual(data.metricNames(), ['reward', 'kl']);
  });

  it('aligns on time since each run’s start, and on tokens only for runs that log them', () => {
    const data = new CompareSeries();
    data.setRuns([info('a', 0), info('b', 1)]);
    data.setOverview(window('a', [1, 2], { t0: 1_700_000_000, tokens: true }), true);
    data.setOverview(window('b', [1, 2], { t0: 1_800_000_000 }), true);
    assert.deepStrictEqual(data.chartData('reward', 'time', 0).data[0], [0, 2]);
    const tokens = data.chartData('reward', 'tokens', 0).data;
    assert.deepStrictEqual(tokens[0], [1000, 2000]);
    assert.deepStrictEqual(tokens[2], [null, null], 'run b logs no token count');
    assert.ok(data.hasTokens('a') && !data.hasTokens('b'));
    assert.strictEqual(data.scale('b', 'tokens'), undefined);
  });

  it('keeps a run’s whole history over a late first paint, and appends live points', () => {
    const data = new CompareSeries();
    data.setRuns([info('a', 0)]);
    data.setOverview(window('a', [90, 100]), false);
    data.setOverview(window('a', [1, 50, 100]), true);
    data.setOverview(window('a', [95, 100]), false);
    assert.deepStrictEqual(data.series.get('a')!.metric('reward')!.x, [1, 50, 100]);
    data.append('a', [{ step: 101, values: { reward: 2 } }]);
    assert.deepStrictEqual(data.series.get('a')!.metric('reward')!.x, [1, 50, 100, 101]);
    data.append('a', [{ step: 60, values: { reward: 3 } }], 60);
    assert.deepStrictEqual(data.series.get('a')!.metric('reward')!.x, [1, 50, 60]);
  });
});
