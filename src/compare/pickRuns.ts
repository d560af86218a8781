// Asking the user which runs to compare: a multi-select pick of every run, the runs
// already chosen ticked.
import * as vscode from 'vscode';
import { visibleText } from '../contract/visibleText';
import type { RunStore } from '../runs/model';
import { distinctRunLabel } from '../views/runLabel';

/** Run ids picked, in the store's order; undefined when the user cancelled or picked too few. */
export async function pickRuns(
  store: RunStore,
  title: string,
  options: { chosen?: string[]; min: number; max?: number },
): Promise<string[] | undefined> {
  const runs = store.runs();
  if (runs.length < options.min) {
    void vscode.window.showInformationMessage(
      `GRPO Lens: ${title} needs ${options.min} runs; ${runs.length === 0 ? 'no run was' : `only ${runs.length} was`} found.`,
    );
    return undefined;
  }
  const chosen = new Set(options.chosen ?? []);
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: distinctRunLabel(r, runs),
      description: `${r.sourceLabel} · ${r.state} · step ${r.step}`,
      detail: visibleText(r.dir),
      picked: chosen.has(r.id),
      runId: r.id,
    })),
    { title, canPickMany: true, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  if (!picked) return undefined;
  const count = picked.length;
  if (count < options.min || (options.max !== undefined && count > options.max)) {
    const wanted = options.max === options.min ? `${options.min}` : `at least ${options.min}`;
    void vscode.window.showWarningMessage(`GRPO Lens: ${title} needs ${wanted} runs; ${count} picked.`);
    return undefined;
  }
  return picked.map((p) => p.runId);
}
