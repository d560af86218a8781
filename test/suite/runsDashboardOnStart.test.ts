// grpoLens.openDashboardOnStart (default true): Start Run opens the run's dashboard once
// the run appears, titled with the run's folder name as in the tree.
import * as assert from 'assert';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import { runsApi, waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

function dashboardTab(title: string): vscode.Tab | undefined {
  return vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .find((tab) => tab.input instanceof vscode.TabInputWebview && tab.label === title);
}

describe('Start Run opens the dashboard', function () {
  this.timeout(180_000);
  let runs: RunsApi;
  let runDir: string | undefined;

  before(async () => {
    runs = await runsApi();
  });

  after(async () => {
    const pid = runDir ? runs?.store()?.get(runDir)?.pid : undefined;
    if (pid) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // gone already
      }
    }
    const tab = runDir && dashboardTab(`${path.basename(runDir)} · Dashboard`);
    if (tab) await vscode.window.tabGroups.close(tab);
  });

  it('opens "<run> · Dashboard" once the started run appears (the default)', async () => {
    assert.strictEqual(vscode.workspace.getConfiguration('grpoLens').get('openDashboardOnStart'), true);
    const config = writeLongConfig(workspaceDir(), 'dash-on-start');
    runDir = await vscode.commands.executeCommand<string>('grpoLens.startRun', vscode.Uri.file(config));
    assert.ok(runDir, 'Start Run returned the run directory');
    await waitFor('the run in the store', () => runs.store()?.get(runDir!), 120_000);
    // titled as the tree labels the run: its folder, not run.json's name (shared by every
    // run of one config)
    const title = `${path.basename(runDir)} · Dashboard`;
    const tab = await waitFor(`a webview tab titled "${title}"`, () => dashboardTab(title), 120_000);
    assert.ok(tab.input instanceof vscode.TabInputWebview);
  });
});
