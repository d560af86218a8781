// A "command" launch profile started from VS Code: the stand-in TRL trainer appears
// through the TRL source with controls; Pause stops every process of its group, Resume
// continues it, Stop ends it by SIGINT; a profile that fails the schema gets
// diagnostics and starts nothing.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { readStatus } from '../../src/launch/sidecar';
import { groupStates, outputDir, standinPath, standinProfile, writeProfiles } from './launch/launchHost';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

/** The tiny test config of the shipped trainer, with changes (comments and $schema dropped). */
function tinyConfig(changes: Record<string, unknown>): string {
  const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!.extensionPath;
  const text = fs.readFileSync(path.join(ext, 'trainer/configs/tiny-test.grpo.json'), 'utf8');
  const config = JSON.parse(text.replace(/^\s*\/\/.*$/gm, '')) as Record<string, unknown>;
  delete config.$schema;
  return JSON.stringify({ ...config, warm_start: { steps: 0 }, ...changes });
}

describe('launch profiles: a command from VS Code', function () {
  this.timeout(120_000);

  it('starts the profile; the TRL run it writes appears with pause, resume and stop', async () => {
    const runs = await runsApi();
    writeProfiles(`{ "profiles": [ ${standinProfile('standin')} ] }`);
    const sidecar = await vscode.commands.executeCommand<string>('grpoLens.startProfile', 'standin');
    assert.ok(sidecar && fs.existsSync(path.join(sidecar, 'status.json')), `sidecar: ${sidecar}`);
    assert.strictEqual(
      path.dirname(path.dirname(path.dirname(sidecar))),
      path.join(workspaceDir(), 'outputs'),
    );
    const out = outputDir('standin');
    const run = await waitFor('the TRL run', () => {
      void runs.store()!.refresh();
      const found = runs.store()!.get(out);
      return found?.capabilities.control && found.state === 'running' ? found : undefined;
    });
    assert.strictEqual(run.source, 'trl');
    assert.strictEqual(run.launch?.sidecar, sidecar);

    assert.strictEqual(await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: out }), 'paused');
    await waitFor(
      'every process stopped',
      () => groupStates(sidecar).length >= 3 && groupStates(sidecar).every((s) => s === 'T'),
    );
    await waitFor('paused in the store', () => runs.store()!.get(out)?.state === 'paused', 20_000);
    assert.strictEqual(await vscode.commands.executeCommand('grpoLens.resumeRun', { runId: out }), 'resumed');
    await waitFor('running again', () => groupStates(sidecar).every((s) => s !== 'T'));
    await waitFor('running in the store', () => runs.store()!.get(out)?.state === 'running', 20_000);
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.checkpointNow', { runId: out }),
      'refused',
    );

    assert.strictEqual(await vscode.commands.executeCommand('grpoLens.stopRun', { runId: out }), 'SIGINT');
    assert.strictEqual(readStatus(sidecar)?.endedBy, 'SIGINT');
    assert.deepStrictEqual(groupStates(sidecar), []);
    await waitFor('stopped in the store', () => runs.store()!.get(out)?.state === 'stopped', 20_000);
    assert.ok(!fs.existsSync(path.join(out, 'control.jsonl')), 'nothing written into the trainer output');
  });

  it('a profile that fails the schema: diagnostics in the editor, nothing spawned', async () => {
    const file = writeProfiles(
      '{ "profiles": [ { "name": "broken", "kind": "comand", "command": "python3 x.py" } ] }',
    );
    // A file that fails the schema offers no profile at all.
    const result = await vscode.commands.executeCommand('grpoLens.startProfile', 'broken');
    assert.strictEqual(result, 'no-profile');
    const diagnostics = await waitFor('diagnostics', () => {
      const found = vscode.languages.getDiagnostics(vscode.Uri.file(file));
      return found.length > 0 ? found : undefined;
    });
    assert.match(diagnostics[0].message, /"profiles.0.kind" must be one of "builtin", "command", "slurm"/);
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'runs', '.grpo-lens')), 'no sidecar: nothing started');
  });

  it('the built-in trainer on 2 processes runs under torchrun; pause, checkpoint, stop and resume reach both ranks', async function () {
    this.timeout(300_000); // two torch processes on a shared 2-core machine
    const runs = await runsApi();
    const config = path.join(workspaceDir(), 'ddp.grpo.json');
    fs.writeFileSync(config, tinyConfig({ name: 'ddp', max_steps: 100000, checkpoint_every: 0 }));
    writeProfiles(
      '{ "profiles": [ { "name": "two", "kind": "builtin", "config": "ddp.grpo.json", "nproc_per_node": 2 } ] }',
    );
    const runDir = await vscode.commands.executeCommand<string>('grpoLens.startProfile', 'two');
    assert.ok(runDir, 'the profile started a run');
    const running = () => {
      void runs.store()!.refresh();
      const r = runs.store()!.get(runDir);
      return r?.state === 'running' && r.step >= 2 ? r : undefined;
    };
    await waitFor('the 2-process run to train', running, 150_000);
    const runJson = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as {
      distributed?: { world_size: number };
      argv: string[];
    };
    assert.strictEqual(runJson.distributed?.world_size, 2, 'trained by 2 ranks');
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: runDir }),
      'acknowledged',
    );
    await waitFor('paused in the store', () => runs.store()!.get(runDir)?.state === 'paused', 30_000);
    const pausedAt = runs.store()!.get(runDir)!.step;
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.checkpointNow', { runId: runDir }),
      'acknowledged',
    );
    // every rank's RNG states are in the checkpoint: both ranks took part in it
    const rng = path.join(runDir, 'checkpoints', `step-${String(pausedAt).padStart(6, '0')}`, 'rng.pt');
    await waitFor('the checkpoint of the paused step', () => fs.existsSync(rng), 30_000);
    const ranks = spawnSync(
      '/usr/bin/python3',
      ['-c', 'import sys, torch; print(len(torch.load(sys.argv[1])["ranks"]))', rng],
      { encoding: 'utf8' },
    );
    assert.strictEqual(ranks.stdout.trim(), '2', ranks.stderr);
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.resumeRun', { runId: runDir }),
      'acknowledged',
    );
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir }),
      'acknowledged',
    );
    const stopped = await waitFor(
      'stopped',
      () => {
        void runs.store()!.refresh();
        const r = runs.store()!.get(runDir);
        return r?.state === 'stopped' ? r : undefined;
      },
      60_000,
    );
    // each rank says it stopped, at the step of the run's status (rank 1 may say it a moment later)
    const rankStops = (step: number | string) =>
      fs
        .readFileSync(path.join(runDir, 'train.log'), 'utf8')
        .match(new RegExp(`stopped at step ${step} \\(rank [01] of 2\\)`, 'g')) ?? [];
    await waitFor('both ranks to stop at the same step', () => rankStops(stopped.step).length === 2, 30_000);

    // Resume from Checkpoint starts it again under torchrun, at the world size run.json names
    // (one process would be refused by the trainer: the checkpoint holds two ranks' states).
    const checkpoint = stopped.checkpoints[stopped.checkpoints.length - 1];
    const resumed = await vscode.commands.executeCommand('grpoLens.resumeFromCheckpoint', {
      runId: runDir,
      checkpoint,
    });
    assert.strictEqual(resumed, runDir);
    await waitFor(
      'running again past the checkpoint',
      () => {
        void runs.store()!.refresh();
        const r = runs.store()!.get(runDir);
        return r?.state === 'running' && r.step > checkpoint.step;
      },
      150_000,
    );
    assert.strictEqual(
      await vscode.commands.executeCommand('grpoLens.stopRun', { runId: runDir }),
      'acknowledged',
    );
    await waitFor('stopped again', () => runs.store()!.get(runDir)?.state === 'stopped', 60_000);
    // rank 1 stopped twice: the resume ran under torchrun too
    await waitFor('both ranks to stop again', () => rankStops('\\d+').length === 4, 30_000);
  });

  it('Force Stop kills a launched run that no longer answers (SIGKILL to its group)', async () => {
    const runs = await runsApi();
    writeProfiles(`{ "profiles": [ ${standinProfile('stuck')} ] }`);
    const sidecar = await vscode.commands.executeCommand<string>('grpoLens.startProfile', 'stuck');
    const out = outputDir('stuck');
    await waitFor('the TRL run', () => {
      void runs.store()!.refresh();
      return runs.store()!.get(out)?.capabilities.control;
    });
    const outcome = await vscode.commands.executeCommand(
      'grpoLens.forceStop',
      { runId: out },
      { confirmed: true },
    );
    assert.strictEqual(outcome, 'SIGKILL');
    assert.strictEqual(readStatus(sidecar)?.endedBy, 'SIGKILL');
    assert.deepStrictEqual(groupStates(sidecar), []);
  });
});

describe('a run started with grpo-lens run, in VS Code', function () {
  this.timeout(120_000);

  it('is shown and controlled like one started from a profile', async () => {
    const runs = await runsApi();
    const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
    const cli = path.join(ext.extensionPath, 'dist', 'cli.js');
    const out = outputDir('from-terminal');
    const started = spawnSync(
      process.execPath,
      [cli, 'run', '--name', 'terminal', '--watch', out, '--', 'python3', standinPath(), '--output-dir', out],
      { cwd: workspaceDir(), encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    assert.strictEqual(started.status, 0, started.stderr);
    const sidecar = started.stdout.trim();
    const run = await waitFor('the terminal run', () => {
      void runs.store()!.refresh();
      const found = runs.store()!.get(out);
      return found?.capabilities.control && found.state === 'running' ? found : undefined;
    });
    assert.strictEqual(run.launch?.sidecar, sidecar);
    assert.strictEqual(await vscode.commands.executeCommand('grpoLens.pauseRun', { runId: out }), 'paused');
    await waitFor('every process stopped', () => groupStates(sidecar).every((s) => s === 'T'));
    const status = spawnSync(process.execPath, [cli, 'status', out, '--json'], {
      encoding: 'utf8',
      env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    });
    assert.strictEqual((JSON.parse(status.stdout) as { state: string }).state, 'paused');
    assert.strictEqual(await vscode.commands.executeCommand('grpoLens.stopRun', { runId: out }), 'SIGINT');
  });
});
