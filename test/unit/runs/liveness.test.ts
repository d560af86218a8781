import * as assert from 'assert';
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import {
  expectedStepSeconds,
  HEARTBEAT_FLOOR_SECONDS,
  isProcessAlive,
  processStartTime,
} from '../../../src/runs/liveness';

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

  describe('where there is no /proc (macOS, Windows)', () => {
    const noProc = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-no-proc-'));
    after(() => fs.rmSync(noProc, { recursive: true, force: true }));
    const now = Date.now() / 1000;

    it('calls a live pid whose run wrote no status for long dead: the pid was recycled', () => {
      const child = spawn('sleep', ['5']);
      try {
        const anHourAgo = now - 3600;
        assert.strictEqual(isProcessAlive(child.pid!, anHourAgo, { procRoot: noProc, now }), false);
        assert.strictEqual(isProcessAlive(child.pid!, now - 5, { procRoot: noProc, now }), true);
      } finally {
        child.kill();
      }
    });

    it('allows a generous multiple of the expected step time, never less than the floor', () => {
      const child = spawn('sleep', ['5']);
      try {
        const alive = (silentFor: number, expectedStepSeconds?: number) =>
          isProcessAlive(child.pid!, now - silentFor, { procRoot: noProc, now, expectedStepSeconds });
        assert.strictEqual(alive(HEARTBEAT_FLOOR_SECONDS - 10, 1), true, 'fast steps still get the floor');
        assert.strictEqual(alive(HEARTBEAT_FLOOR_SECONDS + 10, 1), false);
        assert.strictEqual(alive(30 * 60, 120), true, 'twenty 2-minute steps');
        assert.strictEqual(alive(50 * 60, 120), false);
      } finally {
        child.kill();
      }
    });

    it('still calls a gone process dead at once', async () => {
      const child = spawn('true');
      await new Promise((resolve) => child.on('exit', resolve));
      assert.strictEqual(isProcessAlive(child.pid!, now, { procRoot: noProc, now }), false);
    });
  });
});

describe('the expected step time the heartbeat allows for', () => {
  it('is the median time per step over the last steps, ignoring rows without a time', () => {
    const rows = [
      { step: 1, time: 100 },
      { step: 2, time: 110 },
      { step: 3 },
      { step: 4, time: 130 },
      { step: 5, time: 200 },
    ];
    assert.strictEqual(expectedStepSeconds(rows), 10);
    assert.strictEqual(expectedStepSeconds([{ step: 1, time: 5 }]), undefined);
  });
});
