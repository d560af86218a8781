// A Slurm launch on a real one-node cluster (slurmCluster.ts): submitted with sbatch,
// followed by job id, suspended (its processes stop), resumed, cancelled with SIGINT
// first. Skipped, saying why, where no cluster can be started.
import * as assert from 'assert';
import * as path from 'path';
import { cancelLaunch, resumeSlurmLaunch, suspendLaunch } from '../../../src/launch/slurmControl';
import { launchView } from '../../../src/launch/launchState';
import { readStatus } from '../../../src/launch/sidecar';
import { submitSlurm } from '../../../src/launch/slurm';
import { processInfo } from '../../../src/launch/processGroup';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { checkpointsIn, STANDIN, until } from './launchHelpers';
import { longTinyConfig, useCluster } from './slurmCluster';
import { ROOT } from '../cli/harness';
import { grpoLensSource } from '../../../src/runs/sources/grpoLens/source';
import * as fs from 'fs';

describe('Slurm launch (a real one-node cluster)', function () {
  this.timeout(180_000);
  let root: string;
  useCluster();
  beforeEach(() => (root = makeTempDir('grpo-lens-slurm-')));
  afterEach(() => removeDir(root));

  it('submits, suspends (processes stopped), resumes, cancels with SIGINT first', async () => {
    const out = path.join(root, 'outputs', 'trl');
    const script = path.join(root, 'standin.sbatch');
    fs.writeFileSync(script, `#!/bin/bash\nexec python3 ${STANDIN} --output-dir ${out} --step-seconds 0.2\n`);
    const sidecar = submitSlurm({
      name: 'standin',
      script,
      options: ['--partition=debug'],
      cwd: root,
      env: { PATH: process.env.PATH ?? '' },
      watch: [out],
      runsDir: path.join(root, 'outputs'),
    });
    const jobId = readStatus(sidecar)!.jobId!;
    assert.match(jobId, /^\d+$/);
    await until('running', () => launchView(sidecar)?.state === 'running', 60_000);
    await until('a checkpoint', () => checkpointsIn(out) > 0, 60_000);
    suspendLaunch(sidecar);
    await until('suspended', () => launchView(sidecar)?.state === 'suspended');
    const log = fs.readFileSync(path.join(sidecar, 'train.log'), 'utf8');
    const pid = Number(/standin: pid (\d+)/.exec(log)?.[1]);
    await until('the trainer stopped (T)', () => processInfo(pid)?.state === 'T');
    const before = checkpointsIn(out);
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.strictEqual(checkpointsIn(out), before, 'a suspended job writes nothing');
    resumeSlurmLaunch(sidecar);
    await until('more steps', () => checkpointsIn(out) > before);
    const by = await cancelLaunch(sidecar, { sigintSeconds: 20, sigtermSeconds: 5 });
    assert.strictEqual(by, 'scancel --signal=INT');
    assert.match(fs.readFileSync(path.join(sidecar, 'train.log'), 'utf8'), /interrupted, saved at step/);
    assert.strictEqual(launchView(sidecar)?.state, 'stopped');
  });
});

describe('Slurm launch of the built-in trainer (the sbatch template we ship)', function () {
  this.timeout(240_000);
  let root: string;
  useCluster();
  beforeEach(() => (root = makeTempDir('grpo-lens-slurm-builtin-')));
  afterEach(() => removeDir(root));

  it('runs the trainer as a job: shown paused while suspended, stopped after scancel --signal=INT', async () => {
    const runs = path.join(root, 'runs');
    const runDir = path.join(runs, 'tiny');
    const sidecar = submitSlurm({
      name: 'tiny',
      script: path.join(ROOT, 'templates', 'slurm', 'grpo-lens.sbatch'),
      options: ['--partition=debug'],
      cwd: root,
      env: {
        GRPO_LENS_PYTHON: '/usr/bin/python3',
        GRPO_LENS_TRAINER_ROOT: path.join(ROOT, 'trainer'),
        GRPO_LENS_CONFIG: longTinyConfig(root),
        GRPO_LENS_RUN_DIR: runDir,
      },
      watch: [runDir],
      runsDir: runs,
    });
    const [found] = await until(
      'the run',
      () =>
        fs.existsSync(path.join(runDir, 'run.json')) && [
          { id: runDir, dir: runDir, source: 'grpo-lens' as const, name: 'tiny', watch: [runDir] },
        ],
      90_000,
    );
    const reader = grpoLensSource.open(found);
    try {
      await until(
        'steps',
        () => {
          void reader.update([]);
          return reader.summary.step > 2 && reader.summary.state === 'running';
        },
        90_000,
      );
      assert.strictEqual(reader.summary.launch?.kind, 'slurm');
      suspendLaunch(sidecar);
      await until('paused in the tree', () => reader.summary.state === 'paused');
      resumeSlurmLaunch(sidecar);
      await until('running again', () => reader.summary.state === 'running');
      const resumedAt = reader.summary.step;
      await until('steps after the resume', () => {
        void reader.update([]);
        return reader.summary.step > resumedAt + 2;
      });
      const by = await cancelLaunch(sidecar, { sigintSeconds: 60, sigtermSeconds: 5 });
      const log = fs.readFileSync(path.join(sidecar, 'train.log'), 'utf8');
      assert.strictEqual(by, 'scancel --signal=INT', log.slice(-600));
      await reader.update([]);
      assert.strictEqual(reader.summary.state, 'stopped', 'the trainer saved and stopped on SIGINT');
      assert.ok(reader.summary.checkpoints.length > 0);
    } finally {
      reader.dispose();
    }
  });
});
