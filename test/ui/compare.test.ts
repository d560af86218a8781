// A person selects three runs in the run explorer (Ctrl-click), right-clicks, and compares
// them: the overlay shows the three runs in their colours; then Compare Configs on two of
// them opens VS Code's diff editor. Screenshots: .test-output/screenshots/ui-compare-*.png
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  chooseFromContextMenu as choose,
  openViewContainer,
  selectTreeRows,
  settle,
  until,
  viewPane,
  waitForWorkbench,
} from '../harness/ui';
import { repoRoot } from '../harness/paths';
import { launchWorkbench, Workbench } from '../harness/workbench';
import { makeWorkspace } from '../harness/workspace';

const fixture = path.join(repoRoot, 'test', 'fixtures', 'samples', 'run');

/** Our fixture run three times, with other names and betas (files as the trainer writes them). */
function runFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  ['beta-0', 'beta-002', 'beta-004'].forEach((name, i) => {
    for (const file of fs.readdirSync(fixture)) {
      let text = fs.readFileSync(path.join(fixture, file), 'utf8');
      if (file === 'run.json') {
        const run = JSON.parse(text);
        text = JSON.stringify({ ...run, name, config: { ...run.config, beta: 0.02 * i } });
      }
      if (file === 'metrics.jsonl')
        text = text
          .split('\n')
          .filter(Boolean)
          .map((l) => {
            const row = JSON.parse(l);
            return JSON.stringify({ ...row, reward: row.reward + 0.2 * i });
          })
          .join('\n');
      files[`runs/${name}/${file}`] = text + (file.endsWith('.jsonl') ? '\n' : '');
    }
  });
  return files;
}

describe('compare runs driven like a person', function () {
  this.timeout(300_000);
  let wb: Workbench;

  before(async () => {
    wb = await launchWorkbench({
      workspace: makeWorkspace({ files: runFiles() }),
      viewport: { width: 1400, height: 900 },
    });
    await waitForWorkbench(wb.page);
    await openViewContainer(wb.page, 'GRPO Lens');
    await viewPane(wb.page, 'Runs')
      .getByRole('treeitem', { name: /beta-004/ })
      .waitFor({ timeout: 60_000 });
  });

  after(async () => wb?.close());

  const row = (name: RegExp) => viewPane(wb.page, 'Runs').getByRole('treeitem', { name }).first();

  it('compares three runs selected in the run explorer', async () => {
    const page = wb.page;
    await selectTreeRows([row(/beta-0\b/), row(/beta-002/), row(/beta-004/)]);
    await choose(page, row(/beta-004/), 'Compare Runs…');
    const frame = page
      .frameLocator('iframe.webview.ready >> visible=true')
      .frameLocator('iframe#active-frame');
    await frame.locator('[data-chart="reward"] canvas').waitFor({ timeout: 60_000 });
    await until(
      'three runs in the legend',
      30_000,
      async () => (await frame.locator('.legend .run').count()) === 3,
    );
    const names = await frame.locator('.legend .name').allTextContents();
    assert.deepStrictEqual([...names].sort(), ['beta-0', 'beta-002', 'beta-004']);
    await until(
      'whole histories',
      60_000,
      async () => !/reading/.test((await frame.locator('.info').textContent()) ?? ''),
    );
    await settle(page, 800);
    await wb.screenshot('ui-compare-3-runs');
  });

  it('opens the configs of two selected runs in the diff editor', async () => {
    const page = wb.page;
    await selectTreeRows([row(/beta-0\b/), row(/beta-004/)]);
    await choose(page, row(/beta-004/), 'Compare Configs');
    const diff = page.locator('.monaco-diff-editor').first();
    await diff.waitFor({ timeout: 30_000 });
    await settle(page, 800);
    await wb.screenshot('ui-compare-configs');
    // Monaco draws spaces as no-break spaces: \s matches both.
    await until('the changed beta line', 30_000, async () =>
      /"beta":\s0\.04/.test((await diff.textContent()) ?? ''),
    );
    const tab = page.locator('.tab', { hasText: /↔/ }).first();
    assert.match((await tab.textContent()) ?? '', /beta-0.* ↔ beta-004.*config/);
  });
});
