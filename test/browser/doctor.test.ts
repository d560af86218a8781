// The run doctor in the webviews, bundled, in headless Chromium: markers at the steps of
// each finding on the charts concerned, the explanation on hover, Open Dashboard at Step's
// zoom, and the samples panel's filter "Named by a finding". Findings are written by hand
// here (the panels render whatever the doctor found; the doctor has its own tests).
import * as assert from 'assert';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import type { FindingView } from '../../src/contract/messages';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { FixtureRun } from './fixtureHost';
import { openWebview, type WebviewPage } from './webviewPage';

const fixtureRun = path.join(repoRoot, 'test', 'fixtures', 'samples', 'run');

const FINDINGS: FindingView[] = [
  {
    id: 'non-finite',
    severity: 'error',
    steps: [150, 150],
    markSteps: [150],
    message: 'loss is NaN at step 150',
    why: 'A NaN spreads into the weights: every later step is lost.',
    tryThis: 'Lower the learning rate, or clip gradients harder.',
    metrics: ['loss', 'grad_norm'],
  },
  {
    id: 'kl-spike',
    severity: 'warning',
    steps: [60, 62],
    markSteps: [60],
    message: 'KL jumped to 4.1 at step 60 (median 0.02)',
    why: 'The policy moved far from the reference in one update.',
    tryThis: 'Raise beta or lower the learning rate.',
    metrics: ['kl'],
  },
  {
    id: 'mode-collapse',
    severity: 'warning',
    steps: [40, 120],
    markSteps: [],
    message: '2 groups have identical completions',
    why: 'Identical completions have zero reward spread: no learning signal.',
    tryThis: 'Raise the temperature.',
    metrics: ['entropy'],
    groups: [
      { step: 40, group: 1 },
      { step: 120, group: 2 },
      { step: 120, group: 3 },
    ],
  },
];

type Dash = { zoom?: [number, number] };

describe('run doctor in the webviews (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  async function open(app: 'dashboard' | 'samples') {
    const run = new FixtureRun(fixtureRun, { metricsUpTo: 200 });
    wp = await openWebview(browser, app, run.host, { theme: 'dark' });
    await wp.page.waitForSelector(app === 'dashboard' ? '.chart canvas' : '.list');
    await wp.send({ kind: 'notification', type: 'findings', runId: fixtureRun, findings: FINDINGS });
    await wp.page.waitForTimeout(200);
    return run;
  }

  const markers = () =>
    wp.page.evaluate(() =>
      [...document.querySelectorAll('.finding-marker')].map((el) => ({
        chart: el.closest('[data-chart]')?.getAttribute('data-chart'),
        step: Number(el.getAttribute('data-step')),
        id: el.getAttribute('data-finding'),
        severity: [...el.classList].find((c) => c.startsWith('severity-')),
        left: (el as HTMLElement).getBoundingClientRect().left,
      })),
    );

  it('marks each finding at its steps on the charts of its metrics, and nowhere else', async () => {
    await open('dashboard');
    const all = await markers();
    const at = (chart: string) => all.filter((m) => m.chart === chart).map((m) => `${m.id}@${m.step}`);
    assert.deepStrictEqual(at('loss'), ['non-finite@150']);
    assert.deepStrictEqual(at('grad'), ['non-finite@150']);
    assert.deepStrictEqual(at('kl'), ['kl-spike@60']);
    // no markSteps: marked where it starts
    assert.deepStrictEqual(at('entropy'), ['mode-collapse@40']);
    assert.deepStrictEqual(at('reward'), []);
    assert.strictEqual(all.find((m) => m.chart === 'loss')?.severity, 'severity-error');
    // the marker sits where the chart draws step 150
    const pos = await wp.page.evaluate(() => {
      const chart = document.querySelector('[data-chart="loss"]') as HTMLElement;
      const over = chart.querySelector('.u-over') as HTMLElement;
      const marker = chart.querySelector('.finding-marker') as HTMLElement;
      const d = (
        window as unknown as {
          __dashboard: { charts: Map<string, { uplot: { valToPos(v: number, s: string): number } }> };
        }
      ).__dashboard;
      const expected = over.getBoundingClientRect().left + d.charts.get('loss')!.uplot.valToPos(150, 'x');
      const line = marker.getBoundingClientRect().left + marker.getBoundingClientRect().width / 2;
      return { expected, line };
    });
    assert.ok(Math.abs(pos.expected - pos.line) <= 1.5, `marker at ${pos.line}, step 150 at ${pos.expected}`);
  });

  it('widens a chart to show a marker past the end of its data (a NaN loss is not drawn)', async () => {
    const run = await open('dashboard');
    assert.strictEqual(run.metrics.at(-1)?.step, 200);
    const late = { ...FINDINGS[0], steps: [203, 203] as [number, number], markSteps: [203] };
    await wp.send({ kind: 'notification', type: 'findings', runId: fixtureRun, findings: [late] });
    await wp.page.waitForTimeout(200);
    assert.deepStrictEqual(
      (await markers()).filter((m) => m.chart === 'loss').map((m) => m.step),
      [203],
    );
    const max = await wp.page.evaluate(
      () =>
        (
          window as unknown as {
            __dashboard: { charts: Map<string, { uplot: { scales: { x: { max: number } } } }> };
          }
        ).__dashboard.charts.get('loss')!.uplot.scales.x.max,
    );
    assert.ok(max >= 203, `x max ${max}`);
  });

  it('explains a finding when its marker is hovered (screenshot)', async () => {
    await open('dashboard');
    const marker = wp.page.locator('[data-chart="kl"] .finding-marker');
    await marker.hover();
    const tip = wp.page.locator('[data-chart="kl"] .finding-tip');
    await tip.waitFor({ state: 'visible' });
    const text = await tip.innerText();
    assert.match(text, /Step 60/);
    assert.match(text, /KL jumped to 4\.1 at step 60/);
    assert.match(text, /Why it matters: The policy moved far/);
    assert.match(text, /Try: Raise beta/);
    await wp.screenshot('doctor-dashboard-marker-hover');
    await wp.page.mouse.move(5, 5);
    await tip.waitFor({ state: 'hidden' });
  });

  it('zooms around the step that Open Dashboard at Step names, and clears markers that went', async () => {
    await open('dashboard');
    await wp.send({ kind: 'notification', type: 'focusStep', runId: fixtureRun, step: 150 });
    await wp.page.waitForTimeout(400);
    const zoom = await wp.page.evaluate(() => (window as unknown as { __dashboard: Dash }).__dashboard.zoom);
    assert.ok(zoom && zoom[0] < 150 && zoom[1] > 150 && zoom[1] - zoom[0] <= 60, `zoom ${zoom}`);
    const focused = await wp.page.locator('[data-chart="loss"] .finding-marker.focused').count();
    assert.strictEqual(focused, 1, 'the marker of that step is highlighted');
    // the kl-spike at 60 is outside the zoomed range: not drawn
    assert.strictEqual(await wp.page.locator('[data-chart="kl"] .finding-marker').count(), 0);
    await wp.screenshot('doctor-dashboard-focus-step');
    await wp.send({ kind: 'notification', type: 'findings', runId: fixtureRun, findings: [] });
    await wp.page.waitForTimeout(200);
    assert.strictEqual((await markers()).length, 0);
  });

  it('filters the samples to the groups a finding names, going to a step that has them (screenshot)', async () => {
    await open('samples');
    const box = wp.page.locator('vscode-checkbox.named');
    assert.strictEqual(await box.isVisible(), true);
    assert.match(await box.innerText(), /Named by a finding \(3\)/);
    const groupsShown = () =>
      wp.page.evaluate(() =>
        (
          window as unknown as {
            __samples: { rows: { kind: string; group: { step: number; group: number } }[] };
          }
        ).__samples.rows
          .filter((r) => r.kind === 'group')
          .map((r) => `${r.group.step}:${r.group.group}`),
      );
    // follows live: the latest step (200) names no group
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 200');
    assert.strictEqual((await groupsShown()).length, 4);
    await box.click();
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 120');
    await wp.page.waitForTimeout(200);
    assert.deepStrictEqual(await groupsShown(), ['120:2', '120:3']);
    await wp.screenshot('doctor-samples-named-filter');
    // a step with none says which steps have them
    await wp.page
      .locator('.step-box input')
      .fill('10')
      .catch(() => undefined);
    await wp.page.evaluate(() => {
      const el = document.querySelector('.step-box') as HTMLElement & { value: string };
      el.value = '10';
      el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    });
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 10');
    await wp.page.waitForTimeout(200);
    assert.deepStrictEqual(await groupsShown(), []);
    assert.match(await wp.page.locator('.empty').innerText(), /Steps with named groups: 40, 120/);
  });

  it('hides the filter when no finding names a group', async () => {
    await open('samples');
    await wp.send({
      kind: 'notification',
      type: 'findings',
      runId: fixtureRun,
      findings: FINDINGS.slice(0, 2),
    });
    await wp.page.waitForTimeout(100);
    assert.strictEqual(await wp.page.locator('vscode-checkbox.named').isVisible(), false);
  });
});
