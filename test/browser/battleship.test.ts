// The samples webview on a Battleship run written by the trainer, in headless Chromium: each
// game drawn as its board (🌊 unknown, 💦 miss, 💥 hit, 🚢 ship never hit) with the shot
// order, and stepped through shot by shot.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import type { SampleGroup } from '../../src/runs/model';
import { launchChromium } from '../harness/browser';
import { pythonPath, repoRoot } from '../harness/paths';
import { writeBattleshipRun } from '../fixtures/writers/battleshipRun';
import { FixtureRun } from './fixtureHost';
import { openWebview, type WebviewPage } from './webviewPage';

describe('samples webview: Battleship boards (browser)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let wp: WebviewPage;
  let tmp: string;
  let run: FixtureRun;

  before(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-battleship-'));
    writeBattleshipRun(repoRoot, path.join(tmp, 'run'), pythonPath);
    browser = await launchChromium();
    run = new FixtureRun(path.join(tmp, 'run'));
    wp = await openWebview(browser, 'samples', run.host, { theme: 'dark' });
    await wp.page.waitForSelector('.completion-row .board');
  });
  after(async () => {
    await wp?.close();
    await browser?.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  /** The first completion shown (the best game of group 0) and the row's board cells. */
  async function firstGame() {
    const latest = Math.max(...run.samples.map((g) => g.step));
    const group = run.samples.find((g: SampleGroup) => g.step === latest && g.group === 0)!;
    const best = [...group.completions].sort((a, b) => b.reward - a.reward)[0];
    const row = wp.page.locator('.completion-row').first();
    const cells = await row.locator('.board .cell .emoji').allTextContents();
    return { group, game: best, row, cells };
  }

  it('draws the whole game: every shot as hit or miss with its order, the ships never hit revealed', async () => {
    const { group, game, row, cells } = await firstGame();
    const ships = new Set(group.environment!.ships.flat());
    const fired = new Map(game.trajectory!.map((s, k) => [s.action, k + 1]));
    assert.strictEqual(cells.length, 25);
    for (let cell = 0; cell < 25; cell++) {
      const expected = fired.has(cell) ? (ships.has(cell) ? '💥' : '💦') : ships.has(cell) ? '🚢' : '🌊';
      assert.strictEqual(cells[cell], expected, `cell ${cell}`);
    }
    const orders = await row.locator('.board .cell .order').allTextContents();
    assert.deepStrictEqual(
      orders.map(Number).sort((a, b) => a - b),
      [...fired.values()],
    );
    const outcomes = game.trajectory!.map((s) => s.outcome);
    assert.deepStrictEqual(
      outcomes,
      game.trajectory!.map((s) => (ships.has(s.action) ? 'hit' : 'miss')),
      'the board and the logged outcomes agree',
    );
    assert.match(
      (await row.locator('.shot-label').textContent()) ?? '',
      new RegExp(`shot ${fired.size} of ${fired.size}`),
    );
    await wp.screenshot('samples-battleship-game');
  });

  it('steps through the game shot by shot', async () => {
    const { game, row } = await firstGame();
    await row.locator('.step-debug-restart').click();
    let cells = await row.locator('.board .cell .emoji').allTextContents();
    assert.deepStrictEqual(new Set(cells), new Set(['🌊']), 'at the start every cell is unknown');
    assert.match((await row.locator('.shot-label').textContent()) ?? '', /^start/);
    const first = game.trajectory![0];
    const second = game.trajectory![1];
    await row.locator('.step-chevron-right').click();
    await row.locator('.step-chevron-right').click();
    cells = await row.locator('.board .cell .emoji').allTextContents();
    assert.strictEqual(cells.filter((c) => c !== '🌊').length, 2);
    assert.notStrictEqual(cells[first.action], '🌊');
    assert.notStrictEqual(cells[second.action], '🌊');
    const label = (await row.locator('.shot-label').textContent()) ?? '';
    assert.ok(
      label.startsWith(`shot 2 of ${game.trajectory!.length}: ${second.cell} ${second.outcome}`),
      label,
    );
    assert.match(label, new RegExp(`p ${Math.exp(second.logprob!).toFixed(3).replace(/0+$/, '')}`));
    assert.strictEqual(
      await row.locator('.board .cell.last').getAttribute('data-cell'),
      String(second.action),
    );
    await wp.screenshot('samples-battleship-step-2');
    await row.locator('.step-chevron-left').click();
    cells = await row.locator('.board .cell .emoji').allTextContents();
    assert.strictEqual(cells.filter((c) => c !== '🌊').length, 1);
    await row.locator('.step-debug-continue').click();
    assert.strictEqual(await row.locator('.board .cell .order').count(), game.trajectory!.length);
    await wp.setTheme('light');
    await wp.screenshot('samples-battleship-light');
    assert.deepStrictEqual(await wp.problems(), []);
  });
});
