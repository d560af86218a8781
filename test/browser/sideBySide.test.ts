// Samples of two runs side by side, bundled, in headless Chromium: at a step, each run's
// nearest logged step, one row per prompt both runs were given, rewards and advantages in
// each column, model text shown as text with hidden characters made visible. Screenshot.
import * as assert from 'assert';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import type { CompareRunInfo, WebviewToHost } from '../../src/contract/messages';
import { runColour } from '../../src/compare/colours';
import { sideBySideAt } from '../../src/compare/sideBySide';
import type { SampleGroup } from '../../src/runs/model';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { readJsonl } from './fixtureHost';
import { openWebview, reply, type WebviewPage } from './webviewPage';

const left = readJsonl<SampleGroup>(
  path.join(repoRoot, 'test', 'fixtures', 'samples', 'run', 'samples.jsonl'),
);

/** The other run: logs every 18 steps; at 198, three of the left run's step-200 prompts, and one of its own. */
function rightRun(): SampleGroup[] {
  const last = left.filter((g) => g.step === 200);
  const groups: SampleGroup[] = last.slice(0, 3).map((g, i) => ({
    ...g,
    step: 198,
    group: 2 - i,
    completions: g.completions.map((c, j) => ({
      ...c,
      text:
        j === 0 ? `answer\u202E ${g.reference} <img src=x onerror="window.__pwned=1">` : `${c.text} (run b)`,
      reward: c.reward + 0.5,
      tokens: undefined,
    })),
  }));
  groups.push({ step: 198, group: 3, prompt: 'A prompt only run b was given', completions: [] });
  return [...left.filter((g) => g.step === 20).map((g) => ({ ...g, step: 18 })), ...groups];
}

describe('samples side by side (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;
  const runs: [SampleGroup[], SampleGroup[]] = [left, rightRun()];
  const steps = runs.map((r) => [...new Set(r.map((g) => g.step))].sort((a, b) => a - b)) as [
    number[],
    number[],
  ];
  const infos: CompareRunInfo[] = ['a', 'b'].map((name, i) => ({
    runId: `/runs/${name}`,
    name,
    source: 'GRPO Lens',
    state: 'finished',
    colour: runColour(i),
  }));

  before(async () => (browser = await launchChromium()));
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  async function open() {
    wp = await openWebview(browser, 'sideBySide', async (m: WebviewToHost, page) => {
      if (m.kind === 'ready')
        await page.send({ kind: 'notification', type: 'sideBySideInit', runs: infos, steps });
      else if (m.kind === 'request' && m.method === 'sideBySideAt') {
        const at = await sideBySideAt(steps, m.params.step, async (run, s) =>
          runs[run].filter((g) => g.step === s),
        );
        await page.send(reply(m.seq, at));
      }
    });
    await wp.page.waitForSelector('.row');
  }

  it('shows the prompts both runs were given, each run at its nearest step, in two columns (screenshot)', async () => {
    await open();
    const heads = await wp.page.$$eval('.heads .head', (els) => els.map((e) => e.textContent));
    assert.deepStrictEqual(heads, ['astep 200', 'bstep 198']);
    assert.strictEqual(
      await wp.page.textContent('.summary'),
      '3 prompts in both runs · 1 only in the first, 1 only in the second',
    );
    const rows = await wp.page.$$eval('.row', (els) =>
      els.map((row) => ({
        prompt: row.querySelector('.prompt')!.textContent,
        columns: [...row.querySelectorAll('.group')].map((g) =>
          [...g.querySelectorAll('.completion .reward')].map((r) => r.textContent),
        ),
      })),
    );
    const last = left.filter((g) => g.step === 200).slice(0, 3);
    assert.deepStrictEqual(
      rows.map((r) => r.prompt),
      last.map((g) => g.prompt),
    );
    for (const [i, row] of rows.entries()) {
      assert.strictEqual(row.columns.length, 2);
      const best = Math.max(...last[i].completions.map((c) => c.reward));
      assert.strictEqual(row.columns[0][0], `reward ${Number(best.toFixed(3))}`);
      assert.strictEqual(row.columns[1][0], `reward ${Number((best + 0.5).toFixed(3))}`);
    }
    assert.ok((await wp.page.$$('.row .advantage')).length >= 12, 'advantages shown');
    const text = await wp.page.textContent('.row .group:nth-child(2) .completion .text:has-text("onerror")');
    assert.match(text!, /<img src=x onerror=/, 'model text shown as text');
    assert.ok(text!.includes('answer\u27e6U+202E\u27e7'), `the bidi override made visible: ${text}`);
    assert.strictEqual(await wp.pwned(), undefined);
    await wp.screenshot('samples-side-by-side-dark');
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('asks for another step, and shows each run at its nearest', async () => {
    await open();
    await wp.page.fill('input.step', '25');
    await wp.page.press('input.step', 'Enter');
    await wp.page.waitForFunction(() => document.querySelector('.heads')?.textContent?.endsWith('step 18'));
    const asked = wp.posted.filter((m) => m.kind === 'request' && m.method === 'sideBySideAt');
    assert.deepStrictEqual(
      asked.map((m) => (m as { params: { step: number } }).params.step),
      [200, 25],
    );
    const heads = await wp.page.$$eval('.heads .head', (els) => els.map((e) => e.textContent));
    assert.deepStrictEqual(heads, ['astep 20', 'bstep 18']);
    assert.strictEqual(await wp.page.textContent('.summary'), '4 prompts in both runs');
  });
});
