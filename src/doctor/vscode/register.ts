// Wires the run doctor into VS Code: the service over the run store, the tree's Problems
// child, the run decoration, the Problems panel, notifications, Open Dashboard at Step,
// and the settings grpoLens.doctor.enabled and grpoLens.doctor.<threshold>.
import * as vscode from 'vscode';
import type { RunStore } from '../../runs/model';
import type { RunTreeProvider } from '../../views/runTree';
import { createRunDoctor, THRESHOLD_DOCS } from '../index';
import { DoctorService } from './doctorService';
import { examineStoredRun } from './examineStored';
import { FindingActions } from './findingActions';
import { FindingDiagnostics } from './findingDiagnostics';
import { OPEN_AT_STEP_COMMAND } from './findingItems';
import { FindingNotifier } from './findingNotifier';
import { doctorFindings } from './findingsHub';
import { openDashboardAtStep } from './openAtStep';
import { RunDecorations } from './runDecorations';

/** What the extension's API exposes of the doctor (host tests). */
export interface DoctorApi {
  service(): DoctorService | undefined;
  diagnostics: FindingDiagnostics;
  notifier: FindingNotifier;
}

interface RunsAccess {
  store(): RunStore | undefined;
  whenReady(): Promise<RunStore>;
  tree: RunTreeProvider;
}

/** The thresholds a person set in settings (only those that differ from nothing: numbers). */
export function thresholdSettings(config: vscode.WorkspaceConfiguration): Record<string, number> {
  const out: Record<string, number> = {};
  for (const name of Object.keys(THRESHOLD_DOCS)) {
    const value = config.get<unknown>(name);
    if (typeof value === 'number' && Number.isFinite(value)) out[name] = value;
  }
  return out;
}

export function registerDoctor(
  context: vscode.ExtensionContext,
  runs: RunsAccess,
  log: vscode.LogOutputChannel,
): DoctorApi {
  const hub = doctorFindings;
  const store = () => runs.store();
  const diagnostics = new FindingDiagnostics(hub, store);
  const notifier = new FindingNotifier(hub, context.workspaceState, store);
  const decorations = new RunDecorations(hub, store);
  runs.tree.findings = (runId) => hub.get(runId);
  let service: DoctorService | undefined;

  const start = async () => {
    const config = () => vscode.workspace.getConfiguration('grpoLens.doctor');
    if (!config().get<boolean>('enabled', true)) return;
    const runStore = await runs.whenReady();
    if (service || !config().get<boolean>('enabled', true)) return;
    service = new DoctorService({
      store: runStore,
      hub,
      createDoctor: () => createRunDoctor(thresholdSettings(config())),
      examine: (runId) => examineStoredRun(runStore, runId, thresholdSettings(config())),
      log: (m) => log.info(m),
    });
    service.start();
  };
  const stop = () => {
    service?.dispose();
    service = undefined;
  };

  context.subscriptions.push(
    diagnostics,
    notifier,
    decorations,
    { dispose: stop },
    hub.onDidChange((ids) => runs.tree.findingsChanged(ids)),
    vscode.window.registerFileDecorationProvider(decorations),
    vscode.languages.registerCodeActionsProvider({ scheme: 'file' }, new FindingActions(), {
      providedCodeActionKinds: FindingActions.kinds,
    }),
    vscode.commands.registerCommand(OPEN_AT_STEP_COMMAND, (arg: unknown) =>
      openDashboardAtStep(() => runs.whenReady(), arg),
    ),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('grpoLens.doctor')) return;
      const enabled = vscode.workspace.getConfiguration('grpoLens.doctor').get<boolean>('enabled', true);
      if (!enabled) stop();
      else if (service) service.reexamineAll();
      else void start();
    }),
  );
  void start();
  return { service: () => service, diagnostics, notifier };
}
