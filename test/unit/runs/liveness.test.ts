import * as assert from 'assert';
import { spawn } from 'child_process';
import { isProcessAlive, processStartTime } from '../../../src/runs/liveness';

describe('process liveness', () => {
  it('reads a process start time close to now', async () => {
    const child = spawn('sleep', ['5']);
    try {
      const started = processStartTime(child.pid!);
      assert.ok(started !== undefined);
      assert.ok(Math.abs(started - Date.now() / 1000) < 5, `started ${started}`);
    } finally {
      child.kill();
    }
  });

  it('calls a live process alive when it started before the status was written', () => {
    const child = spawn('sleep', ['5']);
    try {
      assert.strictEqual(isProcessAlive(child.pid!, Date.now() / 1000), true);
      assert.strictEqual(isProcessAlive(child.pid!), true);
    } finally {
      child.kill();
    }
  });

  it('calls a recycled pid dead: its process started after the run last wrote its status', () => {
    const child = spawn('sleep', ['5']);
    try {
      const anHourAgo = Date.now() / 1000 - 3600;
      assert.strictEqual(isProcessAlive(child.pid!, anHourAgo), false);
    } finally {
      child.kill();
    }
  });

  it('calls a gone process dead and a missing pid unknown', async () => {
    const child = spawn('true');
    await new Promise((resolve) => child.on('exit', resolve));
    assert.strictEqual(isProcessAlive(child.pid!), false);
    assert.strictEqual(isProcessAlive(undefined), undefined);
  });
});
