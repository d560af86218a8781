// Smoke test of `npm run demo`: the script writes its workspace, starts a real run,
// serves code-server with GRPO Lens loaded, and stops cleanly on Ctrl-C.
import * as assert from 'assert';
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { chromiumArgs, chromiumPathOrThrow } from '../harness/browser';
import { freePort } from '../harness/codeServer';
import { repoRoot, screenshotDir } from '../harness/paths';
import { activityItem, settle, waitForWorkbench } from '../harness/ui';

/** Waits (up to 60 s) for the run the demo started to finish the stop the demo asked for:
 *  it writes its checkpoint after the demo script has exited. */
async function runExited(output: string): Promise<void> {
  const pid = Number(/run started: .* \(pid (\d+)/.exec(output)?.[1]);
  const deadline = Date.now() + 60_000;
  while (pid && Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('npm run demo (smoke)', function () {
  this.timeout(150_000);
  let workspace: string;
  let demo: ChildProcess;
  let output = '';
  let exited: Promise<number>;

  before(async () => {
    workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-demo-'));
    const port = await freePort();
    demo = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'scripts', 'demo.js'),
        '--no-build',
        '--no-open',
        '--exit-after',
        '120',
        '--port',
        String(port),
        '--workspace',
        workspace,
      ],
      { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    demo.stdout!.on('data', (d) => (output += d));
    demo.stderr!.on('data', (d) => (output += d));
    exited = new Promise((resolve) => demo.on('exit', (code) => resolve(code ?? 1)));
  });

  after(async () => {
    if (demo.exitCode === null) demo.kill('SIGINT');
    await exited;
    await runExited(output);
    fs.rmSync(workspace, { recursive: true, force: true });
  });

  it('prints a code-server URL that opens the workbench with GRPO Lens and the demo run dashboard', async () => {
    const deadline = Date.now() + 60_000;
    let url: string | undefined;
    while (!url && Date.now() < deadline) {
      url = /(http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+)/.exec(output)?.[1];
      if (!url) await new Promise((r) => setTimeout(r, 200));
    }
    assert.ok(url, `no URL printed:\n${output}`);
    const browser = await chromium.launch({ executablePath: chromiumPathOrThrow(), args: chromiumArgs });
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await page.goto(url);
      await waitForWorkbench(page);
      await activityItem(page, 'GRPO Lens').waitFor({ state: 'visible', timeout: 30_000 });
      // The demo asks the extension to open its run's dashboard (GRPO_LENS_OPEN_DASHBOARD).
      const dashboardTab = page.locator('.tabs-container .tab', { hasText: /· Dashboard/ });
      await dashboardTab.first().waitFor({ state: 'visible', timeout: 90_000 });
      await settle(page);
      fs.mkdirSync(screenshotDir, { recursive: true });
      await page.screenshot({ path: path.join(screenshotDir, 'ui-demo.png') });
    } finally {
      await browser.close();
    }
  });

  it('starts a demo run that writes its run directory', async () => {
    const runs = path.join(workspace, 'runs');
    const deadline = Date.now() + 60_000;
    let runJson: string | undefined;
    while (!runJson && Date.now() < deadline) {
      const dirs = fs.existsSync(runs) ? fs.readdirSync(runs).filter((d) => d.startsWith('demo-')) : [];
      const candidate = dirs.map((d) => path.join(runs, d, 'run.json')).find((f) => fs.existsSync(f));
      if (candidate) runJson = candidate;
      else await new Promise((r) => setTimeout(r, 250));
    }
    assert.ok(runJson, `no run.json under ${runs}:\n${output}`);
    assert.ok(fs.existsSync(path.join(workspace, '.vscode', 'settings.json')));
    // the run is the reasoning demo's; Battleship is there for the user to start
    assert.strictEqual(JSON.parse(fs.readFileSync(runJson, 'utf8')).config.task.name, 'scratchpad_addition');
    assert.ok(fs.existsSync(path.join(workspace, 'reasoning-demo.grpo.json')));
    assert.ok(fs.existsSync(path.join(workspace, 'battleship.grpo.json')));
  });

  it('stops code-server and exits 0 on Ctrl-C', async () => {
    demo.kill('SIGINT');
    assert.strictEqual(await exited, 0, output);
    assert.match(output, /code-server stopped/);
  });
});
