// The samples webview, bundled, in headless Chromium: groups of G sorted by reward,
// filters, search, keyboard navigation, virtualisation, hostile text, themes.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { repoRoot } from '../harness/paths';
import { FixtureRun } from './fixtureHost';
import { openWebview, type WebviewPage } from './webviewPage';

const fixtureRun = path.join(repoRoot, 'test', 'fixtures', 'samples', 'run');
const hostileRun = path.join(repoRoot, 'test', 'fixtures', 'hostile');

describe('samples webview (browser)', function () {
  this.timeout(60_000);
  let browser: Browser;
  let wp: WebviewPage;
  let run: FixtureRun;

  before(async () => {
    browser = await launchChromium();
  });
  after(async () => browser?.close());
  afterEach(async () => wp?.close());

  async function open(dir: string, theme: 'light' | 'dark' = 'dark') {
    run = new FixtureRun(dir);
    wp = await openWebview(browser, 'samples', run.host, { theme });
    await wp.page.waitForSelector('.completion-row');
  }

  type RowLike = {
    kind: string;
    group: { zeroStd: boolean; prompt: string };
    completion?: { reward: number; truncated: boolean };
  };
  const rows = () =>
    wp.page.evaluate(() => (window as unknown as { __samples: { rows: RowLike[] } }).__samples.rows);
  const completions = async () =>
    (await rows()).filter((r) => r.kind === 'completion').map((r) => r.completion!);
  const groups = async () => (await rows()).filter((r) => r.kind === 'group').map((r) => r.group);
  const settle = () => wp.page.waitForTimeout(150);

  it('shows what another trainer logged, no more: no token counts it did not log, computed advantages said so', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-foreign-'));
    const completion = (text: string, reward: number, advantage: number) => ({
      text,
      reward,
      rewards: { accuracy: reward },
      advantage,
      advantage_computed: true,
    });
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), JSON.stringify({ step: 1, reward: 0.5 }) + '\n');
    fs.writeFileSync(
      path.join(dir, 'samples.jsonl'),
      JSON.stringify({
        step: 1,
        group: 0,
        prompt: '2+2=',
        completions: [completion('4', 1, 0.7), completion('5', 0, -0.7)],
      }) + '\n',
    );
    try {
      await open(dir);
      assert.strictEqual(await wp.page.locator('.completion-row').count(), 2);
      assert.strictEqual(await wp.page.locator('.completion-row .len').count(), 0, 'no made-up token counts');
      assert.strictEqual(await wp.page.locator('.completion-row .badge.computed').count(), 2);
      await wp.screenshot('samples-foreign');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says ready first, then shows the latest step as groups of G sorted by reward', async () => {
    await open(fixtureRun);
    assert.strictEqual(wp.posted[0].kind, 'ready');
    assert.match((await wp.page.textContent('.step-label')) ?? '', /step 200/);
    assert.strictEqual((await groups()).length, 4);
    const r = (await completions()).map((c) => c.reward);
    assert.strictEqual(r.length, 16);
    for (let g = 0; g < 4; g++) {
      const group = r.slice(g * 4, g * 4 + 4);
      assert.deepStrictEqual(
        group,
        [...group].sort((a, b) => b - a),
        `group ${g} sorted`,
      );
    }
    assert.ok((await wp.page.locator('.advantage .adv-fill').count()) > 0);
    assert.deepStrictEqual(await wp.problems(), []);
  });

  it('filters zero-std groups, truncated completions and a reward range; searches text', async () => {
    await open(fixtureRun);
    await wp.page.click('vscode-checkbox:has-text("Zero-std groups")');
    await settle();
    const zero = await groups();
    assert.strictEqual(zero.length, 1);
    assert.ok(zero[0].zeroStd);
    await wp.page.click('vscode-checkbox:has-text("Zero-std groups")');
    await wp.page.click('vscode-checkbox:has-text("Truncated")');
    await settle();
    const truncated = await completions();
    assert.ok(truncated.length > 0 && truncated.length < 16);
    assert.ok(truncated.every((c) => c.truncated));
    await wp.page.click('vscode-checkbox:has-text("Truncated")');
    await wp.page.locator('.bound').first().locator('input').fill('1');
    await settle();
    const high = await completions();
    assert.ok(high.length > 0 && high.length < 16);
    for (const c of high) assert.ok(c.reward >= 1, `reward ${c.reward} >= 1`);
    await wp.page.locator('.bound').first().locator('input').fill('');
    await wp.page.locator('.search input').fill('question 2');
    await settle();
    const found = await groups();
    assert.strictEqual(found.length, 1);
    assert.match(found[0].prompt, /question 2/);
    assert.match((await wp.page.textContent('.group-row')) ?? '', /question 2/);
  });

  it('numbers completions from 1, as the editor tab and header do, and shows the sample std', async () => {
    await open(fixtureRun);
    const shown = await wp.page.$$eval('.completion-row', (els) =>
      els.map((e) => [e.getAttribute('data-key'), e.querySelector('.field .label')?.textContent ?? '']),
    );
    assert.ok(shown.length > 0);
    for (const [key, label] of shown) {
      const index = Number(key!.split(':').pop());
      assert.match(String(label), new RegExp(`^Completion ${index + 1}\\b`), `${key}: ${label}`);
    }
    const group = run.samples.find((g) => g.step === 200 && g.group === 0)!;
    const rewards = group.completions.map((c) => c.reward);
    const m = rewards.reduce((a, b) => a + b, 0) / rewards.length;
    const sample = Math.sqrt(rewards.reduce((a, r) => a + (r - m) ** 2, 0) / (rewards.length - 1));
    const chip = (await wp.page.locator('.group-row .chip').first().textContent()) ?? '';
    assert.match(chip, new RegExp(`std ${Number(sample.toFixed(3))}$`), chip);
  });

  it('moves between completions with j/k and arrows and inspects with Enter', async () => {
    await open(fixtureRun);
    await wp.page.focus('.list');
    await wp.page.keyboard.press('j');
    await wp.page.keyboard.press('ArrowDown');
    await wp.page.keyboard.press('j');
    await wp.page.keyboard.press('k');
    const key = await wp.page.getAttribute('.completion-row.selected', 'data-key');
    const order = await wp.page.$$eval('.completion-row', (els) =>
      els.map((e) => e.getAttribute('data-key')),
    );
    assert.strictEqual(key, order[1]);
    await wp.page.keyboard.press('Enter');
    const cmd = wp.posted.find((m) => m.kind === 'command');
    assert.ok(cmd && cmd.kind === 'command' && cmd.command === 'inspectCompletion');
    assert.strictEqual(cmd.step, 200);
  });

  it('changes step with the slider and requests that step', async () => {
    await open(fixtureRun);
    await wp.page.locator('.step-slider').fill('0');
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 10');
    const req = wp.posted.filter((m) => m.kind === 'request' && m.method === 'samplesAt');
    assert.ok(req.length >= 2);
    assert.match((await wp.page.textContent('.group-row')) ?? '', /Step 10,/);
  });

  it('goes to a typed step (the nearest with samples) and moves by one step or a page with the keyboard', async () => {
    run = new FixtureRun(fixtureRun);
    const one = run.samples.find((g) => g.step === 200 && g.group === 0)!;
    // 2000 logged steps, every 10th training step: the slider alone cannot pick one
    run.samples = Array.from({ length: 2000 }, (_, i) => ({ ...one, step: (i + 1) * 10 }));
    wp = await openWebview(browser, 'samples', run.host);
    await wp.page.waitForSelector('.completion-row');
    const box = wp.page.locator('.step-box input');
    const at = (s: number) =>
      wp.page.waitForFunction((t) => document.querySelector('.step-label')?.textContent === t, `step ${s}`);
    await at(20000);
    await box.fill('12346');
    await box.press('Enter');
    await at(12350);
    await box.fill('12345');
    await box.press('Enter');
    await at(12340); // a tie goes to the earlier step
    await box.press('ArrowUp');
    await at(12350);
    await box.press('ArrowDown');
    await box.press('ArrowDown');
    await at(12330);
    await box.press('PageDown'); // a page: a tenth of the 2000 logged steps
    await at(10330);
    await box.press('PageUp');
    await at(12330);
    await box.fill('nonsense');
    await box.press('Enter');
    await wp.page.waitForFunction(
      () => (document.querySelector('.step-box') as unknown as { value: string }).value === '12330',
    );
    const slider = wp.page.locator('.step-slider');
    await slider.focus();
    await wp.page.keyboard.press('ArrowRight');
    await at(12340);
    await wp.page.keyboard.press('PageUp');
    await at(14340);
    const asked = wp.posted.filter((m) => m.kind === 'request' && m.method === 'samplesAt');
    assert.deepStrictEqual(asked[asked.length - 1], {
      ...asked[asked.length - 1],
      params: { runId: run.dir, step: 14340 },
    });
    await wp.page.waitForTimeout(150);
    await wp.screenshot('samples-step-box');
  });

  it('follows live: a new sample step appended by the host is shown at once', async () => {
    await open(fixtureRun);
    run.samples.push(
      ...run.samples
        .filter((g) => g.step === 200)
        .map((g) => ({ ...g, step: 210, prompt: `live ${g.group}` })),
    );
    await wp.send({ kind: 'notification', type: 'sampleSteps', runId: run.dir, steps: [210], append: true });
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 210');
    await wp.page.waitForFunction(() =>
      document.querySelector('.group-row')?.textContent?.includes('live 0'),
    );
    assert.strictEqual(await wp.page.locator('.step-slider').getAttribute('max'), '20');
  });

  it('keeps only the visible rows of a large step in the DOM', async () => {
    run = new FixtureRun(fixtureRun);
    const base = run.samples.filter((g) => g.step === 200);
    run.samples = Array.from({ length: 500 }, (_, i) => ({ ...base[i % 4], step: 200, group: i }));
    wp = await openWebview(browser, 'samples', run.host);
    await wp.page.waitForSelector('.completion-row');
    const total = await wp.page.evaluate(
      () => (window as unknown as { __samples: { rows: unknown[] } }).__samples.rows.length,
    );
    assert.strictEqual(total, 2500);
    const inDom = await wp.page.locator('.row').count();
    assert.ok(inDom < 60, `${inDom} rows in the DOM`);
    await wp.page.locator('.list').evaluate((el) => (el.scrollTop = 100_000));
    await wp.page.waitForTimeout(200);
    assert.ok((await wp.page.locator('.row').count()) < 60);
  });

  /** Whether rendered rows cover the list's viewport to its bottom (or to the list's end). */
  const viewportFilled = () =>
    wp.page.evaluate(() => {
      const list = document.querySelector('.list') as HTMLElement;
      const spacer = list.querySelector('.vlist-spacer') as HTMLElement;
      const rows = [...list.querySelectorAll('.row')] as HTMLElement[];
      const bottom = Math.max(...rows.map((r) => r.offsetTop + r.offsetHeight));
      const want = Math.min(list.scrollTop + list.clientHeight, spacer.offsetHeight);
      return { bottom, want, filled: bottom >= want - 1 };
    });

  it('fills the viewport after a step change or a collapse in a scrolled list, and keeps the selected row in view', async () => {
    run = new FixtureRun(fixtureRun);
    const base = run.samples.filter((g) => g.step === 200);
    const long = 'a long completion line\n'.repeat(300);
    run.samples = [
      // rows much shorter than the list's estimate: one-word prompts and completions
      ...Array.from({ length: 300 }, (_, i) => ({
        ...base[i % 4],
        step: 190,
        group: i,
        prompt: 'p',
        reference: undefined,
        completions: base[i % 4].completions.map((c) => ({ ...c, text: 'ok', rewards: {} })),
      })),
      ...Array.from({ length: 300 }, (_, i) => ({
        ...base[i % 4],
        step: 200,
        group: i,
        completions: base[i % 4].completions.map((c) => ({ ...c, text: i === 40 ? long : 'ok' })),
      })),
    ];
    wp = await openWebview(browser, 'samples', run.host);
    await wp.page.waitForSelector('.completion-row');
    await wp.page.locator('.list').evaluate((el) => (el.scrollTop = 30_000));
    await wp.page.waitForTimeout(200);
    await wp.page.locator('.step-slider').fill('0');
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 190');
    await wp.page.waitForTimeout(100);
    const afterStep = await viewportFilled();
    assert.ok(afterStep.filled, `rows end at ${afterStep.bottom}, viewport at ${afterStep.want}`);
    await wp.screenshot('samples-scrolled-step-change');

    // expand a long completion, read far into it, collapse it with `e`
    await wp.page.locator('.step-slider').fill('1');
    await wp.page.waitForFunction(() => document.querySelector('.step-label')?.textContent === 'step 200');
    const key = 'g200:40:0';
    await wp.page.evaluate((k) => {
      const s = (
        window as unknown as {
          __samples: { rows: { key: string }[]; list: { scrollToIndex(i: number): void } };
        }
      ).__samples;
      s.list.scrollToIndex(s.rows.findIndex((r) => r.key === k));
    }, key);
    await wp.page.waitForTimeout(100);
    const row = wp.page.locator(`.completion-row[data-key="${key}"]`);
    await row.click();
    await row.locator('.expand').click();
    await wp.page.waitForTimeout(100);
    await wp.page.locator('.list').evaluate((el) => (el.scrollTop += 3000));
    await wp.page.waitForTimeout(100);
    await wp.page.focus('.list');
    await wp.page.keyboard.press('e');
    await wp.page.waitForTimeout(200);
    const inView = await wp.page.evaluate((k) => {
      const list = document.querySelector('.list') as HTMLElement;
      const el = list.querySelector(`[data-key="${k}"]`) as HTMLElement | null;
      if (!el) return false;
      const a = el.getBoundingClientRect();
      const b = list.getBoundingClientRect();
      return a.bottom > b.top && a.top < b.bottom;
    }, key);
    assert.ok(inView, 'the collapsed, selected row is in view');
    const afterCollapse = await viewportFilled();
    assert.ok(afterCollapse.filled, `rows end at ${afterCollapse.bottom}, viewport at ${afterCollapse.want}`);
  });

  it('renders hostile completions as text and runs none of them', async () => {
    await open(hostileRun);
    await wp.page.waitForTimeout(300);
    assert.strictEqual(await wp.pwned(), undefined);
    assert.strictEqual(
      await wp.page.locator('.list script, .list img, .list svg, .list iframe, .list a, .list style').count(),
      0,
    );
    const text = (await wp.page.textContent('.list')) ?? '';
    assert.ok(text.includes('<script>window.__pwned=1</script>'));
    assert.ok(text.includes('</textarea></script>'));
    assert.ok(text.includes('⟦U+202E⟧'), 'bidi override made visible');
    assert.ok(text.includes('⟦U+0000⟧'), 'NUL made visible');
    assert.ok(text.includes('\ufffd'), 'invalid UTF-8 shown as replacement characters');
    assert.ok(text.includes('1,048,6'), 'the 1 MB completion says it was cut');
    // expand everything, click everything: still nothing runs
    for (const b of await wp.page.locator('.expand').all()) await b.click().catch(() => undefined);
    await wp.page.mouse.move(300, 300);
    await wp.page.waitForTimeout(200);
    assert.strictEqual(await wp.pwned(), undefined);
    assert.deepStrictEqual(await wp.problems(), []);
    await wp.screenshot('samples-hostile-dark');
  });

  for (const theme of ['light', 'dark', 'high-contrast'] as const) {
    it(`looks right in the ${theme} theme (screenshot)`, async () => {
      run = new FixtureRun(fixtureRun);
      wp = await openWebview(browser, 'samples', run.host, { theme });
      await wp.page.waitForSelector('.completion-row');
      await wp.setTheme(theme);
      await wp.page.focus('.list');
      await wp.page.keyboard.press('j');
      await wp.page.waitForTimeout(200);
      await wp.screenshot(`samples-${theme}`);
      assert.deepStrictEqual(await wp.problems(), []);
    });
  }
});
