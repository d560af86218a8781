// GRPO: Queue Runs… (configs, sweeps, launch profiles) and Queue Sweep, and the Queue view's actions (move up/down, run
// next, cancel, clear ended).
import { randomUUID } from 'crypto';
import * as vscode from 'vscode';
import { configNameOf } from '../trainer/runDirName';
import { refuseIfUntrusted } from '../trainer/trust';
import type { SweepExpansion } from '../sweep/expand';
import { SWEEP_SUFFIX } from '../sweep/expand';
import type { SweepChecker } from '../sweep/sweepDiagnostics';
import { stopAny } from '../launch/controls';
import { stopTimeouts } from '../launch/vscode/controlLaunched';
import type { WorkspaceProfile } from '../launch/vscode/profileFile';
import { readProfiles } from '../launch/vscode/startProfile';
import type { QueueRunner } from './runner';
import { profileKindLabel } from './startProfileEntry';
import { cancel, clearEnded, enqueue, move, runNext, type QueueEntry } from './state';

export interface QueueDeps {
  queue: QueueRunner;
  sweeps: SweepChecker;
}

/** Queues configs, sweeps and launch profiles the user picks; resolves with the entries queued. */
export async function queueRuns(deps: QueueDeps): Promise<QueueEntry[]> {
  // Every kind starts processes from workspace files: refused as Start Run is.
  if (refuseIfUntrusted('queue runs')) return [];
  const picked = await vscode.window.showQuickPick(await queueChoices(), {
    title: 'GRPO: Queue Runs',
    placeHolder: 'Pick configs, sweeps and launch profiles to queue, in order',
    canPickMany: true,
  });
  if (!picked?.length) return [];
  const entries: QueueEntry[] = [];
  for (const { uri, profile } of picked) {
    if (profile) {
      entries.push(profileEntry(profile));
      continue;
    }
    const more = uri!.path.endsWith(SWEEP_SUFFIX) ? await sweepEntries(deps, uri!) : [configEntry(uri!)];
    if (!more) return []; // a bad sweep: nothing is queued
    entries.push(...more);
  }
  return addToQueue(deps, entries);
}

interface QueueChoice extends vscode.QuickPickItem {
  uri?: vscode.Uri;
  profile?: WorkspaceProfile;
}

/** The launch profiles of .vscode/grpo-lens.json (with their kind), then configs and sweeps. */
async function queueChoices(): Promise<QueueChoice[]> {
  const files = await vscode.workspace.findFiles(
    '**/*.{grpo,sweep}.json',
    '**/{node_modules,runs,.git}/**',
    500,
  );
  const { profiles } = await readProfiles();
  return [
    ...profiles.map((profile) => ({
      label: profile.profile.name,
      description: `launch profile · ${profileKindLabel(profile.profile)}`,
      iconPath: new vscode.ThemeIcon('rocket'),
      profile,
    })),
    ...files
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((uri) => ({
        label: vscode.workspace.asRelativePath(uri),
        description: uri.path.endsWith(SWEEP_SUFFIX) ? 'sweep' : 'config',
        uri,
      })),
  ];
}

export function profileEntry({ profile, folder }: WorkspaceProfile): QueueEntry {
  return {
    id: randomUUID(),
    name: profile.name,
    target: {
      kind: 'profile',
      profileName: profile.name,
      profileKind: profile.kind,
      folder: folder.uri.fsPath,
    },
    state: 'pending',
    queuedAt: Date.now(),
  };
}

/** Queues every run of a sweep file (explorer, editor or argument), or nothing if it has problems. */
export async function queueSweep(deps: QueueDeps, arg: unknown): Promise<QueueEntry[]> {
  if (refuseIfUntrusted('queue a sweep')) return [];
  const uri =
    arg instanceof vscode.Uri ? arg : typeof arg === 'string' ? vscode.Uri.file(arg) : activeSweep();
  if (!uri) {
    void vscode.window.showInformationMessage('GRPO Lens: open or pick a *.sweep.json to queue.');
    return [];
  }
  const entries = await sweepEntries(deps, uri);
  return entries ? addToQueue(deps, entries) : [];
}

function activeSweep(): vscode.Uri | undefined {
  const uri = vscode.window.activeTextEditor?.document.uri;
  return uri?.path.endsWith(SWEEP_SUFFIX) ? uri : undefined;
}

async function sweepEntries(deps: QueueDeps, uri: vscode.Uri): Promise<QueueEntry[] | undefined> {
  const expansion = deps.sweeps.check(await vscode.workspace.openTextDocument(uri));
  if (expansion.problems.length === 0) return entriesOf(expansion);
  const name = vscode.workspace.asRelativePath(uri);
  void vscode.window
    .showErrorMessage(
      `GRPO Lens queued nothing: the sweep ${name} has ${expansion.problems.length} problem(s) ` +
        `(first: ${expansion.problems[0].message}). Fix them and queue it again.`,
      'Show Problems',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
  return undefined;
}

export function entriesOf(expansion: SweepExpansion): QueueEntry[] {
  return expansion.runs.map((run) => ({
    id: randomUUID(),
    name: run.name,
    target: { kind: 'config', configPath: expansion.basePath!, config: run.config },
    sweep: { name: expansion.name, overrides: run.overrides, maxParallel: expansion.maxParallel },
    state: 'pending',
    queuedAt: Date.now(),
  }));
}

function configEntry(uri: vscode.Uri): QueueEntry {
  const name = configNameOf(uri.fsPath);
  return {
    id: randomUUID(),
    name,
    target: { kind: 'config', configPath: uri.fsPath },
    state: 'pending',
    queuedAt: Date.now(),
  };
}

function addToQueue(deps: QueueDeps, entries: QueueEntry[]): QueueEntry[] {
  deps.queue.change((s) => enqueue(s, entries));
  void vscode.commands.executeCommand('grpoLens.queue.focus');
  void vscode.window.showInformationMessage(
    `GRPO Lens queued ${entries.length} run${entries.length === 1 ? '' : 's'}.`,
  );
  return entries;
}

/** The view's actions: each takes the clicked item ({ entryId }). */
export function queueActions(
  deps: QueueDeps,
): Record<string, (node: { entryId?: string } | undefined) => unknown> {
  const on = (node: { entryId?: string } | undefined) => node?.entryId ?? '';
  return {
    'grpoLens.queue.moveUp': (node) => deps.queue.change((s) => move(s, on(node), -1)),
    'grpoLens.queue.moveDown': (node) => deps.queue.change((s) => move(s, on(node), 1)),
    'grpoLens.queue.runNext': (node) => deps.queue.change((s) => runNext(s, on(node))),
    'grpoLens.queue.cancel': (node) => cancelEntry(deps, on(node)),
    'grpoLens.queue.clearEnded': () => deps.queue.change(clearEnded),
  };
}

/**
 * Cancelling a running entry stops its run (our trainer checkpoints, then exits); a
 * command's or Slurm job's launch is stopped through its sidecar, listed as a run or not.
 */
async function cancelEntry(deps: QueueDeps, id: string): Promise<void> {
  const entry = deps.queue.entries().find((e) => e.id === id);
  deps.queue.change((s) => cancel(s, id, Date.now()));
  if (entry?.state !== 'running' || !entry.runDir) return;
  const sidecar = entry.target.kind === 'profile' ? entry.target.sidecar : undefined;
  if (!sidecar)
    return void (await vscode.commands.executeCommand('grpoLens.stopRun', { runId: entry.runDir }));
  try {
    await stopAny(sidecar, stopTimeouts());
  } catch (err) {
    void vscode.window.showWarningMessage(
      `GRPO Lens could not stop ${entry.name}: ${(err as Error).message}.`,
    );
  }
}
