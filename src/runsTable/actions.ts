// What the runs table's buttons do: the same commands as the palette and the tree
// (open dashboard, samples, log, delete), GRPO Lens's compare command for the selected
// runs, and choosing more columns.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsTableCommand, RunsTableOpen, RunsTableViewState } from '../contract/messages';
import { visibleLine } from '../contract/visibleText';
import type { RunStore, RunSummary } from '../runs/model';
import { configColumnId, isSummaryMetric, metricColumnId } from './columns';
import type { RunsTablePanel } from './panel';

/** Registered by the compare feature; the table only calls it. */
export const COMPARE_COMMAND = 'grpoLens.compareRuns';

const OPEN_COMMANDS: Record<Exclude<RunsTableOpen, 'config'>, string> = {
  dashboard: 'grpoLens.openDashboard',
  samples: 'grpoLens.showSamples',
  log: 'grpoLens.showLog',
  folder: 'grpoLens.revealRun',
};

export async function runTableCommand(
  store: RunStore,
  c: RunsTableCommand,
  panel: RunsTablePanel,
): Promise<void> {
  switch (c.command) {
    case 'tableOpen':
      if (c.what === 'config') return openConfig(store.get(c.runId));
      await vscode.commands.executeCommand(OPEN_COMMANDS[c.what], c.runId);
      return;
    case 'tableCompare':
      return compareRuns(c.runIds);
    case 'tableDelete':
      return deleteRuns(store, c.runIds);
    case 'tableEditTags':
      await vscode.commands.executeCommand('grpoLens.editRunTags', c.runId);
      return;
    case 'tableEditNote':
      await vscode.commands.executeCommand('grpoLens.editRunNote', c.runId);
      return;
    case 'tableAddColumn':
      return addColumn(store, panel);
  }
}

export async function compareRuns(runIds: string[]): Promise<void> {
  if (runIds.length < 2) {
    void vscode.window.showInformationMessage('GRPO Lens: select two or more runs to compare.');
    return;
  }
  await vscode.commands.executeCommand(COMPARE_COMMAND, runIds);
}

/** Ours: run.json, which holds the resolved config. Others: the config their source read, as JSON. */
async function openConfig(run: RunSummary | undefined): Promise<void> {
  if (!run) return;
  const runJson = path.join(run.dir, 'run.json');
  if (run.source === 'grpo-lens' && fs.existsSync(runJson)) {
    await vscode.window.showTextDocument(vscode.Uri.file(runJson), { preview: true });
    return;
  }
  if (!run.config) {
    void vscode.window.showInformationMessage(
      `GRPO Lens: ${visibleLine(run.name)} has no config that GRPO Lens could read (${run.sourceLabel} does not keep one next to its logs).`,
    );
    return;
  }
  const document = await vscode.workspace.openTextDocument({
    language: 'json',
    content: JSON.stringify(run.config, null, 2),
  });
  await vscode.window.showTextDocument(document, { preview: true });
}

/** One confirmation for all of them; runs that cannot be deleted are said, not deleted. */
async function deleteRuns(store: RunStore, runIds: string[]): Promise<void> {
  const runs = runIds.map((id) => store.get(id)).filter((r): r is RunSummary => r !== undefined);
  if (runs.length === 1) {
    await vscode.commands.executeCommand('grpoLens.deleteRun', runs[0].id);
    return;
  }
  const ours = runs.filter((r) => r.source === 'grpo-lens');
  const skipped = runs.length - ours.length;
  if (ours.length === 0) {
    void vscode.window.showInformationMessage(
      'GRPO Lens: runs of other trainers are only read, never deleted.',
    );
    return;
  }
  const choice = await vscode.window.showWarningMessage(
    `Delete ${ours.length} GRPO runs?`,
    {
      modal: true,
      detail:
        ours.map((r) => visibleLine(r.dir, 120)).join('\n') +
        (skipped ? `\n\n${skipped} run(s) of other trainers are left as they are.` : ''),
    },
    'Delete',
  );
  if (choice !== 'Delete') return;
  for (const run of ours)
    await vscode.commands.executeCommand('grpoLens.deleteRun', run.id, { confirmed: true });
}

/** A metric any run logged, or a config key any run has, as a new column. */
async function addColumn(store: RunStore, panel: RunsTablePanel): Promise<void> {
  const view = panel.view;
  const metrics = new Set<string>();
  const keys = new Set<string>();
  for (const run of store.runs()) {
    for (const name of Object.keys(run.latest)) if (!isSummaryMetric(name)) metrics.add(name);
    collectKeys(run.config ?? {}, '', keys);
  }
  const items = [
    ...[...metrics].sort().map((name) => ({ label: name, description: 'metric', of: 'metric' as const })),
    ...[...keys].sort().map((name) => ({ label: name, description: 'config', of: 'config' as const })),
  ].filter(
    (i) => !(view.extraMetrics ?? []).includes(i.label) && !(view.extraConfig ?? []).includes(i.label),
  );
  const picked = await vscode.window.showQuickPick(items, {
    title: 'Add a Column to the Runs Table',
    placeHolder: 'A metric (last, best and mean of the last N) or a config key',
    matchOnDescription: true,
  });
  if (!picked) return;
  const patch: RunsTableViewState =
    picked.of === 'metric'
      ? { extraMetrics: [...(view.extraMetrics ?? []), picked.label] }
      : { extraConfig: [...(view.extraConfig ?? []), picked.label] };
  // Columns the user chose stay chosen: the new one joins them at the end.
  const id = picked.of === 'metric' ? metricColumnId(picked.label, 'last') : configColumnId(picked.label);
  if (view.columns) patch.columns = [...view.columns, id];
  await panel.saveView(patch);
}

/** Dotted paths of a config's leaves (verl's Hydra config is nested). */
function collectKeys(value: Record<string, unknown>, prefix: string, into: Set<string>): void {
  for (const [key, child] of Object.entries(value)) {
    const dotted = prefix ? `${prefix}.${key}` : key;
    if (child && typeof child === 'object' && !Array.isArray(child) && into.size < 2000)
      collectKeys(child as Record<string, unknown>, dotted, into);
    else into.add(dotted);
  }
}
