// A "slurm" profile's processes: what the sbatch template is given for the built-in
// trainer (GRPO_LENS_NPROC_PER_NODE from nproc_per_node, else gpus_per_node, else 1), and
// why Resume from Checkpoint does not restart a multi-process Slurm run outside Slurm.
import * as assert from 'assert';
import * as path from 'path';
import { checkProfilesText, loadSchema } from '../../../src/launch/profiles';
import { resumeLauncher } from '../../../src/launch/resolve';
import { builtinSlurmEnv, sbatchOptions, slurmProcsPerNode } from '../../../src/launch/slurm';
import { ROOT } from '../cli/harness';

const schema = loadSchema(path.join(ROOT, 'schemas', 'launch-profiles.schema.json'));

describe('a slurm profile: processes per node', () => {
  it('accepts nproc_per_node in a slurm profile and refuses 0', () => {
    const ok = checkProfilesText(
      '{ "profiles": [ { "name": "c", "kind": "slurm", "config": "t.grpo.json", "nproc_per_node": 2 } ] }',
      schema,
    );
    assert.deepStrictEqual(ok.problems, []);
    assert.strictEqual(ok.profiles[0].nproc_per_node, 2);
    const zero = checkProfilesText(
      '{ "profiles": [ { "name": "c", "kind": "slurm", "config": "t.grpo.json", "nproc_per_node": 0 } ] }',
      schema,
    );
    assert.match(zero.problems.map((p) => p.message).join('\n'), /nproc_per_node/);
  });

  it('takes nproc_per_node, else one process per GPU asked, else 1', () => {
    assert.strictEqual(slurmProcsPerNode({ nproc_per_node: 3, gpus_per_node: 8 }), 3);
    assert.strictEqual(slurmProcsPerNode({ gpus_per_node: 4 }), 4);
    assert.strictEqual(slurmProcsPerNode({ gpus_per_node: 0 }), 1);
    assert.strictEqual(slurmProcsPerNode({}), 1);
  });

  it('gives the template the trainer, config, run directory and processes per node', () => {
    const env = builtinSlurmEnv({
      python: '/opt/conda/bin/python',
      trainerRoot: '/ext/trainer',
      config: '/ws/qwen.grpo.json',
      runDir: '/ws/runs/qwen-20260101-120000',
      procsPerNode: slurmProcsPerNode({ gpus_per_node: 4 }),
    });
    assert.deepStrictEqual(env, {
      GRPO_LENS_PYTHON: '/opt/conda/bin/python',
      GRPO_LENS_TRAINER_ROOT: '/ext/trainer',
      GRPO_LENS_CONFIG: '/ws/qwen.grpo.json',
      GRPO_LENS_RUN_DIR: '/ws/runs/qwen-20260101-120000',
      GRPO_LENS_NPROC_PER_NODE: '4',
    });
    assert.deepStrictEqual(sbatchOptions({ partition: 'gpu', nodes: 2, gpus_per_node: 4 }), [
      '--partition=gpu',
      '--nodes=2',
      '--gpus-per-node=4',
    ]);
  });
});

describe('resuming a run a Slurm job trained', () => {
  const twoRanks = { distributed: { world_size: 2, backend: 'gloo', nproc_per_node: 2, nnodes: 1 } };

  it('refuses to resume a multi-process Slurm run here, and says how to resubmit it', () => {
    const launcher = resumeLauncher('tiny', twoRanks, 'slurm');
    assert.ok('refusal' in launcher);
    assert.match(launcher.refusal, /Slurm job \(2 processes per node on 1 node\)/);
    assert.match(launcher.refusal, /GRPO_LENS_RESUME=CHECKPOINT/);
  });

  it('resumes a one-process Slurm run, and a run started here, as before', () => {
    assert.deepStrictEqual(resumeLauncher('tiny', { distributed: undefined }, 'slurm'), { args: [] });
    const local = resumeLauncher('tiny', twoRanks, 'builtin');
    assert.ok('args' in local && local.args.includes('--nproc_per_node'));
  });
});
