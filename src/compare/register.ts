// Compare runs: "GRPO: Compare Runs…" (overlaid curves), "GRPO: Compare Configs" (VS
// Code's diff editor) and "GRPO: Compare Samples Side by Side", from the palette, the
// run explorer's multi-selection (VS Code passes (item, items[])) and the compare view.
import * as vscode from 'vscode';
import type { CompareCommand } from '../contract/messages';
import { panelOptions } from '../panels/panelHost';
import type { RunStore } from '../runs/model';
import { ComparePanel, COMPARE_VIEW_TYPE } from './comparePanel';
import { CONFIG_SCHEME, ConfigDocuments, openConfigDiff } from './configDocuments';
import { pickRuns } from './pickRuns';
import { runIdsOf } from './runInfo';
import { SIDE_BY_SIDE_VIEW_TYPE, SideBySidePanel } from './sideBySidePanel';

type StoreAccessor = () => Promise<RunStore>;

/** Open compare panels, for tests. */
export const openCompares = { overlays: new Set<ComparePanel>(), sideBySide: new Set<SideBySidePanel>() };

interface CompareState {
  runIds?: unknown;
  step?: unknown;
}

function known(store: RunStore, ids: string[]): string[] {
  return ids.filter((id) => store.get(id) !== undefined);
}

export function registerCompare(context: vscode.ExtensionContext, getStore: StoreAccessor): void {
  const onCommand = (c: CompareCommand) => {
    if (c.command === 'compareConfigs')
      void vscode.commands.executeCommand('grpoLens.compareConfigs', c.runIds);
    else if (c.command === 'compareSamples')
      void vscode.commands.executeCommand('grpoLens.compareSamples', c.runIds, undefined, c.step);
    else void vscode.commands.executeCommand('grpoLens.openDashboard', c.runId);
  };
  const overlay = (store: RunStore, runIds: string[], panel?: vscode.WebviewPanel) => {
    const p = panel ?? newPanel(COMPARE_VIEW_TYPE, `Compare ${runIds.length} Runs`, context);
    const view = new ComparePanel(p, store, runIds, context.extensionUri, onCommand);
    return track(openCompares.overlays, view, p);
  };
  const sideBySide = (store: RunStore, ids: [string, string], step?: number, panel?: vscode.WebviewPanel) => {
    const p = panel ?? newPanel(SIDE_BY_SIDE_VIEW_TYPE, 'Samples Side by Side', context);
    const view = new SideBySidePanel(p, store, ids, context.extensionUri, step, onCommand);
    return track(openCompares.sideBySide, view, p);
  };

  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(CONFIG_SCHEME, new ConfigDocuments(getStore)),
    vscode.commands.registerCommand('grpoLens.compareRuns', async (arg?: unknown, items?: unknown) => {
      const store = await getStore();
      const given = known(store, runIdsOf(arg, items));
      const ids =
        given.length >= 2 ? given : await pickRuns(store, 'Compare Runs', { chosen: given, min: 2 });
      return ids && overlay(store, ids);
    }),
    vscode.commands.registerCommand('grpoLens.compareConfigs', async (arg?: unknown, items?: unknown) => {
      const store = await getStore();
      const given = known(store, runIdsOf(arg, items));
      const ids =
        given.length === 2
          ? given
          : await pickRuns(store, 'Compare Configs', { chosen: given, min: 2, max: 2 });
      if (ids) await openConfigDiff(store, ids[0], ids[1]);
      return ids;
    }),
    vscode.commands.registerCommand(
      'grpoLens.compareSamples',
      async (arg?: unknown, items?: unknown, step?: unknown) => {
        const store = await getStore();
        const given = known(store, runIdsOf(arg, items));
        const ids =
          given.length === 2
            ? given
            : await pickRuns(store, 'Compare Samples Side by Side', { chosen: given, min: 2, max: 2 });
        return ids && sideBySide(store, [ids[0], ids[1]], typeof step === 'number' ? step : undefined);
      },
    ),
    vscode.window.registerWebviewPanelSerializer(COMPARE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: CompareState | undefined) => {
        const store = await getStore();
        const ids = Array.isArray(state?.runIds) ? known(store, runIdsOf(state.runIds)) : [];
        if (ids.length < 2) panel.dispose();
        else overlay(store, ids, panel);
      },
    }),
    vscode.window.registerWebviewPanelSerializer(SIDE_BY_SIDE_VIEW_TYPE, {
      deserializeWebviewPanel: async (panel, state: CompareState | undefined) => {
        const store = await getStore();
        const ids = Array.isArray(state?.runIds) ? known(store, runIdsOf(state.runIds)) : [];
        const step = typeof state?.step === 'number' ? state.step : undefined;
        if (ids.length !== 2) panel.dispose();
        else sideBySide(store, [ids[0], ids[1]], step, panel);
      },
    }),
    { dispose: () => [...openCompares.overlays, ...openCompares.sideBySide].forEach((p) => p.dispose()) },
  );
}

function newPanel(viewType: string, title: string, context: vscode.ExtensionContext): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    viewType,
    title,
    vscode.ViewColumn.Active,
    panelOptions(context.extensionUri),
  );
}

function track<T extends { dispose(): void }>(set: Set<T>, view: T, panel: vscode.WebviewPanel): T {
  set.add(view);
  panel.onDidDispose(() => {
    set.delete(view);
    view.dispose();
  });
  return view;
}
