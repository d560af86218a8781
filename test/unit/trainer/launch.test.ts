import * as assert from 'assert';
import * as path from 'path';
import { trainerArgs, trainerEnv } from '../../../src/trainer/launch';
import { configNameOf, newRunDir, timestampOf } from '../../../src/trainer/runDirName';

describe('starting the trainer', () => {
  it('passes config and run dir, and the checkpoint when resuming', () => {
    const base = { python: 'py', runDir: '/r', trainerRoot: '/ext/trainer', cwd: '/w' };
    assert.deepStrictEqual(trainerArgs({ ...base, configPath: '/w/a.grpo.json' }), [
      '-m',
      'grpo_lens',
      '--config',
      '/w/a.grpo.json',
      '--run-dir',
      '/r',
    ]);
    assert.deepStrictEqual(trainerArgs({ ...base, resumeFrom: '/r/checkpoints/step-000010' }), [
      '-m',
      'grpo_lens',
      '--run-dir',
      '/r',
      '--resume',
      '/r/checkpoints/step-000010',
    ]);
  });

  it('puts a launcher (torchrun for several processes) before -m grpo_lens', () => {
    const base = { python: 'py', runDir: '/r', trainerRoot: '/ext/trainer', cwd: '/w' };
    const torchrun = ['-m', 'grpo_lens.torchrun', '--nproc_per_node', '2', '--standalone', '--nnodes', '1'];
    assert.deepStrictEqual(trainerArgs({ ...base, configPath: '/w/a.grpo.json', launcher: torchrun }), [
      ...torchrun,
      '-m',
      'grpo_lens',
      '--config',
      '/w/a.grpo.json',
      '--run-dir',
      '/r',
    ]);
  });

  it('puts the shipped trainer first on PYTHONPATH and says the log is redirected', () => {
    const env = trainerEnv('/ext/trainer', { PYTHONPATH: '/mine', HOME: '/h' });
    assert.strictEqual(env.PYTHONPATH, `/ext/trainer${path.delimiter}/mine`);
    assert.strictEqual(env.GRPO_LENS_LOG_REDIRECTED, '1');
    assert.strictEqual(env.HOME, '/h');
  });

  it('names new run folders <config-name>-<yyyymmdd-hhmmss>, never reusing one', () => {
    assert.strictEqual(configNameOf('/w/configs/tiny-test.grpo.json'), 'tiny-test');
    const now = new Date(2026, 0, 2, 3, 4, 5);
    assert.strictEqual(timestampOf(now), '20260102-030405');
    const taken = new Set([path.join('/w/runs', 'tiny-test-20260102-030405')]);
    assert.strictEqual(
      newRunDir('/w/runs', '/w/tiny-test.grpo.json', now, (p) => taken.has(p)),
      path.join('/w/runs', 'tiny-test-20260102-030405-2'),
    );
  });
});
