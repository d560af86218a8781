// In Restricted Mode the queue starts nothing: Queue Sweep is refused, and an entry
// already in the queue waits (pending) instead of being started.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { QueueEntry } from '../../src/queue/state';
import { enqueue } from '../../src/queue/state';
import { runsApi, workspaceDir, writeLongConfig } from './runsHelpers';

describe('the queue in an untrusted workspace', function () {
  this.timeout(60_000);

  it('refuses to queue a sweep and starts no queued entry', async () => {
    const api = await runsApi();
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const config = writeLongConfig(workspaceDir(), 'queued-untrusted');
    const sweep = path.join(workspaceDir(), 'u.sweep.json');
    fs.writeFileSync(sweep, '{"base": "queued-untrusted.grpo.json", "grid": {"seed": [1, 2]}}');
    const queued = await vscode.commands.executeCommand<QueueEntry[]>(
      'grpoLens.queueSweep',
      vscode.Uri.file(sweep),
    );
    assert.deepStrictEqual(queued, []);

    const queue = api.queue.queue;
    queue.change((s) =>
      enqueue(s, [
        { id: 'u', name: 'u', target: { kind: 'config', configPath: config }, state: 'pending', queuedAt: 0 },
      ]),
    );
    // The runner checks at each change and every 5 s: give it two checks.
    await new Promise((r) => setTimeout(r, 11_000));
    await queue.settled();
    assert.strictEqual(queue.entries().find((e) => e.id === 'u')?.state, 'pending');
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'runs')), 'no run directory was made');
  });
});
