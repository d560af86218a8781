// The runs table webview, bundled, in headless Chromium: sort, filter, group, pin,
// select and compare, live updates that keep sort, filter, selection and scroll,
// virtualised rows, hostile names as text, themes.
import * as assert from 'assert';
import type { Browser } from 'playwright-core';
import type { WebviewToHost } from '../../src/contract/messages';
import { launchChromium } from '../harness/browser';
import { fakeRun, rowsOf, RunsTableHost } from './runsTableHost';
import { openWebview, type WebviewPage } from './webviewPage';

type Hooks = { order(): string[]; rendered(): number; selected(): string[] };

describe('runs table webview (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;
  let fake: RunsTableHost;

  before(async () => (browser = await launchChromium()));
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  async function open(n: number, tags: (i: number) => string[] = () => [], theme: 'dark' | 'light' = 'dark') {
    fake = new RunsTableHost(
      rowsOf(
        Array.from({ length: n }, (_, i) => fakeRun(i)),
        tags,
      ),
    );
    wp = await openWebview(browser, 'runsTable', fake.host, { theme, height: 700 });
    await wp.page.waitForSelector('.row.run');
  }
  const order = () =>
    wp.page.evaluate(() => (window as unknown as { __runsTable: Hooks }).__runsTable.order());
  const rendered = () =>
    wp.page.evaluate(() => (window as unknown as { __runsTable: Hooks }).__runsTable.rendered());
  const header = (label: string) =>
    wp.page.locator('.row.header .cell.head', { hasText: new RegExp(`^${label}$`) });
  const rewardOf = (id: string) => fake.rows.find((r) => r.id === id)!.metrics.reward.last!;
  const commands = () =>
    wp.posted.filter((m): m is Extract<WebviewToHost, { kind: 'command' }> => m.kind === 'command');

  it('says ready, shows every run with the config columns that differ, newest first', async () => {
    await open(12);
    assert.strictEqual(wp.posted[0].kind, 'ready');
    assert.match((await wp.page.textContent('.summary')) ?? '', /^12 of 12 runs$/);
    const heads = await wp.page.$$eval('.row.header .cell.head', (els) =>
      els.map((e) => e.getAttribute('data-column')),
    );
    assert.ok(heads.includes('config:beta') && heads.includes('config:loss_type'), heads.join());
    assert.ok(!heads.includes('config:num_generations'), 'G is 8 in every run: not shown by default');
    assert.ok(heads.includes('metric:reward:best') && heads.includes('metric:reward:mean'));
    assert.deepStrictEqual((await order()).slice(0, 2), ['/ws/runs/run-011', '/ws/runs/run-010']);
    assert.deepStrictEqual(await wp.problems(), []);
    await wp.screenshot('runs-table-dark');
  });

  it('sorts by a column, numbers as numbers, and back the other way', async () => {
    await open(30);
    await header('reward last').click();
    const down = await order();
    for (let i = 1; i < down.length; i++)
      assert.ok(rewardOf(down[i - 1]) >= rewardOf(down[i]), `${down[i - 1]} ≥ ${down[i]}`);
    await header('reward last').click();
    const up = await order();
    for (let i = 1; i < up.length; i++) assert.ok(rewardOf(up[i - 1]) <= rewardOf(up[i]));
    assert.strictEqual(await wp.page.getAttribute('.cell.head.sorted', 'aria-sort'), 'ascending');
  });

  it('filters by words, tags and numeric ranges; groups by a tag prefix', async () => {
    await open(20, (i) => (i < 6 ? ['sweep:beta-grid', `beta=${i}`] : i === 7 ? ['baseline'] : []));
    const search = wp.page.locator('.search input');
    await search.fill('beta<0.02');
    await wp.page.waitForFunction(() =>
      /^10 of 20/.test(document.querySelector('.summary')?.textContent ?? ''),
    );
    for (const id of await order())
      assert.ok((fake.rows.find((r) => r.id === id)!.config.beta as number) < 0.02);
    await search.fill('tag:sweep reward.best>0.3');
    await wp.page.waitForTimeout(100);
    const kept = await order();
    assert.ok(kept.length > 0 && kept.length < 6, kept.join());
    for (const id of kept) assert.ok(fake.rows.find((r) => r.id === id)!.metrics.reward.best! > 0.3);
    await search.fill('baseline');
    await wp.page.waitForTimeout(100);
    assert.deepStrictEqual(await order(), ['/ws/runs/run-007']);
    await search.fill('');
    await wp.page.selectOption('.group-by', 'tag:sweep');
    await wp.page.waitForTimeout(100);
    const grouped = await order();
    assert.strictEqual(grouped[0], '[beta-grid]');
    assert.strictEqual(grouped.indexOf('[(none)]'), 7, 'six sweep runs, then the rest');
    await wp.screenshot('runs-table-grouped');
    const saved = commands().filter((c) => c.command === 'tableSaveView');
    await wp.page.waitForTimeout(400);
    assert.strictEqual(fake.view.groupBy, 'tag:sweep', `the choice reaches the host (${saved.length} saves)`);
  });

  it('selects runs to compare and pins one to the top', async () => {
    await open(10);
    const boxes = wp.page.locator('.row.run input.select-box');
    await boxes.nth(0).check();
    await boxes.nth(2).check();
    await wp.page.locator('button', { hasText: 'Compare 2' }).click();
    const compare = commands().find((c) => c.command === 'tableCompare');
    assert.ok(compare && compare.command === 'tableCompare');
    assert.deepStrictEqual(compare.runIds.sort(), ['/ws/runs/run-007', '/ws/runs/run-009']);
    await wp.page.locator('.row.run[data-id="/ws/runs/run-000"] [data-action="pin"]').click();
    assert.deepStrictEqual((await order()).slice(0, 2), ['[Pinned]', '/ws/runs/run-000']);
    await wp.page.locator('.row.run[data-id="/ws/runs/run-003"] [data-action="dashboard"]').click();
    const openCmd = commands().find((c) => c.command === 'tableOpen');
    assert.deepStrictEqual(openCmd, {
      kind: 'command',
      command: 'tableOpen',
      runId: '/ws/runs/run-003',
      what: 'dashboard',
    });
  });

  it('keeps sort, filter, selection and scroll through live updates of 500 runs, rendering only rows in view', async () => {
    await open(500);
    assert.ok((await rendered()) < 80, `virtualised: ${await rendered()} rows in the DOM`);
    await header('reward last').click();
    await wp.page.locator('.search input').fill('loss=grpo');
    await wp.page.waitForTimeout(100);
    await wp.page.evaluate(() => (document.querySelector('.table') as HTMLElement).scrollTo(0, 1500));
    await wp.page.waitForTimeout(100);
    // A row in view, clicked where it is (a locator's check would scroll it).
    await wp.page.evaluate(() => {
      const table = document.querySelector('.table') as HTMLElement;
      const rows = [...document.querySelectorAll<HTMLElement>('.row.run')];
      const inView = rows.find((r) => r.offsetTop > table.scrollTop + 200)!;
      inView.querySelector<HTMLInputElement>('input.select-box')!.click();
    });
    const selected = await wp.page.evaluate(() =>
      (window as unknown as { __runsTable: Hooks }).__runsTable.selected(),
    );
    const scrollTop = await wp.page.evaluate(() => document.querySelector('.table')!.scrollTop);
    assert.ok(scrollTop > 1000, `scrolled down (${scrollTop})`);
    // Runs move: rewards change, one run goes, one appears.
    const changed = rowsOf([
      fakeRun(3, { latest: { reward: 1.5 } }),
      fakeRun(600, { config: { loss_type: 'grpo' } }),
    ]);
    await fake.update(changed, ['/ws/runs/run-006']);
    await wp.page.waitForFunction(() =>
      /of 500 runs/.test(document.querySelector('.summary')?.textContent ?? ''),
    );
    const now = await order();
    assert.strictEqual(now[0], '/ws/runs/run-003', 'the new best reward sorts first');
    assert.ok(!now.includes('/ws/runs/run-006'));
    assert.ok(now.includes('/ws/runs/run-600'), 'a new run that passes the filter appears');
    for (const id of now) assert.strictEqual(fake.rows.find((r) => r.id === id)!.config.loss_type, 'grpo');
    assert.strictEqual(
      await wp.page.evaluate(() => document.querySelector('.table')!.scrollTop),
      scrollTop,
      'scroll kept',
    );
    assert.deepStrictEqual(
      await wp.page.evaluate(() => (window as unknown as { __runsTable: Hooks }).__runsTable.selected()),
      selected,
    );
    assert.strictEqual(await wp.page.getAttribute('.cell.head.sorted', 'data-column'), 'metric:reward:last');
    assert.strictEqual(await wp.page.locator('.search input').inputValue(), 'loss=grpo');
    await wp.screenshot('runs-table-live-500');
  });

  it('shows hostile run names and tags as text', async () => {
    fake = new RunsTableHost(
      rowsOf([fakeRun(1, { name: '<img src=x onerror="window.__pwned=1">\u202Eexe.txt' })], () => [
        '<script>window.__pwned=1</script>',
      ]),
    );
    wp = await openWebview(browser, 'runsTable', fake.host);
    await wp.page.waitForSelector('.row.run');
    const name = (await wp.page.textContent('.row.run .name-text')) ?? '';
    assert.ok(name.includes('<img src=x') && name.includes('⟦U+202E⟧'), name);
    assert.match((await wp.page.textContent('.row.run .tag')) ?? '', /<script>/);
    assert.strictEqual(await wp.pwned(), undefined);
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('looks right in the light theme (screenshot)', async () => {
    await open(25, (i) => (i % 3 === 0 ? ['sweep:lr', `lr=${i}`] : []), 'light');
    await wp.page.locator('button', { hasText: 'Columns' }).click();
    await wp.page.waitForSelector('.chooser .choice');
    await wp.screenshot('runs-table-light-columns');
    // Hide a column, move another: remembered (sent to the host); then back to the default.
    await wp.page.locator('.chooser .choice[data-column="source"] input').uncheck();
    await wp.page.locator('.chooser .choice[data-column="steps"] button[aria-label="Move left"]').click();
    const heads = () =>
      wp.page.$$eval('.row.header .cell.head', (els) => els.map((e) => e.getAttribute('data-column')));
    const chosen = await heads();
    assert.ok(!chosen.includes('source'));
    assert.ok(chosen.indexOf('steps') < chosen.indexOf('duration'), chosen.join());
    await wp.page.waitForTimeout(400);
    assert.deepStrictEqual(fake.view.columns, chosen);
    await wp.page.locator('.chooser button', { hasText: 'Default columns' }).click();
    await wp.page.waitForTimeout(400);
    assert.ok((await heads()).includes('source'));
    assert.strictEqual(fake.view.columns, undefined, 'the default again, not the old choice');
    assert.deepStrictEqual(await wp.problems(), []);
  });
});
