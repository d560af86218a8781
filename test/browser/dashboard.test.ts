// The dashboard webview, bundled, in headless Chromium: charts from a fixture run, live
// points appended, resume supersession, synced crosshairs, smoothing, zoom, run control.
import * as assert from 'assert';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { FixtureRun, readJsonl } from './fixtureHost';
import { openWebview, type WebviewPage } from './webviewPage';
import type { MetricRow } from '../../src/runs/model';
import { runLabel } from '../../src/views/runLabel';

const fixtureRun = path.join(repoRoot, 'test', 'fixtures', 'samples', 'run');
const allRows = readJsonl<MetricRow>(path.join(fixtureRun, 'metrics.jsonl'));

type Dash = {
  series: { lastStep: number; pointCount(): number };
  charts: Map<
    string,
    {
      uplot?: {
        data: unknown[][];
        series: { label: string }[];
        cursor: { left: number };
        scales: { x: { min: number; max: number } };
      };
    }
  >;
};

describe('dashboard webview (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;
  let run: FixtureRun;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  async function open(theme: 'light' | 'dark' | 'high-contrast' = 'dark', upTo = 150) {
    run = new FixtureRun(fixtureRun, { metricsUpTo: upTo });
    wp = await openWebview(browser, 'dashboard', run.host, { theme });
    await wp.page.waitForSelector('.chart canvas');
    await wp.page.waitForTimeout(100);
  }

  const chartInfo = () =>
    wp.page.evaluate(() => {
      const d = (window as unknown as { __dashboard: Dash }).__dashboard;
      return {
        lastStep: d.series.lastStep,
        charts: [...d.charts.entries()].map(([id, c]) => ({
          id,
          labels: c.uplot?.series.map((s) => s.label) ?? [],
          xs: (c.uplot?.data[0] ?? []) as number[],
          ys: (c.uplot?.data[1] ?? []) as (number | null)[],
          scale: c.uplot ? [c.uplot.scales.x.min, c.uplot.scales.x.max] : [],
        })),
      };
    });

  /** Fraction of canvas pixels that differ from the first pixel: a drawn chart is not blank. */
  const inked = (id: string) =>
    wp.page.evaluate((id) => {
      const canvas = document.querySelector(`[data-chart="${id}"] canvas`) as HTMLCanvasElement;
      const ctx = canvas.getContext('2d') as CanvasRenderingContext2D;
      const px = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      let differ = 0;
      for (let i = 0; i < px.length; i += 4) if (px[i + 3] !== px[3] || px[i] !== px[0]) differ++;
      return differ / (px.length / 4);
    }, id);

  it('draws every GRPO chart, and unknown metrics grouped by prefix, from the series window', async () => {
    await open();
    assert.strictEqual(wp.posted[0].kind, 'ready');
    const info = await chartInfo();
    const ids = info.charts.map((c) => c.id);
    for (const id of [
      'reward',
      'kl',
      'loss',
      'clip',
      'entropy',
      'length',
      'zero-std',
      'grad',
      'timing',
      'throughput',
      'other:custom',
    ]) {
      assert.ok(ids.includes(id), `chart ${id} in ${ids}`);
    }
    const reward = info.charts.find((c) => c.id === 'reward')!;
    assert.deepStrictEqual(reward.labels.slice(0, 4), ['step', 'reward', '+σ', '−σ']);
    assert.ok(reward.labels.includes('accuracy') && reward.labels.includes('format'));
    assert.strictEqual(reward.xs[reward.xs.length - 1], 150);
    assert.ok((await inked('reward')) > 0.01, 'reward chart has ink');
    assert.match((await wp.page.textContent('.header')) ?? '', /step 150 \/ 200/);
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('labels the step axis with whole steps only, none repeated, early in a run', async () => {
    await open('dark', 3);
    const ticks = await wp.page.evaluate(() => {
      const d = (window as unknown as { __dashboard: Dash }).__dashboard;
      // uPlot keeps the drawn x-axis ticks and their labels on the axis after a draw.
      const u = d.charts.get('reward')!.uplot as unknown as {
        axes: { _splits?: number[]; _values?: string[] }[];
      };
      return { splits: u.axes[0]._splits ?? [], values: u.axes[0]._values ?? [] };
    });
    assert.ok(ticks.splits.length >= 2, `ticks drawn: ${JSON.stringify(ticks)}`);
    assert.ok(
      ticks.splits.every((t) => Number.isInteger(t)),
      `whole steps: ${ticks.splits}`,
    );
    assert.strictEqual(new Set(ticks.values).size, ticks.values.length, `no repeated label: ${ticks.values}`);
  });

  it('appends live points and follows the run; a resume supersedes later points', async () => {
    await open();
    await run.append(allRows.slice(150, 160));
    await wp.page.waitForFunction(
      () => (window as unknown as { __dashboard: Dash }).__dashboard.series.lastStep === 160,
    );
    await wp.page.waitForTimeout(100);
    let reward = (await chartInfo()).charts.find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.xs[reward.xs.length - 1], 160);
    assert.strictEqual(reward.scale[1], 160, 'x scale followed');
    assert.match((await wp.page.textContent('.header')) ?? '', /step 160/);
    // resumed from step 155: the trainer logs 155.. again with other values
    await wp.send({
      kind: 'notification',
      type: 'append',
      runId: run.dir,
      supersededFrom: 155,
      points: [{ step: 155, values: { reward: 5 } }],
    });
    await wp.page.waitForTimeout(150);
    reward = (await chartInfo()).charts.find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.xs[reward.xs.length - 1], 155);
    assert.strictEqual(reward.ys[reward.ys.length - 1], 5);
  });

  it('asks the host to downsample again once live points pile up', async () => {
    await open();
    const rows = Array.from({ length: 6500 }, (_, i) => ({
      step: 151 + i,
      time: 1700000400 + i,
      loss: Math.sin(i / 50),
    }));
    await run.append(rows);
    await wp.page.waitForFunction(
      () => (window as unknown as { __dashboard: Dash }).__dashboard.series.lastStep === 6650,
    );
    await wp.page.waitForTimeout(300);
    assert.ok(
      wp.posted.some((m) => m.kind === 'request' && m.method === 'seriesWindow'),
      'asked for a new overview',
    );
    const loss = (await chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(loss.xs.length < 2000, `${loss.xs.length} points after compaction`);
    assert.strictEqual(loss.xs[loss.xs.length - 1], 6650);
  });

  it('syncs the crosshair across charts', async () => {
    await open();
    const box = (await wp.page.locator('[data-chart="reward"] .u-over').boundingBox())!;
    await wp.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await wp.page.waitForTimeout(100);
    const lefts = await wp.page.evaluate(() =>
      [...(window as unknown as { __dashboard: Dash }).__dashboard.charts.values()].map(
        (c) => c.uplot?.cursor.left ?? -1,
      ),
    );
    assert.ok(
      lefts.every((l) => l > 0),
      `cursor on every chart: ${lefts}`,
    );
    await wp.screenshot('dashboard-crosshair-dark');
  });

  it('smooths with an EMA and zooms on drag, asking the host for the zoomed window', async () => {
    await open();
    const raw = (await chartInfo()).charts.find((c) => c.id === 'loss')!.ys;
    await wp.page.locator('.smoothing').fill('0.9');
    await wp.page.waitForTimeout(150);
    const smooth = (await chartInfo()).charts.find((c) => c.id === 'loss')!.ys;
    const variation = (ys: (number | null)[]) =>
      ys.slice(1).reduce<number>((a, y, i) => a + Math.abs((y ?? 0) - (ys[i] ?? 0)), 0);
    assert.ok(variation(smooth) < variation(raw) / 2, 'smoothed loss varies less');
    const box = (await wp.page.locator('[data-chart="entropy"] .u-over').boundingBox())!;
    await wp.page.mouse.move(box.x + box.width * 0.25, box.y + 40);
    await wp.page.mouse.down();
    await wp.page.mouse.move(box.x + box.width * 0.5, box.y + 40, { steps: 5 });
    await wp.page.mouse.up();
    await wp.page.waitForTimeout(400);
    const charts = (await chartInfo()).charts;
    for (const c of charts) assert.ok(c.scale[1] - c.scale[0] < 60, `${c.id} zoomed: ${c.scale}`);
    assert.ok(
      wp.posted.some((m) => m.kind === 'request' && m.method === 'seriesWindow'),
      'asked for detail',
    );
    assert.strictEqual(
      await wp.page.evaluate(
        () => (document.querySelector('vscode-checkbox') as unknown as { checked: boolean }).checked,
      ),
      false,
      'follow off',
    );
    await wp.page.dblclick('[data-chart="loss"] .u-over');
    await wp.page.waitForTimeout(200);
    const reset = (await chartInfo()).charts.find((c) => c.id === 'entropy')!;
    assert.ok(reset.scale[1] - reset.scale[0] > 100, `reset: ${reset.scale}`);
  });

  it('switches the x axis to wall-clock time', async () => {
    await open();
    await wp.page.click('vscode-dropdown');
    await wp.page.click('vscode-option:has-text("Wall clock")');
    await wp.page.waitForTimeout(200);
    const loss = (await chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(loss.xs[0] > 1_600_000_000, `x is unix time: ${loss.xs[0]}`);
  });

  it('zooms on the wall-clock axis, asking the host for the steps of the selected times', async () => {
    await open();
    // A coarse overview (at most 32 points a metric), so the detail window adds points.
    await wp.send({ kind: 'notification', type: 'series', window: run.window(16) });
    await wp.page.click('vscode-dropdown');
    await wp.page.click('vscode-option:has-text("Wall clock")');
    await wp.page.waitForTimeout(200);
    const overview = (await chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(overview.xs.length <= 32, `coarse overview: ${overview.xs.length} points`);
    assert.ok(overview.xs[0] > 1_600_000_000, `x is unix time: ${overview.xs[0]}`);
    const before = wp.posted.length;
    const box = (await wp.page.locator('[data-chart="entropy"] .u-over').boundingBox())!;
    await wp.page.mouse.move(box.x + box.width * 0.3, box.y + 40);
    await wp.page.mouse.down();
    await wp.page.mouse.move(box.x + box.width * 0.6, box.y + 40, { steps: 5 });
    await wp.page.mouse.up();
    await wp.page.waitForTimeout(400);
    const requests = wp.posted
      .slice(before)
      .flatMap((m) => (m.kind === 'request' && m.method === 'seriesWindow' ? [m.params] : []));
    assert.strictEqual(requests.length, 1, `one detail request: ${JSON.stringify(requests)}`);
    const loss = (await chartInfo()).charts.find((c) => c.id === 'loss')!;
    const [tMin, tMax] = loss.scale;
    // The fixture logs time = 1700000000 + 2 * step.
    const stepOf = (t: number) => (t - 1_700_000_000) / 2;
    const { fromStep, toStep } = requests[0];
    assert.strictEqual(fromStep, Math.floor(stepOf(tMin)), `from step for ${tMin}`);
    assert.strictEqual(toStep, Math.ceil(stepOf(tMax)), `to step for ${tMax}`);
    assert.ok(toStep! - fromStep! >= 20 && toStep! - fromStep! < 80, `${fromStep}..${toStep}`);
    // Every step of the zoomed range is drawn, at its logged time, with its logged loss.
    const rows = allRows.filter((r) => r.step >= fromStep! && r.step <= toStep!);
    for (const r of rows) {
      const i = loss.xs.indexOf(r.time as number);
      assert.ok(i >= 0, `step ${r.step} drawn at ${r.time}`);
      assert.ok(Math.abs((loss.ys[i] as number) - (r.loss as number)) < 1e-5, `loss at step ${r.step}`);
    }
    const inView = (xs: number[]) => xs.filter((x) => x >= tMin && x <= tMax).length;
    assert.ok(inView(loss.xs) > inView(overview.xs) * 2, 'more points in view than the overview had');
    for (const c of (await chartInfo()).charts)
      assert.deepStrictEqual(c.scale, [tMin, tMax], `${c.id} zoomed`);
    await wp.page.dblclick('[data-chart="loss"] .u-over');
    await wp.page.waitForTimeout(200);
    const reset = (await chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.deepStrictEqual(reset.xs, overview.xs, 'back to the overview');
    assert.ok(reset.scale[1] - reset.scale[0] > 200, `reset: ${reset.scale}`);
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('runs the palette commands from the header buttons', async () => {
    await open();
    await wp.page.click('vscode-button[data-control="pause"]');
    await wp.page.click('vscode-button[data-control="checkpoint"]');
    const cmds = wp.posted.filter((m) => m.kind === 'command');
    assert.deepStrictEqual(
      cmds.map((c) => (c.kind === 'command' && c.command === 'runControl' ? [c.control, c.runId] : [])),
      [
        ['pause', run.dir],
        ['checkpoint', run.dir],
      ],
    );
    assert.strictEqual(await wp.page.getAttribute('vscode-button[data-control="resume"]', 'disabled'), '');
  });

  it('shows a run of another trainer read-only: its source, no control buttons, what could not be read', async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    run.header = {
      ...run.header,
      source: 'TRL',
      controllable: false,
      problems: ['2 completions files could not be read'],
    };
    wp = await openWebview(browser, 'dashboard', run.host, { theme: 'dark' });
    await wp.page.waitForSelector('.chart canvas');
    assert.strictEqual(await wp.page.textContent('.badge.source'), 'TRL');
    for (const control of ['pause', 'resume', 'checkpoint', 'stop'])
      assert.strictEqual(await wp.page.isVisible(`vscode-button[data-control="${control}"]`), false, control);
    assert.strictEqual(await wp.page.isVisible('vscode-button:has-text("Samples")'), true);
    assert.match((await wp.page.textContent('.error')) ?? '', /2 completions files could not be read/);
    await wp.screenshot('dashboard-foreign-header');
  });

  it("shows another trainer's launched run with pause, resume and stop but no Checkpoint button", async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    run.header = {
      ...run.header,
      state: 'running',
      source: 'TRL',
      controllable: true,
      checkpointable: false,
    };
    wp = await openWebview(browser, 'dashboard', run.host, { theme: 'dark' });
    await wp.page.waitForSelector('.chart canvas');
    assert.strictEqual(await wp.page.isVisible('vscode-button[data-control="pause"]'), true);
    assert.strictEqual(await wp.page.isVisible('vscode-button[data-control="stop"]'), true);
    assert.strictEqual(await wp.page.isVisible('vscode-button[data-control="checkpoint"]'), false);
  });

  it('gives a flat line a tight value axis: a KL of exactly 0 gets ±1 (not 0 to 100), a flat beta ±10%', async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    run.metrics = run.metrics.map((r) => ({ ...r, kl: 0 })); // beta is flat at 0.04 in the fixture
    wp = await openWebview(browser, 'dashboard', run.host, { theme: 'dark' });
    await wp.page.waitForSelector('[data-chart="kl"] canvas');
    // the KL chart: kl on the left axis (y), beta on the right (y2)
    const scales = await wp.page.evaluate(() => {
      const u = (window as unknown as { __dashboard: Dash }).__dashboard.charts.get('kl')
        ?.uplot as unknown as {
        scales: Record<string, { min: number; max: number }>;
      };
      return { y: [u.scales.y.min, u.scales.y.max], y2: [u.scales.y2.min, u.scales.y2.max] };
    });
    assert.deepStrictEqual(scales.y, [-1, 1]);
    const [lo, hi] = scales.y2;
    assert.ok(lo < 0.04 && hi > 0.04 && hi - lo <= 0.0081, `beta axis ${lo}..${hi}`);
    await wp.screenshot('dashboard-flat-series');
  });

  it('says how far the warm start is while no GRPO step has been made', async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 0 });
    run.header = { ...run.header, state: 'running', step: 0, warmup: { step: 13, steps: 250 } };
    wp = await openWebview(browser, 'dashboard', run.host, { theme: 'dark' });
    await wp.page.waitForFunction(() =>
      document.querySelector('.empty')?.textContent?.includes('Warm start'),
    );
    assert.strictEqual(
      await wp.page.textContent('.empty'),
      'Warm start: supervised step 13 of 250. The GRPO curves start after it.',
    );
  });

  it('says a run failed before its first step instead of waiting for one', async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 0 });
    run.header = {
      ...run.header,
      state: 'failed',
      step: 0,
      error: 'config error: rewards[0].function: cannot import',
    };
    wp = await openWebview(browser, 'dashboard', run.host, { theme: 'dark' });
    await wp.page.waitForFunction(() => document.querySelector('.empty')?.textContent?.includes('failed'));
    assert.strictEqual(
      await wp.page.textContent('.empty'),
      'No steps: the run failed before its first step.',
    );
    assert.match((await wp.page.textContent('.error')) ?? '', /cannot import/);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`looks right in the ${theme} theme and re-reads colours on a theme change (screenshot)`, async () => {
      await open(theme === 'light' ? 'dark' : 'light');
      await wp.setTheme(theme);
      await wp.page.waitForTimeout(200);
      const stroke = await wp.page.evaluate(() =>
        (
          (window as unknown as { __dashboard: Dash }).__dashboard.charts.get('loss')?.uplot
            ?.series[1] as unknown as { stroke: () => string }
        ).stroke(),
      );
      const expected = { light: '#1a85ff', dark: '#3794ff', 'high-contrast': '#3794ff' }[theme];
      assert.strictEqual(stroke, expected);
      await wp.screenshot(`dashboard-${theme}`);
      assert.deepStrictEqual(await wp.problems(), []);
    });
  }

  it('cuts a long run name with an ellipsis, full name in a tooltip, controls on one row', async () => {
    run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    const name = runLabel({ dir: `/w/runs/${'a-very-long-run-name-'.repeat(8)}\u202Eeman` });
    run.header = { ...run.header, name };
    wp = await openWebview(browser, 'dashboard', run.host, { width: 900 });
    await wp.page.waitForSelector('.chart canvas');
    const title = wp.page.locator('.header .title');
    assert.strictEqual(await title.textContent(), name);
    assert.ok(name.includes('⟦U+202E⟧'), 'the bidi override is shown, not obeyed');
    assert.strictEqual(await title.getAttribute('title'), name);
    const cut = await title.evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.ok(cut, 'the name is cut');
    const tops = await wp.page.$$eval('.header > *', (els) =>
      els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)),
    );
    assert.ok(Math.max(...tops) - Math.min(...tops) <= 4, `one row: ${tops}`);
    await wp.screenshot('dashboard-long-name');
  });
});
