// GRPO: Force Stop — for a run that no longer answers: SIGKILL to its whole process
// group at once, nothing saved. A launched run's sidecar records it; a run of our own
// trainer is then shown as stale (its status.json names a process that is gone).
import * as vscode from 'vscode';
import { refuseIfUntrusted } from '../../trainer/trust';
import type { CommandDeps } from '../../commands/deps';
import { runFromArgOrPick } from '../../commands/runArgs';
import type { RunSummary } from '../../runs/model';
import { isActiveState } from '../../runs/summary';
import { runLabel } from '../../views/runItem';
import { signalGroup } from '../processGroup';
import { controlLaunched } from './controlLaunched';

export async function forceStop(
  deps: CommandDeps,
  arg: unknown,
  options?: { confirmed?: boolean },
): Promise<string> {
  if (refuseIfUntrusted('stop a training process')) return 'untrusted';
  const store = await deps.runs.whenReady();
  const fits = (r: RunSummary) =>
    isActiveState(r.state) && (r.launch !== undefined || r.source === 'grpo-lens');
  const run = await runFromArgOrPick(arg, store, 'Force Stop', fits);
  if (!run) return 'no-run';
  if (!options?.confirmed) {
    const answer = await vscode.window.showWarningMessage(
      `Force Stop ${runLabel(run)}? Every process of the run is killed at once (SIGKILL): nothing is saved.`,
      { modal: true },
      'Force Stop',
    );
    if (answer !== 'Force Stop') return 'cancelled';
  }
  if (run.launch) return controlLaunched(run, 'kill');
  if (run.source !== 'grpo-lens' || !run.pid) {
    void vscode.window.showInformationMessage(`GRPO run ${runLabel(run)} has no process of ours to stop.`);
    return 'no-process';
  }
  // Our trainer is started detached: its pid leads its own process group.
  // (Started from a terminal instead, it may share its shell's group: then the process alone.)
  const killed = signalGroup(run.pid, 'SIGKILL') || killProcess(run.pid);
  deps.log.warn(
    `force stop of ${run.dir}: SIGKILL to process group ${run.pid} (${killed ? 'sent' : 'already gone'})`,
  );
  void vscode.window.showInformationMessage(`GRPO run ${runLabel(run)} stopped by SIGKILL.`);
  await store.refresh();
  return 'SIGKILL';
}

function killProcess(pid: number): boolean {
  try {
    process.kill(pid, 'SIGKILL');
    return true;
  } catch {
    return false;
  }
}
