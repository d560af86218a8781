// Registers the panels: one dashboard and one samples panel per run, their commands,
// and their serializers so they come back after a window reload.
import * as vscode from 'vscode';
import type { PanelState } from '../contract/messages';
import { registerCompare } from '../compare/register';
import { registerInspection } from '../inspect/register';
import type { RunStore } from '../runs/model';
import { registerRunsTable } from '../runsTable/register';
import type { RunTreeProvider } from '../views/runTree';
import { distinctRunLabel } from '../views/runLabel';
import { DASHBOARD_VIEW_TYPE, DashboardPanel } from './dashboardPanel';
import { panelOptions } from './panelHost';
import { pickRun, runIdOf } from './quickPick';
import { SAMPLES_VIEW_TYPE, SamplesPanel } from './samplesPanel';

/** The run store once it has loaded (panels opened during activation wait for it). */
export type StoreAccessor = () => Promise<RunStore>;

/** Open panels by run id; exported for tests. */
export const openPanels = {
  dashboards: new Map<string, DashboardPanel>(),
  samples: new Map<string, SamplesPanel>(),
};

/** The tree's label of the run, with its parent folder where another run has the same. */
function runName(store: RunStore, runId: string): string {
  return distinctRunLabel(store.get(runId) ?? { id: runId, dir: runId }, store.runs());
}

function track<T extends DashboardPanel | SamplesPanel>(map: Map<string, T>, panel: T): T {
  map.set(panel.runId, panel);
  panel.host.onDidDispose(() => {
    map.delete(panel.runId);
    panel.dispose();
  });
  return panel;
}

function createDashboard(
  ctx: vscode.ExtensionContext,
  store: RunStore,
  runId: string,
  panel?: vscode.WebviewPanel,
) {
  const title = `${runName(store, runId)} · Dashboard`;
  const p =
    panel ??
    vscode.window.createWebviewPanel(
      DASHBOARD_VIEW_TYPE,
      title,
      vscode.ViewColumn.Active,
      panelOptions(ctx.extensionUri),
    );
  return track(openPanels.dashboards, new DashboardPanel(p, store, runId, ctx.extensionUri));
}

function createSamples(
  ctx: vscode.ExtensionContext,
  store: RunStore,
  runId: string,
  step?: number,
  panel?: vscode.WebviewPanel,
) {
  const title = `${runName(store, runId)} · Samples`;
  const p =
    panel ??
    vscode.window.createWebviewPanel(
      SAMPLES_VIEW_TYPE,
      title,
      vscode.ViewColumn.Active,
      panelOptions(ctx.extensionUri),
    );
  return track(openPanels.samples, new SamplesPanel(p, store, runId, ctx.extensionUri, step));
}

async function openDashboard(ctx: vscode.ExtensionContext, getStore: StoreAccessor, arg: unknown) {
  const store = await getStore();
  const runId = runIdOf(arg) ?? (await pickRun(store, 'Open Dashboard of Run'));
  if (!runId) return undefined;
  const open = openPanels.dashboards.get(runId);
  if (open) open.host.panel.reveal();
  return open ?? createDashboard(ctx, store, runId);
}

async function showSamples(
  ctx: vscode.ExtensionContext,
  getStore: StoreAccessor,
  arg: unknown,
  step?: unknown,
) {
  const store = await getStore();
  const runId = runIdOf(arg) ?? (await pickRun(store, 'Show Samples of Run'));
  if (!runId) return undefined;
  const at = typeof step === 'number' ? step : undefined;
  const open = openPanels.samples.get(runId);
  if (!open) return createSamples(ctx, store, runId, at);
  open.host.panel.reveal();
  if (at !== undefined) open.showStep(at);
  return open;
}

function serializer(
  getStore: StoreAccessor,
  restore: (store: RunStore, panel: vscode.WebviewPanel, s: PanelState) => void,
) {
  return {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, state: unknown) {
      const s = state as PanelState | undefined;
      if (!s || typeof s.runId !== 'string') {
        panel.dispose();
        return;
      }
      restore(await getStore(), panel, s);
    },
  };
}

export function registerPanels(context: vscode.ExtensionContext, getStore: StoreAccessor): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('grpoLens.openDashboard', (arg) => openDashboard(context, getStore, arg)),
    vscode.commands.registerCommand('grpoLens.showSamples', (arg, step) =>
      showSamples(context, getStore, arg, step),
    ),
    vscode.window.registerWebviewPanelSerializer(
      DASHBOARD_VIEW_TYPE,
      serializer(getStore, (store, panel, s) => createDashboard(context, store, s.runId, panel)),
    ),
    vscode.window.registerWebviewPanelSerializer(
      SAMPLES_VIEW_TYPE,
      serializer(getStore, (store, panel, s) => createSamples(context, store, s.runId, s.step, panel)),
    ),
    {
      dispose: () =>
        [...openPanels.dashboards.values(), ...openPanels.samples.values()].forEach((p) => p.dispose()),
    },
  );
}

/** The one call extension.ts makes: panels and inline inspection over the runs' store. */
export function registerWebviews(
  context: vscode.ExtensionContext,
  runs: { store(): RunStore | undefined; whenReady(): Promise<RunStore>; tree?: RunTreeProvider },
): void {
  const getStore: StoreAccessor = async () => runs.store() ?? (await runs.whenReady());
  registerPanels(context, getStore);
  registerInspection(context, getStore);
  registerRunsTable(context, getStore, runs.tree);
  registerCompare(context, getStore);
}
