// Asking the user for a run when a command is run from the palette without one.
import * as vscode from 'vscode';
import { visibleText } from '../contract/visibleText';
import type { RunStore } from '../runs/model';
import { distinctRunLabel } from '../views/runLabel';

export async function pickRun(store: RunStore, title: string): Promise<string | undefined> {
  const runs = store.runs();
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(
      'GRPO Lens: no runs found. Start a run, or open a folder of runs with GRPO: Open Run Folder….',
    );
    return undefined;
  }
  if (runs.length === 1) return runs[0].id;
  const picked = await vscode.window.showQuickPick(
    runs.map((r) => ({
      label: distinctRunLabel(r, runs),
      description: `${r.state} · step ${r.step}`,
      detail: visibleText(r.dir),
      runId: r.id,
    })),
    // ignoreFocusOut: run from the walkthrough, the picker would close when it takes the focus back.
    { title, matchOnDescription: true, matchOnDetail: true, ignoreFocusOut: true },
  );
  return picked?.runId;
}

/** Commands get a run id string, or a tree item / object that carries one. */
export function runIdOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { runId?: unknown; id?: unknown; run?: { id?: unknown } };
    if (typeof o.runId === 'string') return o.runId;
    if (typeof o.run?.id === 'string') return o.run.id;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}
