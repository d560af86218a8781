// Starting a "command" profile from VS Code: the same launcher as `grpo-lens run`
// (src/launch/startCommand.ts), then the run it writes is looked for in its watched
// folders, and a start that goes wrong is said with the last lines of its log.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../../commands/deps';
import { forgetLaunchListings } from '../link';
import type { LaunchProfile } from '../profiles';
import { resolveCommandProfile } from '../resolve';
import { LOG_FILE } from '../sidecar';
import { commandLine, startCommand } from '../startCommand';
import { watchStart, type StartProblem } from '../startWatch';

/** The bundled CLI next to the extension's trainer/ folder: its `_supervise` supervises. */
export function supervisorFor(deps: CommandDeps) {
  return { node: process.execPath, cli: path.join(path.dirname(deps.trainerRoot), 'dist', 'cli.js') };
}

/** Starts the profile; resolves with its sidecar folder, or undefined if it could not start. */
export async function startCommandProfile(
  deps: CommandDeps,
  profile: LaunchProfile,
  folder: vscode.WorkspaceFolder,
): Promise<string | undefined> {
  const launch = resolveCommandProfile(profile, folder.uri.fsPath);
  // The run appears through its source: its watched folders are looked in from now on.
  for (const watched of launch.watch) await deps.places.addOpenedFolder(path.dirname(watched));
  let sidecar: string;
  try {
    sidecar = await startCommand(launch, supervisorFor(deps));
  } catch (err) {
    void vscode.window.showErrorMessage(
      `GRPO Lens could not start "${profile.name}": ${(err as Error).message}`,
    );
    return undefined;
  }
  deps.log.info(`started "${profile.name}": ${commandLine(launch.command)} (sidecar ${sidecar})`);
  forgetLaunchListings();
  void (await deps.runs.whenReady()).refresh();
  void followStart(deps, profile, sidecar);
  return sidecar;
}

async function followStart(deps: CommandDeps, profile: LaunchProfile, sidecar: string): Promise<void> {
  const seconds = vscode.workspace
    .getConfiguration('grpoLens')
    .get<number>('launchOutputTimeoutSeconds', 120);
  const problem = await watchStart(sidecar, { outputTimeoutMs: seconds * 1000 });
  if (problem) return reportStartProblem(deps, profile, sidecar, problem);
  const store = await deps.runs.whenReady();
  await store.refresh();
}

async function reportStartProblem(
  deps: CommandDeps,
  profile: LaunchProfile,
  sidecar: string,
  problem: StartProblem,
): Promise<void> {
  deps.log.warn(`launch "${profile.name}": ${problem.message}\n${problem.logTail.join('\n')}`);
  const tail =
    problem.logTail.length > 0 ? ` Last lines of its log: ${problem.logTail.slice(-5).join(' ⏎ ')}` : '';
  const choice = await vscode.window.showErrorMessage(
    `GRPO run "${profile.name}": ${problem.message}.${tail}`,
    'Open Log',
  );
  if (choice)
    await vscode.window.showTextDocument(vscode.Uri.file(path.join(sidecar, LOG_FILE)), { preview: false });
}
