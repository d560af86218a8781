// The dashboard webview's header and empty states, in headless Chromium: another
// trainer's run (read-only, or launched), flat series, the warm start, a run that failed
// before its first step, themes, a long hostile name.
import * as assert from 'assert';
import { FixtureRun } from './fixtureHost';
import { openWebview } from './webviewPage';
import { runLabel } from '../../src/views/runLabel';
import { fixtureRun, useDashboardPage, type Dash } from './dashboardPage';

describe('dashboard webview header and empty states (browser)', function () {
  this.timeout(60_000);
  const t = useDashboardPage();

  it('shows a run of another trainer read-only: its source, no control buttons, what could not be read', async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    t.run.header = {
      ...t.run.header,
      source: 'TRL',
      controllable: false,
      problems: ['2 completions files could not be read'],
    };
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme: 'dark' });
    await t.wp.page.waitForSelector('.chart canvas');
    assert.strictEqual(await t.wp.page.textContent('.badge.source'), 'TRL');
    for (const control of ['pause', 'resume', 'checkpoint', 'stop'])
      assert.strictEqual(
        await t.wp.page.isVisible(`vscode-button[data-control="${control}"]`),
        false,
        control,
      );
    assert.strictEqual(await t.wp.page.isVisible('vscode-button:has-text("Samples")'), true);
    assert.match((await t.wp.page.textContent('.error')) ?? '', /2 completions files could not be read/);
    await t.wp.screenshot('dashboard-foreign-header');
  });

  it("shows another trainer's launched run with pause, resume and stop but no Checkpoint button", async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    t.run.header = {
      ...t.run.header,
      state: 'running',
      source: 'TRL',
      controllable: true,
      checkpointable: false,
    };
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme: 'dark' });
    await t.wp.page.waitForSelector('.chart canvas');
    assert.strictEqual(await t.wp.page.isVisible('vscode-button[data-control="pause"]'), true);
    assert.strictEqual(await t.wp.page.isVisible('vscode-button[data-control="stop"]'), true);
    assert.strictEqual(await t.wp.page.isVisible('vscode-button[data-control="checkpoint"]'), false);
  });

  it('gives a flat line a tight value axis: a KL of exactly 0 gets ±1 (not 0 to 100), a flat beta ±10%', async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    t.run.metrics = t.run.metrics.map((r) => ({ ...r, kl: 0 })); // beta is flat at 0.04 in the fixture
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme: 'dark' });
    await t.wp.page.waitForSelector('[data-chart="kl"] canvas');
    // the KL chart: kl on the left axis (y), beta on the right (y2)
    const scales = await t.wp.page.evaluate(() => {
      const u = (window as unknown as { __dashboard: Dash }).__dashboard.charts.get('kl')
        ?.uplot as unknown as {
        scales: Record<string, { min: number; max: number }>;
      };
      return { y: [u.scales.y.min, u.scales.y.max], y2: [u.scales.y2.min, u.scales.y2.max] };
    });
    assert.deepStrictEqual(scales.y, [-1, 1]);
    const [lo, hi] = scales.y2;
    assert.ok(lo < 0.04 && hi > 0.04 && hi - lo <= 0.0081, `beta axis ${lo}..${hi}`);
    await t.wp.screenshot('dashboard-flat-series');
  });

  it('says how far the warm start is while no GRPO step has been made', async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 0 });
    t.run.header = { ...t.run.header, state: 'running', step: 0, warmup: { step: 13, steps: 250 } };
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme: 'dark' });
    await t.wp.page.waitForFunction(() =>
      document.querySelector('.empty')?.textContent?.includes('Warm start'),
    );
    assert.strictEqual(
      await t.wp.page.textContent('.empty'),
      'Warm start: supervised step 13 of 250. The GRPO curves start after it.',
    );
  });

  it('says a run failed before its first step instead of waiting for one', async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 0 });
    t.run.header = {
      ...t.run.header,
      state: 'failed',
      step: 0,
      error: 'config error: rewards[0].function: cannot import',
    };
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { theme: 'dark' });
    await t.wp.page.waitForFunction(() => document.querySelector('.empty')?.textContent?.includes('failed'));
    assert.strictEqual(
      await t.wp.page.textContent('.empty'),
      'No steps: the run failed before its first step.',
    );
    assert.match((await t.wp.page.textContent('.error')) ?? '', /cannot import/);
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`looks right in the ${theme} theme and re-reads colours on a theme change (screenshot)`, async () => {
      await t.open(theme === 'light' ? 'dark' : 'light');
      await t.wp.setTheme(theme);
      await t.wp.page.waitForTimeout(200);
      const stroke = await t.wp.page.evaluate(() =>
        (
          (window as unknown as { __dashboard: Dash }).__dashboard.charts.get('loss')?.uplot
            ?.series[1] as unknown as { stroke: () => string }
        ).stroke(),
      );
      const expected = { light: '#1a85ff', dark: '#3794ff', 'high-contrast': '#3794ff' }[theme];
      assert.strictEqual(stroke, expected);
      await t.wp.screenshot(`dashboard-${theme}`);
      assert.deepStrictEqual(await t.wp.problems(), []);
    });
  }

  it('cuts a long run name with an ellipsis, full name in a tooltip, controls on one row', async () => {
    t.run = new FixtureRun(fixtureRun, { metricsUpTo: 150 });
    const name = runLabel({ dir: `/w/runs/${'a-very-long-run-name-'.repeat(8)}\u202Eeman` });
    t.run.header = { ...t.run.header, name };
    t.wp = await openWebview(t.browser, 'dashboard', t.run.host, { width: 900 });
    await t.wp.page.waitForSelector('.chart canvas');
    const title = t.wp.page.locator('.header .title');
    assert.strictEqual(await title.textContent(), name);
    assert.ok(name.includes('⟦U+202E⟧'), 'the bidi override is shown, not obeyed');
    assert.strictEqual(await title.getAttribute('title'), name);
    const cut = await title.evaluate((el) => el.scrollWidth > el.clientWidth);
    assert.ok(cut, 'the name is cut');
    const tops = await t.wp.page.$$eval('.header > *', (els) =>
      els.map((e) => Math.round(e.getBoundingClientRect().top + e.getBoundingClientRect().height / 2)),
    );
    assert.ok(Math.max(...tops) - Math.min(...tops) <= 4, `one row: ${tops}`);
    await t.wp.screenshot('dashboard-long-name');
  });
});
