// A queued launch profile starts through GRPO: Start Run's profile path (startProfile in
// src/launch/vscode/): a command or a Slurm job gets its sidecar, whose watched folder is
// where its run is written and whose status says when it ended; a built-in profile trains
// our trainer through the queue's own config path.
import type * as vscode from 'vscode';
import type { CommandDeps } from '../commands/deps';
import { endedHow, launchView } from '../launch/launchState';
import type { LaunchProfile } from '../launch/profiles';
import { readLaunch } from '../launch/sidecar';
import { readProfiles, startProfile } from '../launch/vscode/startProfile';
import type { ProfileTarget, RunObservation } from './state';

/** Starts our trainer on a built-in profile's config; resolves with its run directory, or why not. */
export type StartBuiltin = (
  deps: CommandDeps,
  configUri: vscode.Uri,
) => Promise<{ runDir?: string; why?: string }>;

export async function startProfileEntry(
  deps: CommandDeps,
  target: ProfileTarget,
  startBuiltin: StartBuiltin,
): Promise<{ runDir: string; sidecar?: string } | { why: string }> {
  const { profiles } = await readProfiles();
  const found = profiles.find(
    (p) => p.profile.name === target.profileName && p.folder.uri.fsPath === target.folder,
  );
  if (!found) return { why: `no launch profile is named "${target.profileName}" any more` };
  let builtinWhy: string | undefined;
  const started = await startProfile(deps, found, async (d, uri) => {
    const outcome = await startBuiltin(d, uri);
    builtinWhy = outcome.why;
    return outcome.runDir;
  });
  if (!started)
    return {
      why: builtinWhy ?? `the launch profile "${target.profileName}" could not start (see the message)`,
    };
  if (found.profile.kind === 'builtin') return { runDir: started };
  // The run is written in the launch's first watched folder; without one, the sidecar stands for it.
  return { runDir: readLaunch(started)?.watch[0] ?? started, sidecar: started };
}

/** How a command's or a Slurm job's launch reads for the queue, from its sidecar. */
export function observeProfileRun(sidecar: string): RunObservation {
  const view = launchView(sidecar);
  if (!view) return { kind: 'absent' };
  switch (view.state) {
    case 'finished':
    case 'stopped':
      return { kind: 'ended', how: view.state };
    case 'failed':
      return { kind: 'failed', error: endedHow(view.status) };
    case 'lost':
      return {
        kind: 'failed',
        error: 'the launched process is gone without a final state (see its train.log)',
      };
    default:
      return { kind: 'active' };
  }
}

/** The profile's kind in the user's words, for the Queue Runs… pick and the Queue view. */
export function profileKindLabel(profile: LaunchProfile): string {
  if (profile.kind === 'slurm') return 'Slurm job';
  if (profile.kind === 'builtin')
    return (profile.nproc_per_node ?? 1) > 1 || (profile.nnodes ?? 1) > 1 ? 'torchrun' : 'our trainer';
  const command = Array.isArray(profile.command) ? profile.command.join(' ') : (profile.command ?? '');
  return `command: ${command.length > 40 ? `${command.slice(0, 39)}…` : command}`;
}
