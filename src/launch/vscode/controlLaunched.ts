// Pause, Resume, Stop and Force Stop of a run one of our launches writes (a command:
// its process group; see groupControl.ts). Checkpoint Now needs a trainer that reads
// our control mailbox: a foreign trainer does not, and is told so rather than written to.
import * as vscode from 'vscode';
import type { ControlCommand, RunSummary } from '../../runs/model';
import { runLabel } from '../../views/runItem';
import { killAny, pauseAny, resumeAny, stopAny } from '../controls';
import { ControlRefused, type StopTimeouts } from '../groupControl';
import { forgetLaunchListings } from '../link';

export function stopTimeouts(): StopTimeouts {
  const settings = vscode.workspace.getConfiguration('grpoLens');
  return {
    sigintSeconds: settings.get<number>('stopSigintSeconds', 60),
    sigtermSeconds: settings.get<number>('stopSigtermSeconds', 15),
  };
}

/** Controls a launched run; resolves with how it ended ('paused', 'SIGINT', 'refused'…). */
export async function controlLaunched(run: RunSummary, command: ControlCommand | 'kill'): Promise<string> {
  const sidecar = run.launch!.sidecar;
  const name = runLabel(run);
  try {
    if (command === 'checkpoint') {
      void vscode.window.showInformationMessage(
        `GRPO run ${name} is a ${run.sourceLabel} run started by a command: its trainer does not read ` +
          "GRPO Lens's control mailbox, so it cannot be asked for a checkpoint. Stop sends SIGINT, on which " +
          'most trainers save before they exit.',
      );
      return 'refused';
    }
    if (command === 'pause' || command === 'resume') {
      (command === 'pause' ? pauseAny : resumeAny)(sidecar);
      vscode.window.setStatusBarMessage(
        `GRPO run ${name}: ${command === 'pause' ? 'paused' : 'resumed'}`,
        5000,
      );
      return command === 'pause' ? 'paused' : 'resumed';
    }
    const by = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `GRPO: Stopping ${name}…` },
      (progress) =>
        command === 'kill'
          ? killAny(sidecar, stopTimeouts())
          : stopAny(sidecar, stopTimeouts(), (signal) => progress.report({ message: `sent ${signal}` })),
    );
    void vscode.window.showInformationMessage(`GRPO run ${name} stopped by ${by}.`);
    return by;
  } catch (err) {
    if (!(err instanceof ControlRefused)) throw err;
    void vscode.window.showWarningMessage(`GRPO run ${name}: ${err.message}.`);
    return 'refused';
  } finally {
    forgetLaunchListings();
  }
}
