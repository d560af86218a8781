// The extension's reading of the trainer's run lock (<run>/.lock names its holder): a live
// holder refuses a second writer; a holder that is ending is waited for, briefly.
import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { lockHolder, lockHolderAfter } from '../../../src/launch/runLock';
import { processStartTime } from '../../../src/runs/liveness';

function lockedBy(pid: number): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-lock-'));
  const started = processStartTime(pid) ?? Date.now() / 1000;
  fs.writeFileSync(
    path.join(dir, '.lock'),
    JSON.stringify({ pid, host: os.hostname(), started: started + 0.5 }),
  );
  return dir;
}

describe('the run lock, read by the extension', () => {
  it('names a live holder on this host, and nobody for a dead one or another host', async () => {
    const child = spawn('sleep', ['30']);
    try {
      const dir = lockedBy(child.pid!);
      assert.strictEqual(lockHolder(dir)?.pid, child.pid);
      assert.strictEqual(lockHolder(dir, 'another-host'), undefined);
    } finally {
      child.kill('SIGKILL');
    }
    await new Promise((resolve) => child.once('exit', resolve));
    assert.strictEqual(lockHolder(lockedBy(child.pid!)), undefined);
  });

  it('waits for a holder that ends within the wait, and names one that does not', async () => {
    const ending = spawn('sleep', ['1']);
    const dir = lockedBy(ending.pid!);
    assert.ok(lockHolder(dir), 'held while it runs');
    const t0 = Date.now();
    assert.strictEqual(await lockHolderAfter(dir, 10_000), undefined);
    assert.ok(Date.now() - t0 >= 500, 'it waited for the holder to end');

    const staying = spawn('sleep', ['30']);
    try {
      assert.strictEqual((await lockHolderAfter(lockedBy(staying.pid!), 600))?.pid, staying.pid);
    } finally {
      staying.kill('SIGKILL');
    }
  });
});
