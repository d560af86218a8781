// "GRPO: Start Run" offers the workspace's launch profiles next to its *.grpo.json
// configs; this starts the one picked, by its kind.
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../../commands/deps';
import { refuseIfUntrusted } from '../../trainer/trust';
import { builtinLauncher } from '../resolve';
import { ProfileChecker, type ProfilesRead, type WorkspaceProfile } from './profileFile';
import { startCommandProfile } from './startCommandProfile';
import { startSlurmProfile } from './startSlurmProfile';

/** Starts a config; launcher: what goes before `-m grpo_lens` (torchrun for several processes). */
export type StartConfig = (
  deps: CommandDeps,
  configUri: vscode.Uri,
  launcher?: string[],
) => Promise<string | undefined>;

let checker: ProfileChecker | undefined;

/** The profile checker (one per extension host), its diagnostics kept current while edited. */
export function registerProfiles(deps: CommandDeps): vscode.Disposable[] {
  checker = new ProfileChecker(
    path.join(path.dirname(deps.trainerRoot), 'schemas', 'launch-profiles.schema.json'),
  );
  return [checker, ...checker.watch()];
}

/** The profiles to offer; a file with problems is said once, with a way to its diagnostics. */
export async function readProfiles(): Promise<ProfilesRead> {
  const read = checker?.read() ?? { profiles: [], broken: [] };
  for (const broken of read.broken) {
    const name = vscode.workspace.asRelativePath(broken.uri);
    void vscode.window
      .showErrorMessage(
        `GRPO Lens: ${name} has ${broken.count} problem${broken.count === 1 ? '' : 's'} (first: ${broken.first}); ` +
          'its launch profiles are not offered until they are fixed.',
        'Show Problems',
      )
      .then((choice) => choice && vscode.window.showTextDocument(broken.uri));
  }
  return read;
}

export async function startProfile(
  deps: CommandDeps,
  { profile, folder }: WorkspaceProfile,
  startConfig: StartConfig,
): Promise<string | undefined> {
  if (refuseIfUntrusted(`start the launch profile "${profile.name}"`)) return undefined;
  deps.log.info(`starting profile "${profile.name}" (${profile.kind})`);
  if (profile.kind === 'command') return startCommandProfile(deps, profile, folder);
  if (profile.kind === 'slurm') return startSlurmProfile(deps, profile, folder);
  const launcher = builtinLauncher(profile);
  if ('refusal' in launcher) {
    void vscode.window.showErrorMessage(`GRPO Lens did not start a run: ${launcher.refusal}`);
    return undefined;
  }
  const config = vscode.Uri.file(path.resolve(folder.uri.fsPath, profile.config ?? ''));
  return startConfig(deps, config, launcher.args.length > 0 ? launcher.args : undefined);
}

/** `grpoLens.startProfile` with a profile's name (tests, keybindings, tasks). */
export async function startProfileNamed(
  deps: CommandDeps,
  name: unknown,
  startConfig: StartConfig,
): Promise<string | undefined> {
  const { profiles } = await readProfiles();
  const found = profiles.find((p) => p.profile.name === name);
  if (!found) {
    void vscode.window.showErrorMessage(`GRPO Lens: no launch profile is named "${String(name)}".`);
    return 'no-profile';
  }
  return startProfile(deps, found, startConfig);
}
