// Commands get a run from a tree item, a run id or path, or a Uri; this finds it.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CheckpointInfo, RunSummary } from '../runs/model';
import type { RunIndexStore } from '../runs/store';
import { runDescription, runLabel } from '../views/runItem';

export function runIdFrom(arg: unknown, store: RunIndexStore): string | undefined {
  const candidate = rawRunRef(arg);
  if (!candidate) return undefined;
  const resolved = path.resolve(candidate);
  if (store.get(resolved)) return resolved;
  return store.runs().find((r) => resolved.startsWith(r.dir + path.sep))?.id;
}

function rawRunRef(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (arg instanceof vscode.Uri) return arg.fsPath;
  if (typeof arg === 'object' && arg !== null) {
    const o = arg as { runId?: unknown; id?: unknown };
    if (typeof o.runId === 'string') return o.runId;
    if (typeof o.id === 'string') return o.id;
  }
  return undefined;
}

export function checkpointFrom(arg: unknown): CheckpointInfo | undefined {
  if (typeof arg !== 'object' || arg === null) return undefined;
  const c = (arg as { checkpoint?: unknown }).checkpoint;
  if (typeof c === 'string') return { step: NaN, path: c };
  if (typeof c === 'object' && c !== null && typeof (c as CheckpointInfo).path === 'string')
    return c as CheckpointInfo;
  return undefined;
}

/** The run named by the argument, else one the user picks among those that fit. */
export async function runFromArgOrPick(
  arg: unknown,
  store: RunIndexStore,
  title: string,
  fits: (run: RunSummary) => boolean = () => true,
): Promise<RunSummary | undefined> {
  const id = runIdFrom(arg, store);
  if (id) return store.get(id);
  const runs = store.runs().filter(fits);
  if (runs.length === 0) {
    void vscode.window.showInformationMessage(`GRPO Lens: no run to ${title.toLowerCase()}.`);
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    runs.map((run) => ({ label: runLabel(run), description: `${run.state} · ${runDescription(run)}`, run })),
    { title: `GRPO: ${title}`, placeHolder: 'Pick a run' },
  );
  return picked?.run;
}

/**
 * GRPO Lens controls, resumes and deletes only runs of its own trainer; another
 * trainer's run is read, never written. Says so and returns true when refused.
 */
export function refuseIfReadOnly(run: RunSummary, what: 'control' | 'resume' | 'delete' | 'log'): boolean {
  const allowed =
    what === 'control'
      ? run.capabilities.control
      : what === 'resume'
        ? run.capabilities.resume
        : run.source === 'grpo-lens';
  if (allowed) return false;
  const doing = { control: 'control', resume: 'resume', delete: 'delete', log: 'show the training log of' }[
    what
  ];
  void vscode.window.showInformationMessage(
    `GRPO Lens reads ${run.sourceLabel} runs such as ${runLabel(run)} but does not ${doing} them: ` +
      `it never writes into another trainer's files.`,
  );
  return true;
}

export async function pickCheckpoint(run: RunSummary): Promise<CheckpointInfo | undefined> {
  if (run.checkpoints.length === 0) {
    void vscode.window.showInformationMessage(
      `GRPO Lens: run ${runLabel(run)} has no checkpoints to resume from.`,
    );
    return undefined;
  }
  const picked = await vscode.window.showQuickPick(
    [...run.checkpoints]
      .reverse()
      .map((c) => ({ label: `step ${c.step}`, description: c.path, checkpoint: c })),
    { title: `GRPO: Resume ${runLabel(run)} from Checkpoint`, placeHolder: 'Pick a checkpoint' },
  );
  return picked?.checkpoint;
}
