// A "slurm" launch profile from VS Code on a real one-node cluster (started as root by
// test/unit/launch/slurmCluster.ts, stopped after): the built-in trainer submitted with
// the shipped sbatch template; Pause suspends the job and the run shows paused, Resume,
// Stop cancels it with SIGINT first and the trainer saves and stops. Skipped, saying
// why, where no cluster can be started.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readLaunch, readStatus } from '../../src/launch/sidecar';
import { useCluster } from '../unit/launch/slurmCluster';
import { writeProfiles } from './launch/launchHost';
import { runsApi, waitFor, workspaceDir, writeLongConfig } from './runsHelpers';

describe('launch profiles: a Slurm job from VS Code', function () {
  this.timeout(240_000);
  useCluster();

  it('submits the built-in trainer; suspended shows paused; stop is scancel --signal=INT', async () => {
    const runs = await runsApi();
    writeLongConfig(workspaceDir(), 'slurm-long');
    writeProfiles(
      '{ "profiles": [ { "name": "on-slurm", "kind": "slurm", "config": "slurm-long.grpo.json", "partition": "debug" } ] }',
    );
    const sidecar = await vscode.commands.executeCommand<string>('grpoLens.startProfile', 'on-slurm');
    assert.match(readStatus(sidecar)?.jobId ?? '', /^\d+$/);
    const runDir = readLaunch(sidecar)!.watch[0];
    const running = () => {
      void runs.store()!.refresh();
      const run = runs.store()!.get(runDir);
      return run && run.step > 2 && run.state === 'running' ? run : undefined;
    };
    const run = await waitFor('the job running', running, 120_000);
    assert.strictEqual(run.launch?.kind, 'slurm');
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: runDir }),
      'paused',
    );
    await waitFor('paused in the store', () => runs.store()!.get(runDir)?.state === 'paused', 30_000);
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.resumeRun', { runId: runDir }),
      'resumed',
    );
    const resumedAt = runs.store()!.get(runDir)!.step;
    await waitFor(
      'steps after the resume',
      () => (runs.store()!.get(runDir)?.step ?? 0) > resumedAt + 2,
      60_000,
    );
    const stopped = await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir });
    assert.strictEqual(stopped, 'scancel --signal=INT');
    await waitFor('stopped in the store', () => runs.store()!.get(runDir)?.state === 'stopped', 30_000);
  });
  it('runs a profile with nproc_per_node 2 as two ranks in the job; Stop saves and stops both', async () => {
    const runs = await runsApi();
    writeLongConfig(workspaceDir(), 'slurm-ddp');
    writeProfiles(
      '{ "profiles": [ { "name": "on-slurm-2", "kind": "slurm", "config": "slurm-ddp.grpo.json", ' +
        '"partition": "debug", "nproc_per_node": 2 } ] }',
    );
    const sidecar = await vscode.commands.executeCommand<string>('grpoLens.startProfile', 'on-slurm-2');
    assert.strictEqual(readLaunch(sidecar)!.env.GRPO_LENS_NPROC_PER_NODE, '2');
    const runDir = readLaunch(sidecar)!.watch[0];
    await waitFor(
      'both ranks training',
      () => {
        void runs.store()!.refresh();
        const run = runs.store()!.get(runDir);
        return run && run.step > 2 && run.state === 'running' ? run : undefined;
      },
      120_000,
    );
    const runJson = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {
      distributed?: { world_size?: number };
    };
    assert.strictEqual(runJson.distributed?.world_size, 2);
    const stopped = await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir });
    assert.strictEqual(stopped, 'scancel --signal=INT');
    await waitFor('stopped in the store', () => runs.store()!.get(runDir)?.state === 'stopped', 30_000);
    assert.ok((runs.store()!.get(runDir)?.checkpoints.length ?? 0) > 0, 'a checkpoint saved on Stop');
  });
});
