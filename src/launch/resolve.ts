// A profile made concrete: paths resolved against the workspace folder and cwd, the
// environment it adds, where its sidecar goes. Pure apart from path arithmetic.
import * as path from 'path';
import { profileEnv } from './commandEnv';
import type { LaunchProfile } from './profiles';
import type { CommandLaunch } from './startCommand';

/**
 * The sidecar goes in the runs dir: the profile's runsDir, else the parent of the first
 * watched folder (next to the run's output, not inside it: a foreign trainer owns its
 * output_dir and may clean it), else <workspace>/runs.
 */
export function sidecarRunsDir(
  cwd: string,
  watch: string[],
  runsDir: string | undefined,
  workspace: string,
): string {
  if (runsDir) return path.resolve(cwd, runsDir);
  if (watch.length > 0) return path.dirname(path.resolve(cwd, watch[0]));
  return path.join(workspace, 'runs');
}

export function resolveCommandProfile(profile: LaunchProfile, workspace: string): CommandLaunch {
  if (!profile.command) throw new Error(`profile "${profile.name}" has no command`);
  const cwd = path.resolve(workspace, profile.cwd ?? '.');
  const watch = (profile.watch ?? []).map((w) => path.resolve(cwd, w));
  return {
    name: profile.name,
    command: profile.command,
    cwd,
    env: profileEnv({
      env: profile.env,
      venv: profile.venv ? path.resolve(workspace, profile.venv) : undefined,
      interpreter: profile.interpreter ? path.resolve(workspace, profile.interpreter) : profile.interpreter,
    }),
    watch,
    runsDir: sidecarRunsDir(cwd, watch, profile.runsDir, workspace),
    profile,
  };
}

/**
 * The built-in trainer runs as one process today (trainer/ does not use
 * torch.distributed), so torchrun with several processes would train N copies that
 * write the same run: refused, with the reason, rather than pretended.
 */
export function builtinRefusal(profile: LaunchProfile): string | undefined {
  const procs = profile.nproc_per_node ?? 1;
  const nodes = profile.nnodes ?? 1;
  if (procs <= 1 && nodes <= 1) return undefined;
  return (
    `profile "${profile.name}" asks for ${procs} process(es) per node on ${nodes} node(s), but the built-in ` +
    'trainer is not distributed yet (it trains in one process). Set nproc_per_node and nnodes to 1, ' +
    'or use a "command" profile for a distributed trainer (accelerate launch, torchrun).'
  );
}
