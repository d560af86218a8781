// The built-in trainer on two processes in a Slurm job, through the sbatch template we
// ship, on the real one-node cluster (slurmCluster.ts): one srun task running torchrun,
// two ranks (gloo on the CPU) training one run; suspended shows paused; Stop (scancel
// --full --signal=INT, the extension's path) ends both ranks at one step with a
// checkpoint; the template resubmitted with GRPO_LENS_RESUME continues at world size 2.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readStatus } from '../../../src/launch/sidecar';
import { builtinSlurmEnv, submitSlurm } from '../../../src/launch/slurm';
import { cancelLaunch, resumeSlurmLaunch, suspendLaunch } from '../../../src/launch/slurmControl';
import { grpoLensSource } from '../../../src/runs/sources/grpoLens/source';
import type { RunSource } from '../../../src/runs/sources/source';
import { ROOT } from '../cli/harness';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { until } from './launchHelpers';
import { longTinyConfig, useCluster } from './slurmCluster';

type Reader = ReturnType<RunSource['open']>;
const TEMPLATE = path.join(ROOT, 'templates', 'slurm', 'grpo-lens.sbatch');

describe('Slurm launch of the built-in trainer on 2 processes (torchrun in the job)', function () {
  this.timeout(300_000);
  let root: string;
  useCluster();
  beforeEach(() => (root = makeTempDir('grpo-lens-slurm-ddp-')));
  afterEach(() => removeDir(root));

  function submit(runDir: string, extra: Record<string, string> = {}): string {
    const env = builtinSlurmEnv({
      python: '/usr/bin/python3',
      trainerRoot: path.join(ROOT, 'trainer'),
      config: longTinyConfig(root),
      runDir,
      procsPerNode: 2,
    });
    return submitSlurm({
      name: 'tiny-ddp',
      script: TEMPLATE,
      options: ['--partition=debug'],
      cwd: root,
      env: { ...env, ...extra },
      watch: [runDir],
      runsDir: path.dirname(runDir),
    });
  }

  async function stepsPast(reader: Reader, step: number): Promise<void> {
    await until(
      `steps past ${step}`,
      () => {
        void reader.update([]);
        return reader.summary.step > step && reader.summary.state === 'running';
      },
      120_000,
    );
  }

  /** Stop as the extension does; both ranks end at one step, which has a checkpoint. */
  async function stopBothRanks(sidecar: string, reader: Reader): Promise<number> {
    const by = await cancelLaunch(sidecar, { sigintSeconds: 60, sigtermSeconds: 5 });
    const log = fs.readFileSync(path.join(sidecar, 'train.log'), 'utf8');
    assert.strictEqual(by, 'scancel --signal=INT', log.slice(-1500));
    const ranks = [...log.matchAll(/stopped at step (\d+) \(rank (\d) of 2\)/g)];
    assert.deepStrictEqual(ranks.map((m) => m[2]).sort(), ['0', '1'], log.slice(-1500));
    assert.strictEqual(ranks[0][1], ranks[1][1], 'both ranks stop at one step');
    await reader.update([]);
    assert.strictEqual(reader.summary.state, 'stopped');
    const step = Number(ranks[0][1]);
    assert.ok(
      reader.summary.checkpoints.some((c) => c.step === step),
      `a checkpoint at step ${step}`,
    );
    return step;
  }

  it('trains on both ranks; paused while suspended; stopped with a checkpoint; resumed at world size 2', async () => {
    const runDir = path.join(root, 'runs', 'tiny-ddp');
    const sidecar = submit(runDir);
    const jobId = readStatus(sidecar)!.jobId!;
    const runJson = await until(
      'run.json with the world size',
      () => readJson(path.join(runDir, 'run.json'))?.distributed as object | undefined,
      120_000,
    );
    assert.deepStrictEqual(runJson, { world_size: 2, backend: 'gloo', nproc_per_node: 2, nnodes: 1 });
    const log = fs.readFileSync(path.join(sidecar, 'train.log'), 'utf8');
    assert.match(
      log,
      new RegExp(
        'srun --ntasks-per-node=1 --nodes=1 /usr/bin/python3 -m grpo_lens.torchrun --nproc_per_node 2 ' +
          `--nnodes 1 --rdzv_backend c10d --rdzv_endpoint \\S+:\\d+ --rdzv_id ${jobId} -m grpo_lens --config`,
      ),
    );
    const reader = grpoLensSource.open({
      id: runDir,
      dir: runDir,
      source: 'grpo-lens',
      name: 'tiny-ddp',
      watch: [runDir],
    });
    try {
      await stepsPast(reader, 2);
      assert.strictEqual(reader.summary.launch?.kind, 'slurm');
      suspendLaunch(sidecar);
      await until('paused in the tree', () => reader.summary.state === 'paused');
      resumeSlurmLaunch(sidecar);
      await stepsPast(reader, reader.summary.step + 2);
      const stoppedAt = await stopBothRanks(sidecar, reader);
      const acks = fs.readFileSync(path.join(runDir, 'events.jsonl'), 'utf8');
      assert.match(acks, new RegExp(`"id":"slurm-${jobId}-INT-\\d+","command":"stop"`));

      const checkpoint = path.join(runDir, 'checkpoints', `step-${String(stoppedAt).padStart(6, '0')}`);
      const again = submit(runDir, { GRPO_LENS_RESUME: checkpoint });
      await stepsPast(reader, stoppedAt + 2);
      assert.match(fs.readFileSync(path.join(again, 'train.log'), 'utf8'), /--resume \S+step-0*\d+/);
      assert.strictEqual(readJson(path.join(runDir, 'run.json'))?.distributed?.world_size, 2);
      assert.ok((await stopBothRanks(again, reader)) > stoppedAt);
    } finally {
      reader.dispose();
    }
  });
});

function readJson(file: string): { distributed?: { world_size?: number } } | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as { distributed?: { world_size?: number } };
  } catch {
    return undefined;
  }
}
