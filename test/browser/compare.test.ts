// The compare webview, bundled, in headless Chromium: three runs overlaid in every chart,
// each in its colour (legend and lines agree), first paint then whole histories, zoom
// asking the host for each run's own steps, the axis switch (time since start, tokens seen,
// and a run that logs no token count), hostile names shown as text. Screenshot looked at.
import * as assert from 'assert';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import type { CompareRunInfo, HostToWebview, SeriesWindow, WebviewToHost } from '../../src/contract/messages';
import { runColour } from '../../src/compare/colours';
import { clampWidth, SeriesWindowBuilder } from '../../src/panels/seriesWindow';
import type { MetricRow } from '../../src/runs/model';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { readJsonl } from './fixtureHost';
import { openWebview, reply, type WebviewPage } from './webviewPage';

const fixtureRows = readJsonl<MetricRow>(
  path.join(repoRoot, 'test', 'fixtures', 'samples', 'run', 'metrics.jsonl'),
);

/** Three runs from the fixture: a, b (better reward, slower steps, tokens logged as TRL does), c (shorter, no token count). */
function makeRuns(): Record<string, MetricRow[]> {
  const t0 = fixtureRows[0].time as number;
  let tokens = 0;
  return {
    '/runs/a': fixtureRows.map((r) => ({ ...r, num_tokens: (tokens += 900) })),
    '/runs/b': fixtureRows.map((r) => ({
      ...r,
      time: t0 + 5000 + (r.step as number) * 3,
      reward: (r.reward as number) + 0.25,
      num_tokens: (r.step as number) * 1500,
    })),
    '/runs/c': fixtureRows
      .filter((r) => r.step <= 120)
      .map((r) => ({ ...r, reward: (r.reward as number) - 0.1 })),
  };
}

type Compare = {
  charts: Map<
    string,
    { uplot?: { data: unknown[][]; series: { label: string; _stroke?: string; stroke?: unknown }[] } }
  >;
  data: { complete: Set<string> };
};

describe('compare webview (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;
  let runs: Record<string, MetricRow[]>;

  before(async () => (browser = await launchChromium()));
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  const windowOf = (runId: string, width: number, from = 0, to?: number): SeriesWindow => {
    const rows = runs[runId];
    const b = new SeriesWindowBuilder(runId, from, to ?? rows[rows.length - 1].step, clampWidth(width));
    rows.forEach((r) => b.add(r));
    return b.result();
  };

  async function open(names: string[] = ['a', 'b', 'c']) {
    runs = makeRuns();
    const infos: CompareRunInfo[] = Object.keys(runs).map((runId, i) => ({
      runId,
      name: names[i],
      source: i === 1 ? 'TRL' : 'GRPO Lens',
      state: 'finished',
      colour: runColour(i),
    }));
    wp = await openWebview(browser, 'compare', async (m: WebviewToHost, page) => {
      const send = (msg: HostToWebview) => page.send(msg);
      if (m.kind === 'ready') {
        await send({ kind: 'notification', type: 'compareInit', runs: infos });
        // first paint: each run's recent window (its last 50 steps), as a session holds it
        const recent = infos.map((r) =>
          windowOf(r.runId, 800, runs[r.runId][runs[r.runId].length - 50].step),
        );
        await send({ kind: 'notification', type: 'compareSeries', windows: recent, complete: false });
        for (const r of infos)
          await send({
            kind: 'notification',
            type: 'compareSeries',
            windows: [windowOf(r.runId, 800)],
            complete: true,
          });
      } else if (m.kind === 'request' && m.method === 'seriesWindow') {
        const p = m.params;
        await send(reply(m.seq, windowOf(p.runId, p.width, p.fromStep, p.toStep)));
      }
    });
    await wp.page.waitForSelector('.chart canvas');
    await wp.page.waitForFunction(
      () => (window as unknown as { __compare: Compare }).__compare.data.complete.size === 3,
    );
    await wp.page.waitForTimeout(150);
  }

  const charts = () =>
    wp.page.evaluate(() => {
      const c = (window as unknown as { __compare: Compare }).__compare;
      return [...c.charts.entries()].map(([id, v]) => ({
        id,
        labels: v.uplot!.series.map((s) => s.label),
        strokes: v.uplot!.series.slice(1).map((s) => s._stroke ?? String(s.stroke)),
        data: v.uplot!.data as (number | null)[][],
      }));
    });

  const requests = () =>
    wp.posted.filter(
      (m): m is Extract<WebviewToHost, { method: 'seriesWindow' }> =>
        m.kind === 'request' && m.method === 'seriesWindow',
    );

  it('overlays three runs in every chart, each in its colour, the legend matching the lines (screenshot)', async () => {
    await open();
    const all = await charts();
    assert.ok(all.length >= 10, `one chart per metric: ${all.map((c) => c.id).join(', ')}`);
    for (const c of all) {
      assert.deepStrictEqual(c.labels.slice(1), ['a', 'b', 'c'], c.id);
      assert.deepStrictEqual(c.strokes, [runColour(0), runColour(1), runColour(2)], c.id);
    }
    const legend = await wp.page.$$eval('.legend .run', (els) =>
      els.map((e) => [
        e.querySelector('.name')!.textContent,
        getComputedStyle(e.querySelector('.swatch')!).backgroundColor,
      ]),
    );
    const rgb = (hex: string) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    assert.deepStrictEqual(legend, [
      ['a', rgb(runColour(0))],
      ['b', rgb(runColour(1))],
      ['c', rgb(runColour(2))],
    ]);
    // whole histories replaced the first paint: every step from 1, run c ending at 120
    const reward = all.find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.data[0][0], 1);
    const lastOf = (col: (number | null)[]) => reward.data[0][col.map((v) => v !== null).lastIndexOf(true)];
    assert.deepStrictEqual(
      [1, 2, 3].map((i) => lastOf(reward.data[i])),
      [200, 200, 120],
    );
    // the lines are really drawn in the runs' colours
    const inked = await wp.page.evaluate(
      (colours) => {
        const canvas = document.querySelector('[data-chart="reward"] canvas') as HTMLCanvasElement;
        const px = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        const want = colours.map((h) => [1, 3, 5].map((i) => parseInt(h.slice(i, i + 2), 16)));
        return want.map((c) => {
          let n = 0;
          for (let i = 0; i < px.length; i += 4)
            if (
              Math.abs(px[i] - c[0]) < 8 &&
              Math.abs(px[i + 1] - c[1]) < 8 &&
              Math.abs(px[i + 2] - c[2]) < 8
            )
              n++;
          return n;
        });
      },
      [runColour(0), runColour(1), runColour(2)],
    );
    for (const n of inked) assert.ok(n > 50, `pixels of each run's colour in the reward chart: ${inked}`);
    await wp.screenshot('compare-3-runs-dark');
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('zooms on drag, asking the host for each run’s window of the selected steps', async () => {
    await open();
    const before = requests().length;
    const box = (await wp.page.locator('[data-chart="kl"] .u-over').boundingBox())!;
    await wp.page.mouse.move(box.x + box.width * 0.3, box.y + 40);
    await wp.page.mouse.down();
    await wp.page.mouse.move(box.x + box.width * 0.5, box.y + 40, { steps: 5 });
    await wp.page.mouse.up();
    await wp.page.waitForTimeout(500);
    const asked = requests().slice(before);
    assert.deepStrictEqual(asked.map((r) => r.params.runId).sort(), ['/runs/a', '/runs/b', '/runs/c']);
    const [from, to] = [asked[0].params.fromStep!, asked[0].params.toStep!];
    assert.ok(from > 40 && to < 120 && to - from < 60, `zoomed steps ${from}-${to}`);
    for (const r of asked) assert.deepStrictEqual([r.params.fromStep, r.params.toStep], [from, to]);
    const kl = (await charts()).find((c) => c.id === 'kl')!;
    const shown = kl.data[0].filter((x) => x !== null && x >= from && x <= to);
    assert.strictEqual(shown.length, to - from + 1, 'every step of the zoomed range, at full detail');
  });

  it('aligns on time since start (each run’s own steps asked on zoom) and on tokens seen', async () => {
    await open();
    await wp.page.click('vscode-dropdown');
    await wp.page.click('vscode-option:has-text("Time since start")');
    await wp.page.waitForTimeout(200);
    let reward = (await charts()).find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.data[0][0], 0, 'x starts at 0 s for every run');
    // run b takes 3 s a step, a and c 2 s (the fixture): b's last point is the furthest right
    const lastX = (i: number) =>
      reward.data[0][reward.data[i].map((v) => v !== null).lastIndexOf(true)] as number;
    assert.ok(lastX(2) > lastX(1) && lastX(1) > lastX(3), `${lastX(1)} ${lastX(2)} ${lastX(3)}`);
    const before = requests().length;
    const box = (await wp.page.locator('[data-chart="reward"] .u-over').boundingBox())!;
    await wp.page.mouse.move(box.x + box.width * 0.2, box.y + 40);
    await wp.page.mouse.down();
    await wp.page.mouse.move(box.x + box.width * 0.4, box.y + 40, { steps: 5 });
    await wp.page.mouse.up();
    await wp.page.waitForTimeout(500);
    const byRun = Object.fromEntries(
      requests()
        .slice(before)
        .map((r) => [r.params.runId, r.params]),
    );
    assert.ok(byRun['/runs/a'].fromStep! > byRun['/runs/b'].fromStep!, 'a slower clock covers fewer steps');

    await wp.page.click('vscode-dropdown');
    await wp.page.click('vscode-option:has-text("Tokens seen")');
    await wp.page.waitForTimeout(200);
    reward = (await charts()).find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.data[0][0], 900);
    assert.ok(
      reward.data[3].every((v) => v === null),
      'run c logs no token count: not drawn',
    );
    const note = await wp.page.textContent('.legend [data-run="/runs/c"] .note');
    assert.strictEqual(note, 'no token count logged');
    assert.strictEqual(await wp.page.$('.legend [data-run="/runs/a"] .note'), null);
    await wp.screenshot('compare-3-runs-tokens');
  });

  it('appends live points of a run, and asks the host to downsample it again once they pile up', async () => {
    await open();
    const before = requests().length;
    const points = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({
        step: from + i,
        time: 1_800_000_000 + from + i,
        values: { reward: 0.5 },
      }));
    await wp.send({ kind: 'notification', type: 'compareAppend', runId: '/runs/c', points: points(121, 10) });
    await wp.page.waitForTimeout(200);
    const reward = (await charts()).find((c) => c.id === 'reward')!;
    assert.strictEqual(
      reward.data[0][reward.data[3].map((v) => v !== null).lastIndexOf(true)],
      130,
      'run c grew',
    );
    assert.strictEqual(requests().length, before, 'no request for a few points');
    await wp.send({
      kind: 'notification',
      type: 'compareAppend',
      runId: '/runs/c',
      points: points(131, 6000),
    });
    await wp.page.waitForTimeout(500);
    const asked = requests().slice(before);
    assert.deepStrictEqual(
      asked.map((r) => [r.params.runId, r.params.fromStep]),
      [['/runs/c', undefined]],
    );
  });

  it('shows hostile run names as text under the strict CSP', async () => {
    await open(['<img src=x onerror="window.__pwned=1">', 'b\u202Eevil', 'c']);
    assert.strictEqual(await wp.pwned(), undefined);
    const names = await wp.page.$$eval('.legend .name', (els) => els.map((e) => e.textContent));
    assert.strictEqual(names[0], '<img src=x onerror="window.__pwned=1">');
    assert.deepStrictEqual(await wp.problems(), []);
  });
});
