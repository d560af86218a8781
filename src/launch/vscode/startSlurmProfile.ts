// Starting a "slurm" profile: the built-in trainer in the sbatch template we ship (or
// the user's own script), submitted with the profile's options; the run directory and
// the sidecar are on the file system the cluster shares, so the run appears through
// its source and its job is followed by id.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { CommandDeps } from '../../commands/deps';
import { runsFolderFor } from '../../runs/roots';
import { pythonWithTorch } from '../../trainer/pythonCheck';
import { newRunDir } from '../../trainer/runDirName';
import { forgetLaunchListings } from '../link';
import type { LaunchProfile } from '../profiles';
import { profileEnv } from '../commandEnv';
import { builtinSlurmEnv, sbatchOptions, slurmProcsPerNode, submitSlurm } from '../slurm';

export function slurmTemplate(deps: CommandDeps): string {
  return path.join(path.dirname(deps.trainerRoot), 'templates', 'slurm', 'grpo-lens.sbatch');
}

export async function startSlurmProfile(
  deps: CommandDeps,
  profile: LaunchProfile,
  folder: vscode.WorkspaceFolder,
): Promise<string | undefined> {
  const ws = folder.uri.fsPath;
  const cwd = path.resolve(ws, profile.cwd ?? '.');
  const config = profile.config ? vscode.Uri.file(path.resolve(ws, profile.config)) : undefined;
  const runsDir = profile.runsDir
    ? path.resolve(cwd, profile.runsDir)
    : config
      ? runsFolderFor(config)
      : path.join(ws, 'runs');
  const env = profileEnv({ env: profile.env, venv: profile.venv && path.resolve(ws, profile.venv) });
  const watch = (profile.watch ?? []).map((w) => path.resolve(cwd, w));
  if (config) {
    if (!fs.existsSync(config.fsPath)) {
      void vscode.window.showErrorMessage(
        `GRPO Lens did not submit "${profile.name}": ${config.fsPath} does not exist.`,
      );
      return undefined;
    }
    const python = await pythonWithTorch(config);
    if (!python) return undefined;
    const runDir = newRunDir(runsDir, config.fsPath, new Date(), fs.existsSync);
    Object.assign(
      env,
      builtinSlurmEnv({
        python,
        trainerRoot: deps.trainerRoot,
        config: config.fsPath,
        runDir,
        procsPerNode: slurmProcsPerNode(profile),
      }),
    );
    watch.unshift(runDir);
  }
  const script = profile.script ? path.resolve(ws, profile.script) : slurmTemplate(deps);
  try {
    const sidecar = submitSlurm({
      name: profile.name,
      script,
      options: sbatchOptions(profile),
      cwd,
      env,
      watch,
      runsDir,
      profile,
    });
    deps.log.info(`submitted "${profile.name}" to Slurm (sidecar ${sidecar})`);
    for (const w of watch) await deps.places.addOpenedFolder(path.dirname(w));
    forgetLaunchListings();
    void (await deps.runs.whenReady()).refresh();
    return sidecar;
  } catch (err) {
    void vscode.window.showErrorMessage(
      `GRPO Lens could not submit "${profile.name}": ${(err as Error).message}`,
    );
    return undefined;
  }
}
