// The dashboard webview, bundled, in headless Chromium: charts from a fixture run, live
// points appended, resume supersession, synced crosshairs, smoothing, zoom, run control.
// Its header and empty states: dashboardHeader.test.ts.
import * as assert from 'assert';
import { allRows, useDashboardPage, type Dash } from './dashboardPage';

describe('dashboard webview (browser)', function () {
  this.timeout(60_000);
  const t = useDashboardPage();

  it('draws every GRPO chart, and unknown metrics grouped by prefix, from the series window', async () => {
    await t.open();
    assert.strictEqual(t.wp.posted[0].kind, 'ready');
    const info = await t.chartInfo();
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
    assert.ok((await t.inked('reward')) > 0.01, 'reward chart has ink');
    assert.match((await t.wp.page.textContent('.header')) ?? '', /step 150 \/ 200/);
    assert.deepStrictEqual(await t.wp.problems(), []);
  });

  it('labels the step axis with whole steps only, none repeated, early in a run', async () => {
    await t.open('dark', 3);
    const ticks = await t.wp.page.evaluate(() => {
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
    await t.open();
    await t.run.append(allRows.slice(150, 160));
    await t.wp.page.waitForFunction(
      () => (window as unknown as { __dashboard: Dash }).__dashboard.series.lastStep === 160,
    );
    await t.wp.page.waitForTimeout(100);
    let reward = (await t.chartInfo()).charts.find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.xs[reward.xs.length - 1], 160);
    assert.strictEqual(reward.scale[1], 160, 'x scale followed');
    assert.match((await t.wp.page.textContent('.header')) ?? '', /step 160/);
    // resumed from step 155: the trainer logs 155.. again with other values
    await t.wp.send({
      kind: 'notification',
      type: 'append',
      runId: t.run.dir,
      supersededFrom: 155,
      points: [{ step: 155, values: { reward: 5 } }],
    });
    await t.wp.page.waitForTimeout(150);
    reward = (await t.chartInfo()).charts.find((c) => c.id === 'reward')!;
    assert.strictEqual(reward.xs[reward.xs.length - 1], 155);
    assert.strictEqual(reward.ys[reward.ys.length - 1], 5);
  });

  it('asks the host to downsample again once live points pile up', async () => {
    await t.open();
    const rows = Array.from({ length: 6500 }, (_, i) => ({
      step: 151 + i,
      time: 1700000400 + i,
      loss: Math.sin(i / 50),
    }));
    await t.run.append(rows);
    await t.wp.page.waitForFunction(
      () => (window as unknown as { __dashboard: Dash }).__dashboard.series.lastStep === 6650,
    );
    await t.wp.page.waitForTimeout(300);
    assert.ok(
      t.wp.posted.some((m) => m.kind === 'request' && m.method === 'seriesWindow'),
      'asked for a new overview',
    );
    const loss = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(loss.xs.length < 2000, `${loss.xs.length} points after compaction`);
    assert.strictEqual(loss.xs[loss.xs.length - 1], 6650);
  });

  it('syncs the crosshair across charts', async () => {
    await t.open();
    const box = (await t.wp.page.locator('[data-chart="reward"] .u-over').boundingBox())!;
    await t.wp.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await t.wp.page.waitForTimeout(100);
    const lefts = await t.wp.page.evaluate(() =>
      [...(window as unknown as { __dashboard: Dash }).__dashboard.charts.values()].map(
        (c) => c.uplot?.cursor.left ?? -1,
      ),
    );
    assert.ok(
      lefts.every((l) => l > 0),
      `cursor on every chart: ${lefts}`,
    );
    await t.wp.screenshot('dashboard-crosshair-dark');
  });

  it('smooths with an EMA and zooms on drag, asking the host for the zoomed window', async () => {
    await t.open();
    const raw = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!.ys;
    await t.wp.page.locator('.smoothing').fill('0.9');
    await t.wp.page.waitForTimeout(150);
    const smooth = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!.ys;
    const variation = (ys: (number | null)[]) =>
      ys.slice(1).reduce<number>((a, y, i) => a + Math.abs((y ?? 0) - (ys[i] ?? 0)), 0);
    assert.ok(variation(smooth) < variation(raw) / 2, 'smoothed loss varies less');
    const box = (await t.wp.page.locator('[data-chart="entropy"] .u-over').boundingBox())!;
    await t.wp.page.mouse.move(box.x + box.width * 0.25, box.y + 40);
    await t.wp.page.mouse.down();
    await t.wp.page.mouse.move(box.x + box.width * 0.5, box.y + 40, { steps: 5 });
    await t.wp.page.mouse.up();
    await t.wp.page.waitForTimeout(400);
    const charts = (await t.chartInfo()).charts;
    for (const c of charts) assert.ok(c.scale[1] - c.scale[0] < 60, `${c.id} zoomed: ${c.scale}`);
    assert.ok(
      t.wp.posted.some((m) => m.kind === 'request' && m.method === 'seriesWindow'),
      'asked for detail',
    );
    assert.strictEqual(
      await t.wp.page.evaluate(
        () => (document.querySelector('vscode-checkbox') as unknown as { checked: boolean }).checked,
      ),
      false,
      'follow off',
    );
    await t.wp.page.dblclick('[data-chart="loss"] .u-over');
    await t.wp.page.waitForTimeout(200);
    const reset = (await t.chartInfo()).charts.find((c) => c.id === 'entropy')!;
    assert.ok(reset.scale[1] - reset.scale[0] > 100, `reset: ${reset.scale}`);
  });

  it('switches the x axis to wall-clock time', async () => {
    await t.open();
    await t.wp.page.click('vscode-dropdown');
    await t.wp.page.click('vscode-option:has-text("Wall clock")');
    await t.wp.page.waitForTimeout(200);
    const loss = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(loss.xs[0] > 1_600_000_000, `x is unix time: ${loss.xs[0]}`);
  });

  it('zooms on the wall-clock axis, asking the host for the steps of the selected times', async () => {
    await t.open();
    // A coarse overview (at most 32 points a metric), so the detail window adds points.
    await t.wp.send({ kind: 'notification', type: 'series', window: t.run.window(16) });
    await t.wp.page.click('vscode-dropdown');
    await t.wp.page.click('vscode-option:has-text("Wall clock")');
    await t.wp.page.waitForTimeout(200);
    const overview = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.ok(overview.xs.length <= 32, `coarse overview: ${overview.xs.length} points`);
    assert.ok(overview.xs[0] > 1_600_000_000, `x is unix time: ${overview.xs[0]}`);
    const before = t.wp.posted.length;
    const box = (await t.wp.page.locator('[data-chart="entropy"] .u-over').boundingBox())!;
    await t.wp.page.mouse.move(box.x + box.width * 0.3, box.y + 40);
    await t.wp.page.mouse.down();
    await t.wp.page.mouse.move(box.x + box.width * 0.6, box.y + 40, { steps: 5 });
    await t.wp.page.mouse.up();
    await t.wp.page.waitForTimeout(400);
    const requests = t.wp.posted
      .slice(before)
      .flatMap((m) => (m.kind === 'request' && m.method === 'seriesWindow' ? [m.params] : []));
    assert.strictEqual(requests.length, 1, `one detail request: ${JSON.stringify(requests)}`);
    const loss = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!;
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
    for (const c of (await t.chartInfo()).charts)
      assert.deepStrictEqual(c.scale, [tMin, tMax], `${c.id} zoomed`);
    await t.wp.page.dblclick('[data-chart="loss"] .u-over');
    await t.wp.page.waitForTimeout(200);
    const reset = (await t.chartInfo()).charts.find((c) => c.id === 'loss')!;
    assert.deepStrictEqual(reset.xs, overview.xs, 'back to the overview');
    assert.ok(reset.scale[1] - reset.scale[0] > 200, `reset: ${reset.scale}`);
    assert.deepStrictEqual(await t.wp.problems(), []);
  });

  it('runs the palette commands from the header buttons', async () => {
    await t.open();
    await t.wp.page.click('vscode-button[data-control="pause"]');
    await t.wp.page.click('vscode-button[data-control="checkpoint"]');
    const cmds = t.wp.posted.filter((m) => m.kind === 'command');
    assert.deepStrictEqual(
      cmds.map((c) => (c.kind === 'command' && c.command === 'runControl' ? [c.control, c.runId] : [])),
      [
        ['pause', t.run.dir],
        ['checkpoint', t.run.dir],
      ],
    );
    assert.strictEqual(await t.wp.page.getAttribute('vscode-button[data-control="resume"]', 'disabled'), '');
  });
});
