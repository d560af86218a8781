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

/** What goes in front of `-m grpo_lens` for a built-in profile, or why it cannot start. */
export type BuiltinLauncher = { args: string[] } | { refusal: string };

/**
 * The built-in trainer on one process runs as `python3 -m grpo_lens` (no launcher); on
 * several (nproc_per_node or nnodes above 1) under torchrun, which starts one process per
 * rank and the trainer trains data-parallel (trainer/grpo_lens/distributed.py). torchrun
 * runs as `python3 -m grpo_lens.torchrun`: torchrun itself, with the fix torch < 2.0 needs
 * on Python >= 3.11, in the interpreter that has torch. One node: a standalone rendezvous
 * on a free local port; several: the profile's rendezvous (c10d unless it says otherwise),
 * with the same profile started on every node.
 */
export function builtinLauncher(profile: LaunchProfile): BuiltinLauncher {
  const procs = profile.nproc_per_node ?? 1;
  const nodes = profile.nnodes ?? 1;
  if (procs <= 1 && nodes <= 1) return { args: [] };
  const torchrun = ['-m', 'grpo_lens.torchrun', '--nproc_per_node', String(procs)];
  if (nodes <= 1) return { args: [...torchrun, '--standalone', '--nnodes', '1'] };
  if (!profile.rdzv_endpoint)
    return {
      refusal:
        `profile "${profile.name}" runs on ${nodes} nodes: set "rdzv_endpoint" (host:port of the first ` +
        'node, reachable from every node) so that their processes can find each other.',
    };
  const rendezvous = [
    '--nnodes',
    String(nodes),
    '--rdzv_backend',
    profile.rdzv_backend ?? 'c10d',
    '--rdzv_endpoint',
    profile.rdzv_endpoint,
    '--rdzv_id',
    profile.rdzv_id ?? profile.name,
  ];
  const rank = profile.node_rank === undefined ? [] : ['--node_rank', String(profile.node_rank)];
  return { args: [...torchrun, ...rendezvous, ...rank] };
}

/**
 * The launcher that resumes a run at the world size it was trained with (run.json's
 * "distributed", written by the trainer under torchrun): none for a one-process run.
 * launchKind: the kind of launch that wrote the run, when known (RunSummary.launch.kind).
 */
export function resumeLauncher(
  name: string,
  runJson: Record<string, unknown> | undefined,
  launchKind?: string,
): BuiltinLauncher {
  const dist = runJson?.distributed as { nproc_per_node?: unknown; nnodes?: unknown } | undefined;
  const procs = typeof dist?.nproc_per_node === 'number' ? dist.nproc_per_node : 1;
  const nodes = typeof dist?.nnodes === 'number' ? dist.nnodes : 1;
  if (launchKind === 'slurm' && procs * nodes > 1) return { refusal: slurmResumeRefusal(name, procs, nodes) };
  if (nodes > 1)
    return {
      refusal:
        `run ${name} was trained on ${nodes} nodes: resume it on every node with its launch profile ` +
        '(python3 -m grpo_lens.torchrun … -m grpo_lens --resume CHECKPOINT), as docs/launching.md shows.',
    };
  return builtinLauncher({ name, kind: 'builtin', nproc_per_node: procs });
}

/**
 * A run trained as a Slurm job on several processes is not resumed here, outside Slurm,
 * on one machine: it is resubmitted with its checkpoint (the template reads GRPO_LENS_RESUME).
 */
function slurmResumeRefusal(name: string, procs: number, nodes: number): string {
  return (
    `run ${name} was trained as a Slurm job (${procs} process${procs > 1 ? 'es' : ''} per node on ` +
    `${nodes} node${nodes > 1 ? 's' : ''}): resuming it here would run it outside Slurm. Submit ` +
    'templates/slurm/grpo-lens.sbatch again with the same sbatch options and GRPO_LENS_RESUME=CHECKPOINT, ' +
    'as docs/launching.md (Slurm) shows.'
  );
}
