// GRPO: Open Dashboard at Step: opens (or reveals) a run's dashboard and zooms its charts
// around a step; the tree's findings, the Problems panel's links and the notifications
// run it with { runId, step }. From the palette it asks for the run and the step.
import * as vscode from 'vscode';
import type { RunStore } from '../../runs/model';
import { pickRun, runIdOf } from '../../panels/quickPick';

interface FocusablePanel {
  focusStep(step: number): void;
}

export interface OpenedAtStep {
  runId: string;
  step: number;
  panel: FocusablePanel;
}

export async function openDashboardAtStep(
  store: () => Promise<RunStore>,
  arg: unknown,
): Promise<OpenedAtStep | undefined> {
  const runId = runIdOf(arg) ?? (await pickRun(await store(), 'Open Dashboard at Step of Run'));
  if (!runId) return undefined;
  const step = stepOf(arg) ?? (await askStep());
  if (step === undefined) return undefined;
  const panel = await vscode.commands.executeCommand<FocusablePanel | undefined>('grpoLens.openDashboard', {
    runId,
  });
  panel?.focusStep(step);
  return panel ? { runId, step, panel } : undefined;
}

function stepOf(arg: unknown): number | undefined {
  const step = typeof arg === 'object' && arg !== null ? (arg as { step?: unknown }).step : undefined;
  return typeof step === 'number' && Number.isFinite(step) ? step : undefined;
}

async function askStep(): Promise<number | undefined> {
  const text = await vscode.window.showInputBox({
    title: 'Open Dashboard at Step',
    prompt: 'The step to zoom the charts to',
    validateInput: (v) => (/^\d+$/.test(v.trim()) ? undefined : 'A step is a whole number, such as 120.'),
  });
  return text === undefined ? undefined : Number(text.trim());
}
