// Starting one queued entry through the same path as GRPO: Start Run (check the config,
// find Python with torch, launch() detached); a launch profile goes through GRPO: Start
// Run's profile path (startProfileEntry.ts).
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/deps';
import { cwdFor, launch } from '../commands/startRun';
import type { ConfigTarget, QueueEntry, RunObservation } from './state';
import { runsFolderFor } from '../runs/roots';
import type { RunSummary } from '../runs/model';
import { newRunDir } from '../trainer/runDirName';
import { pythonWithTorch } from '../trainer/pythonCheck';
import { sweepTags } from '../sweep/expand';
import { writeFileAtomically } from './queueFile';
import { addRunTags } from '../runs/notes';
import { observeProfileRun, startProfileEntry } from './startProfileEntry';

/** A sweep's run trains with this copy of its config, kept in its run directory. */
export const QUEUED_CONFIG = 'queued.grpo.json';

/** Where a started entry's run is written (a profile's sidecar: the launch that writes it). */
export type StartOutcome = { runDir: string; sidecar?: string } | { why: string };

/**
 * Where a config entry's run will be written (decided before it starts, so a reload finds
 * it); a profile's is known once it started.
 */
export function runDirFor(entry: QueueEntry, now = new Date()): string | undefined {
  if (entry.target.kind !== 'config') return undefined;
  const root = runsFolderFor(vscode.Uri.file(entry.target.configPath));
  return newRunDir(root, `${entry.name}.grpo.json`, now, fs.existsSync);
}

/** Starts the entry's run (a config's in runDir); resolves with where it runs, or why it could not start. */
export async function startQueuedEntry(
  deps: CommandDeps,
  entry: QueueEntry,
  runDir: string | undefined,
): Promise<StartOutcome> {
  if (entry.target.kind === 'profile') return startProfileEntry(deps, entry.target, startBuiltinConfig);
  const why = await startConfigEntry(deps, { ...entry, target: entry.target }, runDir!);
  return why ? { why } : { runDir: runDir! };
}

/** Starts a config's run in runDir; resolves with why it could not, or undefined once started. */
export async function startConfigEntry(
  deps: CommandDeps,
  entry: Pick<QueueEntry, 'sweep'> & { target: ConfigTarget },
  runDir: string,
): Promise<string | undefined> {
  const { target } = entry;
  const configUri = vscode.Uri.file(target.configPath);
  let configPath = target.configPath;
  if (target.config) {
    configPath = path.join(runDir, QUEUED_CONFIG);
    writeFileAtomically(configPath, `${JSON.stringify(target.config, null, 2)}\n`);
  } else {
    const why = await configProblem(deps, configUri);
    if (why) return why;
  }
  const python = await pythonWithTorch(configUri);
  if (!python) return 'no Python with PyTorch was found (see the message)';
  // The trainer imports user reward modules from its config's folder: a sweep's copy is in
  // the run directory, so the base config's folder joins the trainer's PYTHONPATH entry.
  const trainerRoot = [deps.trainerRoot, path.dirname(target.configPath)].join(path.delimiter);
  const started = await launch(
    { ...deps, trainerRoot },
    { python, configPath, runDir, cwd: cwdFor(configUri) },
  );
  if (!started) return 'the trainer could not be started (see the message)';
  // The run's tags file is the runs table's (src/runs/notes.ts): the table groups a sweep by them.
  // Our trainer's run: said outright, since its folder may exist by now without run.json.
  const run = { id: runDir, dir: runDir, source: 'grpo-lens' as const };
  if (entry.sweep) await addRunTags(run, sweepTags(entry.sweep.name, entry.sweep.overrides));
  return undefined;
}

/** A built-in profile's config trains through the queue's own path, in a new run directory. */
async function startBuiltinConfig(deps: CommandDeps, configUri: vscode.Uri) {
  const runDir = newRunDir(runsFolderFor(configUri), configUri.fsPath, new Date(), fs.existsSync);
  const why = await startConfigEntry(
    deps,
    { target: { kind: 'config', configPath: configUri.fsPath } },
    runDir,
  );
  return why ? { why } : { runDir };
}

async function configProblem(deps: CommandDeps, uri: vscode.Uri): Promise<string | undefined> {
  if (!fs.existsSync(uri.fsPath)) return `${uri.fsPath} does not exist any more`;
  const document = await vscode.workspace.openTextDocument(uri);
  const { problems } = deps.checker.check(document);
  if (problems.length === 0) return undefined;
  return `the config has ${problems.length} problem(s) (first: ${problems[0].message})`;
}

/** What the queue needs to know of an entry's run: a command or Slurm launch says it in its sidecar. */
export function observeEntry(
  entry: QueueEntry,
  runs: (dir: string) => RunSummary | undefined,
): RunObservation {
  const { target } = entry;
  if (target.kind === 'profile' && target.profileKind !== 'builtin' && target.sidecar)
    return observeProfileRun(target.sidecar);
  return observeRun(runs(entry.runDir!));
}

/** What the queue needs to know of a run it started. */
export function observeRun(run: RunSummary | undefined): RunObservation {
  if (!run) return { kind: 'absent' };
  if (run.state === 'finished' || run.state === 'stopped') return { kind: 'ended', how: run.state };
  if (run.state === 'failed') return { kind: 'failed', error: run.error ?? 'the run failed (see its log)' };
  if (run.state === 'stale')
    return { kind: 'failed', error: 'the trainer process is gone without a final state' };
  return { kind: 'active' };
}
