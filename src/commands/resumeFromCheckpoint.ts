// GRPO: Resume from Checkpoint… — continue a run that is not running from one of
// its checkpoints; the trainer keeps appending to the same run directory.
import * as path from 'path';
import * as vscode from 'vscode';
import { resumeLauncher } from '../launch/resolve';
import { isActiveState } from '../runs/summary';
import { readJsonFile } from '../runs/tail';
import { pythonWithTorch } from '../trainer/pythonCheck';
import { refuseIfUntrusted } from '../trainer/trust';
import { runLabel } from '../views/runItem';
import type { CommandDeps } from './deps';
import { checkpointFrom, pickCheckpoint, refuseIfReadOnly, runFromArgOrPick } from './runArgs';
import { cwdFor, launch } from './startRun';

export async function resumeFromCheckpoint(deps: CommandDeps, arg: unknown): Promise<string | undefined> {
  if (refuseIfUntrusted('resume a training run')) return undefined;
  const store = await deps.runs.whenReady();
  const run = await runFromArgOrPick(
    arg,
    store,
    'Resume from Checkpoint',
    (r) => r.capabilities.resume && r.checkpoints.length > 0,
  );
  if (!run || refuseIfReadOnly(run, 'resume')) return undefined;
  if (isActiveState(run.state)) {
    void vscode.window.showWarningMessage(
      `GRPO run ${runLabel(run)} is ${run.state}: stop it before resuming it from a checkpoint.`,
    );
    return undefined;
  }
  const checkpoint = checkpointFrom(arg) ?? (await pickCheckpoint(run));
  if (!checkpoint) return undefined;
  const launcher = resumeLauncher(
    runLabel(run),
    await readJsonFile(path.join(run.dir, 'run.json')),
    run.launch?.kind,
  );
  if ('refusal' in launcher) {
    void vscode.window.showErrorMessage(`GRPO Lens did not resume: ${launcher.refusal}`);
    return undefined;
  }
  const runUri = vscode.Uri.file(run.dir);
  const python = await pythonWithTorch(runUri);
  if (!python) return undefined;
  return launch(deps, {
    python,
    runDir: run.dir,
    resumeFrom: path.resolve(checkpoint.path),
    cwd: cwdFor(runUri),
    launcher: launcher.args.length > 0 ? launcher.args : undefined,
  });
}
