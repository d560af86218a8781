// A trainer's last words: the final status and "failed" event it writes as it dies may
// come with no watcher event. When the run turns stale, its files are read once more; and
// a status.json that changed unseen is read at the next liveness check.
import * as assert from 'assert';
import { spawn, ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { INDEX_MODE, RunDirectory } from '../../../src/runs/runDirectory';
import { jsonl, makeTempDir, removeDir } from './tempDir';

function startSleeper(): ChildProcess {
  return spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
}

function exited(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

describe('a run whose files changed with no watcher event', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => {
    child?.kill('SIGKILL');
    removeDir(dir);
  });

  function writeStatus(state: string, pid: number): void {
    const now = Date.now() / 1000;
    fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state, pid, step: 2, updated: now }));
  }

  it('is failed with the reason, not stale, though no update told it the files changed', async () => {
    child = startSleeper();
    const pid = child.pid!;
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ name: 'r', config: { max_steps: 9 } }));
    fs.writeFileSync(path.join(dir, 'metrics.jsonl'), jsonl([{ step: 1 }, { step: 2 }]));
    fs.writeFileSync(path.join(dir, 'events.jsonl'), jsonl([{ event: 'started', step: 0 }]));
    writeStatus('running', pid);
    const run = new RunDirectory(dir, INDEX_MODE);
    await run.open();
    assert.strictEqual(run.summary.state, 'running');

    // The trainer's last words, then its death; the watcher said nothing.
    fs.appendFileSync(
      path.join(dir, 'events.jsonl'),
      jsonl([{ event: 'failed', step: 3, message: "reward 'r' returned inf" }]),
    );
    writeStatus('failed', pid);
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;

    const change = await run.checkLiveness();
    assert.strictEqual(run.summary.state, 'failed');
    assert.match(run.summary.error ?? '', /returned inf/);
    assert.ok(change?.summary, 'the change says the summary changed');
    assert.deepStrictEqual(
      change?.newEvents?.map((e) => e.event),
      ['failed'],
    );
  });

  it('notices a pause that came with no watcher event at the next liveness check', async () => {
    child = startSleeper();
    writeStatus('running', child.pid!);
    const run = new RunDirectory(dir, INDEX_MODE);
    await run.open();
    assert.strictEqual(await run.checkLiveness(), undefined, 'nothing changed, nothing to tell');
    await new Promise((r) => setTimeout(r, 20)); // a new mtime
    writeStatus('paused', child.pid!);
    const change = await run.checkLiveness();
    assert.strictEqual(run.summary.state, 'paused');
    assert.ok(change?.summary);
  });

  it('stays stale when the files hold nothing newer (a kill -9 mid-run)', async () => {
    child = startSleeper();
    writeStatus('running', child.pid!);
    const run = new RunDirectory(dir, INDEX_MODE);
    await run.open();
    const gone = exited(child);
    child.kill('SIGKILL');
    await gone;
    const change = await run.checkLiveness();
    assert.strictEqual(run.summary.state, 'stale');
    assert.ok(change?.summary);
  });
});
