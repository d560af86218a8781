// A launch profile in the queue, in a real extension host: a config of ours, then a
// "command" profile running the stand-in TRL trainer (it writes output_dir the way
// transformers' Trainer does), then a profile whose command fails. They run one after the
// other; the profile's entry knows its run folder (the launch's watched folder) and its
// sidecar, the queue file keeps both for the next window, and each ends as it should.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readStatus } from '../../src/launch/sidecar';
import { enqueue, type QueueEntry, type QueueState } from '../../src/queue/state';
import { outputDir, standinPath, writeProfiles } from './launch/launchHost';
import { writeQuickConfig } from './queue/queueHost';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

function profileEntry(id: string): QueueEntry {
  return {
    id,
    name: id,
    target: { kind: 'profile', profileName: id, profileKind: 'command', folder: workspaceDir() },
    state: 'pending',
    queuedAt: 0,
  };
}

describe('the queue with a launch profile', function () {
  this.timeout(240_000);

  it('runs a config, then a profile that writes a TRL run, then a failing profile, one after another', async () => {
    const api = await runsApi();
    const config = writeQuickConfig('qfirst');
    writeProfiles(`{ "profiles": [
      { "name": "qtrl", "kind": "command",
        "command": ["python3", ${JSON.stringify(standinPath())}, "--output-dir", "outputs/qtrl", "--steps", "6", "--step-seconds", "0.2"],
        "watch": ["outputs/qtrl"] },
      { "name": "qfail", "kind": "command",
        "command": ["python3", "-c", "import sys; print('no GPU here'); sys.exit(3)"],
        "watch": ["outputs/qfail"] }
    ] }`);
    const queue = api.queue.queue;
    const first: QueueEntry = {
      id: 'qfirst',
      name: 'qfirst',
      target: { kind: 'config', configPath: config },
      state: 'pending',
      queuedAt: 0,
    };
    queue.change((s) => enqueue(s, [first, profileEntry('qtrl'), profileEntry('qfail')]));
    const find = (id: string) => queue.entries().find((e) => e.id === id)!;

    await waitFor('our run to start', () => find('qfirst').state === 'running', 60_000);
    assert.strictEqual(find('qtrl').state, 'pending', 'one at a time: the profile waits');
    const trl = await waitFor(
      'the TRL profile to start',
      () => (find('qtrl').runDir ? find('qtrl') : undefined),
      180_000,
    );
    const ours = find('qfirst');
    assert.strictEqual(ours.state, 'done');
    assert.strictEqual(ours.detail, 'finished');
    assert.ok(trl.startedAt! >= ours.endedAt!, 'the profile started after our run ended');
    assert.strictEqual(trl.runDir, outputDir('qtrl'), "its run folder is the launch's watched folder");
    const sidecar = trl.target.kind === 'profile' ? trl.target.sidecar : undefined;
    assert.ok(sidecar && fs.existsSync(path.join(sidecar, 'launch.json')), `sidecar: ${sidecar}`);
    const saved = () => JSON.parse(fs.readFileSync(queue.file, 'utf8')) as QueueState;
    const savedTrl = saved().entries.find((e) => e.id === 'qtrl')!;
    assert.deepStrictEqual(
      [savedTrl.runDir, savedTrl.target],
      [trl.runDir, trl.target],
      'the queue file keeps what the next window needs to follow it',
    );

    const done = await waitFor(
      'the TRL run to end',
      () => find('qtrl').state === 'done' && find('qtrl'),
      60_000,
    );
    assert.strictEqual(done.detail, 'finished');
    assert.strictEqual(readStatus(sidecar!)?.exitCode, 0);
    const run = await waitFor('the TRL run in the store', () => {
      void api.store()!.refresh();
      return api.store()!.get(outputDir('qtrl'));
    });
    assert.strictEqual(run.source, 'trl');
    assert.strictEqual(run.launch?.sidecar, sidecar);
    assert.ok(
      fs.existsSync(path.join(outputDir('qtrl'), 'trainer_state.json')),
      'a real TRL-style output_dir',
    );

    const failed = await waitFor(
      'the failing profile to fail',
      () => find('qfail').state === 'failed' && find('qfail'),
      60_000,
    );
    assert.strictEqual(failed.detail, 'exit code 3');
    assert.ok(failed.startedAt! >= done.endedAt!, 'started after the TRL run ended');
    assert.deepStrictEqual(
      saved().entries.map((e) => `${e.id}:${e.state}`),
      ['qfirst:done', 'qtrl:done', 'qfail:failed'],
      'the queue file says the same',
    );
  });

  it('marks a profile that is not in .vscode/grpo-lens.json any more failed, and says why', async () => {
    const api = await runsApi();
    const queue = api.queue.queue;
    queue.change((s) => enqueue(s, [profileEntry('gone')]));
    const entry = await waitFor('the entry to fail', () => {
      const e = queue.entries().find((x) => x.id === 'gone');
      return e?.state === 'failed' && e;
    });
    assert.strictEqual(entry.detail, 'no launch profile is named "gone" any more');
  });
});
