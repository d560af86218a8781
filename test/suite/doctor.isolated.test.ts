// The run doctor's surfaces in a real extension host, over a run written by our trainer's
// writer (test/fixtures/doctor/make.py): KL spikes at step 40, the loss turns NaN at 55.
// The tree shows a Problems child, the Problems panel a diagnostic whose link opens the
// dashboard at its step, and the non-finite error is notified once.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { DashboardPanel } from '../../src/panels/dashboardPanel';
import type { DoctorApi } from '../../src/doctor/vscode/register';
import type { RunsApi } from '../../src/commands/register';
import type { RunNode } from '../../src/views/runTree';
import { waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

type Api = { runs: RunsApi; doctor: DoctorApi };

describe('run doctor surfaces (extension host)', function () {
  this.timeout(120_000);
  let api: Api;
  let runDir: string;

  before(async () => {
    api = await vscode.extensions.getExtension<Api>('grpo-lens.grpo-lens')!.activate();
    runDir = path.join(workspaceDir(), 'runs', 'provoked');
    const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!.extensionPath;
    fs.cpSync(path.join(ext, 'test', 'fixtures', 'doctor', 'runs', 'provoked'), runDir, { recursive: true });
    await (await api.runs.whenReady()).refresh();
    await waitFor('the run listed', () => api.runs.store()?.get(runDir), 30_000);
    await waitFor('the doctor started', () => api.doctor.service(), 30_000);
    await api.doctor.service()!.whenIdle();
  });

  it('lists the findings in a Problems child under the run, errors first, each opening its step', async () => {
    const tree = api.runs.tree;
    const children = await tree.getChildren(tree.runNode(runDir));
    const problems = children.find((c) => c.kind === 'problems') as RunNode;
    assert.ok(problems, `a Problems child among ${children.map((c) => c.kind)}`);
    const item = tree.getTreeItem(problems);
    assert.strictEqual(item.label, 'Problems');
    assert.match(String(item.description), /1 error/);
    assert.strictEqual(
      tree.getTreeItem(tree.runNode(runDir)).collapsibleState,
      vscode.TreeItemCollapsibleState.Collapsed,
    );
    const findings = (await tree.getChildren(problems)).map((n) => tree.getTreeItem(n));
    const ids = findings.map((f) => String(f.description).split(' ')[0]);
    assert.strictEqual(ids[0], 'non-finite');
    assert.ok(ids.includes('kl-spike'), `kl-spike among ${ids}`);
    const kl = findings[ids.indexOf('kl-spike')];
    assert.strictEqual(kl.command?.command, 'grpoLens.openDashboardAtStep');
    assert.strictEqual((kl.command?.arguments?.[0] as { step: number }).step, 40);
    assert.match(String((kl.tooltip as vscode.MarkdownString).value), /Why it matters/);
    assert.strictEqual((kl.iconPath as vscode.ThemeIcon).id, 'warning');
  });

  it('shows each finding in the Problems panel on metrics.jsonl, with a link that opens the dashboard at its step', async () => {
    const file = vscode.Uri.file(path.join(runDir, 'metrics.jsonl'));
    const diagnostics = await waitFor('diagnostics', () => {
      const d = vscode.languages.getDiagnostics(file);
      return d.length > 0 && d;
    });
    const nonFinite = diagnostics.find((d) => (d.code as { value: string }).value === 'non-finite')!;
    assert.ok(nonFinite, 'a non-finite diagnostic');
    assert.strictEqual(nonFinite.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(nonFinite.source, 'GRPO run doctor');
    const target = (nonFinite.code as { target: vscode.Uri }).target;
    assert.strictEqual(target.scheme, 'command');
    assert.strictEqual(target.path, 'grpoLens.openDashboardAtStep');
    // what the Problems panel does with the link: run the command with its arguments
    const args = JSON.parse(decodeURIComponent(target.query)) as unknown[];
    const opened = await vscode.commands.executeCommand<{ step: number; panel: DashboardPanel }>(
      target.path,
      ...args,
    );
    assert.strictEqual(opened?.step, 55);
    const panel = opened.panel;
    await waitFor('the findings and the step reached the dashboard', () => {
      const posted = panel.host.postedByType;
      return (posted.findings ?? 0) >= 1 && (posted.focusStep ?? 0) >= 1;
    });
    // the same from the editor: a quick fix on the diagnostic
    const doc = await vscode.workspace.openTextDocument(file);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      doc.uri,
      new vscode.Range(0, 0, 0, 0),
    );
    assert.ok(
      actions.some((a) => a.title === 'Open Dashboard at Step 55'),
      `actions: ${actions.map((a) => a.title)}`,
    );
  });

  it('notifies the non-finite error once, not again when the run is examined again', async () => {
    const key = `non-finite@${runDir}`;
    await waitFor('the notification', () => api.doctor.notifier.shown.includes(key));
    api.doctor.service()!.reexamineAll();
    await api.doctor.service()!.whenIdle();
    await new Promise((r) => setTimeout(r, 300));
    assert.deepStrictEqual(
      api.doctor.notifier.shown.filter((k) => k === key),
      [key],
    );
    assert.ok(!api.doctor.notifier.shown.some((k) => k.startsWith('kl-spike')), 'a warning is not notified');
  });

  it('clears every surface when grpoLens.doctor.enabled is off, and examines again when it is on', async () => {
    const file = vscode.Uri.file(path.join(runDir, 'metrics.jsonl'));
    const config = () => vscode.workspace.getConfiguration('grpoLens.doctor');
    const hasProblems = async () =>
      (await api.runs.tree.getChildren(api.runs.tree.runNode(runDir))).some((c) => c.kind === 'problems');
    await config().update('enabled', false, vscode.ConfigurationTarget.Workspace);
    await waitFor('no diagnostics', () => vscode.languages.getDiagnostics(file).length === 0);
    assert.strictEqual(api.doctor.service(), undefined);
    assert.strictEqual(await hasProblems(), false);
    await config().update('enabled', true, vscode.ConfigurationTarget.Workspace);
    await waitFor('the doctor again', () => api.doctor.service());
    await api.doctor.service()!.whenIdle();
    await waitFor('diagnostics again', () => vscode.languages.getDiagnostics(file).length > 0);
    assert.strictEqual(await hasProblems(), true);
  });

  it('follows a live run through a session held only while it trains, and says when it stalls', async function () {
    this.timeout(240_000);
    const doctorConfig = vscode.workspace.getConfiguration('grpoLens.doctor');
    // seconds instead of the defaults' minutes: a stopped process is stalled after 2 s of silence
    await doctorConfig.update('stallMinSeconds', 2, vscode.ConfigurationTarget.Workspace);
    await doctorConfig.update('stallFactor', 2, vscode.ConfigurationTarget.Workspace);
    const config = writeLongConfig(workspaceDir(), 'doctor-live');
    const live = (await vscode.commands.executeCommand<string>(
      'grpoLens.startRun',
      vscode.Uri.file(config),
    ))!;
    const pid = () => api.runs.store()?.get(live)?.pid;
    try {
      const store = await api.runs.whenReady();
      await store.refresh();
      await waitFor('a few steps', () => (store.get(live)?.step ?? 0) >= 4, 180_000);
      const service = api.doctor.service()!;
      await service.whenIdle();
      assert.strictEqual(service.heldSessions(), 1, 'one session: the live run');
      // the trainer's process stops (alive, silent): the liveness timer finds it stalled
      process.kill(pid()!, 'SIGSTOP');
      const metrics = vscode.Uri.file(path.join(live, 'metrics.jsonl'));
      const codeOf = (d: vscode.Diagnostic) => (d.code as { value: string }).value;
      await waitFor(
        'a stalled diagnostic',
        () => vscode.languages.getDiagnostics(metrics).some((d) => codeOf(d) === 'stalled'),
        60_000,
      );
      assert.ok(api.doctor.notifier.shown.includes(`stalled@${live}`), 'stalled is notified');
      process.kill(pid()!, 'SIGCONT');
      assert.strictEqual(
        await vscode.commands.executeCommand('grpoLens.stopRun', { runId: live }),
        'acknowledged',
      );
      await waitFor('stopped', () => ['stopped', 'finished'].includes(store.get(live)?.state ?? ''), 120_000);
      await waitFor('the session let go', () => service.heldSessions() === 0);
      await waitFor(
        'stalled cleared once the run stopped',
        () => !vscode.languages.getDiagnostics(metrics).some((d) => codeOf(d) === 'stalled'),
        30_000,
      );
    } finally {
      await doctorConfig.update('stallMinSeconds', undefined, vscode.ConfigurationTarget.Workspace);
      await doctorConfig.update('stallFactor', undefined, vscode.ConfigurationTarget.Workspace);
      const p = pid();
      if (p)
        try {
          process.kill(p, 'SIGCONT');
          process.kill(p, 'SIGKILL');
        } catch {
          // gone already
        }
    }
  });
});
