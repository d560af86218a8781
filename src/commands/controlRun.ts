// GRPO: Pause / Resume / Checkpoint Now / Stop — a line in control.jsonl, then a
// progress notification until events.jsonl acknowledges it.
import * as vscode from 'vscode';
import type { ControlCommand, RunSummary } from '../runs/model';
import type { RunIndexStore } from '../runs/store';
import { launchedForeign } from '../runs/checkpointOnRequest';
import { isActiveState, isFinalState } from '../runs/summary';
import { controlLaunched } from '../launch/vscode/controlLaunched';
import { AckOutcome, waitForAcknowledgement } from '../trainer/acknowledgement';
import { appendControl, controlRecord } from '../trainer/control';
import { runLabel } from '../views/runItem';
import type { CommandDeps } from './deps';
import { refuseIfReadOnly, runFromArgOrPick } from './runArgs';
import { showWhileTrue } from './statusMessage';

const VERBS: Record<ControlCommand, { doing: string; done: string; title: string }> = {
  pause: { doing: 'Pausing', done: 'paused', title: 'Pause' },
  resume: { doing: 'Resuming', done: 'resumed', title: 'Resume' },
  checkpoint: { doing: 'Saving a checkpoint of', done: 'checkpoint saved', title: 'Checkpoint Now' },
  stop: { doing: 'Stopping', done: 'stopping (it saves a checkpoint, then exits)', title: 'Stop' },
};

/** Sends a command to a run's trainer; resolves with how it ended ('acknowledged', 'timeout', …). */
export async function controlRun(deps: CommandDeps, command: ControlCommand, arg: unknown): Promise<string> {
  const store = await deps.runs.whenReady();
  const run = await runFromArgOrPick(
    arg,
    store,
    VERBS[command].title,
    (r) => r.capabilities.control && isActiveState(r.state),
  );
  if (!run) return 'no-run';
  // A run a launch of ours writes: its process group or Slurm job (our trainer's checkpoint: the mailbox).
  if (launchedForeign(run) || (run.launch && command !== 'checkpoint')) return controlLaunched(run, command);
  if (refuseIfReadOnly(run, 'control')) return 'read-only';
  if (!isActiveState(run.state)) {
    void vscode.window.showWarningMessage(notRunningMessage(run));
    return 'not-running';
  }
  const outcome = await sendAndWait(deps, store, run, command);
  report(store, run, command, outcome);
  return outcome.kind;
}

async function sendAndWait(
  deps: CommandDeps,
  store: RunIndexStore,
  run: RunSummary,
  command: ControlCommand,
): Promise<AckOutcome> {
  const seconds = vscode.workspace.getConfiguration('grpoLens').get<number>('controlTimeoutSeconds', 30);
  const record = controlRecord(command);
  const waiting = waitForAcknowledgement(store, run.id, record.id, seconds * 1000, command === 'checkpoint');
  await appendControl(run.dir, record);
  deps.log.info(`sent ${command} (${record.id}) to ${run.dir}`);
  const title = `GRPO: ${VERBS[command].doing} ${runLabel(run)}…`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, () => waiting);
}

function report(store: RunIndexStore, run: RunSummary, command: ControlCommand, outcome: AckOutcome): void {
  const name = runLabel(run);
  if (outcome.kind === 'acknowledged') {
    const where =
      command === 'checkpoint' && typeof outcome.event.path === 'string' ? ` at ${outcome.event.path}` : '';
    const text = `GRPO run ${name}: ${VERBS[command].done}${where}`;
    // "stopping" is untrue once the run has stopped: the tree says so at once, and so must this.
    const over =
      command === 'stop' ? (state: string) => isFinalState(state as RunSummary['state']) : () => false;
    showWhileTrue(store, run.id, text, 5000, over, (t, ms) => vscode.window.setStatusBarMessage(t, ms));
    return;
  }
  if (outcome.kind === 'process-gone') {
    void vscode.window.showErrorMessage(
      `GRPO run ${name} did not acknowledge "${command}": its trainer process is no longer running (state: ${outcome.state}). Show its log to see why.`,
    );
    return;
  }
  const seconds = vscode.workspace.getConfiguration('grpoLens').get<number>('controlTimeoutSeconds', 30);
  void vscode.window.showWarningMessage(
    `GRPO run ${name} has not acknowledged "${command}" within ${seconds} s. The trainer reads commands between steps; ` +
      'a long step delays it. The command stays queued in control.jsonl.',
  );
}

function notRunningMessage(run: RunSummary): string {
  if (run.state === 'stale') {
    return `GRPO run ${runLabel(run)} has no live trainer process (pid ${run.pid ?? '?'} is gone). Resume it from a checkpoint instead.`;
  }
  return `GRPO run ${runLabel(run)} is ${run.state}; there is no trainer process to control.`;
}
