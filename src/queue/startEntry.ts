// Starting one queued entry through the same path as GRPO: Start Run (check the config,
// find Python with torch, launch() detached). The one function a launch profile (issue 10)
// plugs into: add its kind to QueueTarget and a branch here.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../commands/deps';
import { cwdFor, launch } from '../commands/startRun';
import type { RunObservation } from './state';
import type { QueueEntry } from './state';
import { runsFolderFor } from '../runs/roots';
import type { RunSummary } from '../runs/model';
import { newRunDir } from '../trainer/runDirName';
import { pythonWithTorch } from '../trainer/pythonCheck';
import { sweepTags } from '../sweep/expand';
import { writeFileAtomically } from './queueFile';
import { addRunTags } from '../runs/notes';

/** A sweep's run trains with this copy of its config, kept in its run directory. */
export const QUEUED_CONFIG = 'queued.grpo.json';

/** Where the entry's run will be written (decided before it starts, so a reload finds it). */
export function runDirFor(entry: QueueEntry, now = new Date()): string {
  const root = runsFolderFor(vscode.Uri.file(entry.target.configPath));
  return newRunDir(root, `${entry.name}.grpo.json`, now, fs.existsSync);
}

/** Starts the entry's run in runDir; resolves with why it could not, or undefined once started. */
export async function startQueuedEntry(
  deps: CommandDeps,
  entry: QueueEntry,
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

async function configProblem(deps: CommandDeps, uri: vscode.Uri): Promise<string | undefined> {
  if (!fs.existsSync(uri.fsPath)) return `${uri.fsPath} does not exist any more`;
  const document = await vscode.workspace.openTextDocument(uri);
  const { problems } = deps.checker.check(document);
  if (problems.length === 0) return undefined;
  return `the config has ${problems.length} problem(s) (first: ${problems[0].message})`;
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
