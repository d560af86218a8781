// In Restricted Mode the queue starts nothing: Queue Runs… and Queue Sweep are refused, and
// entries already in the queue (a config, a launch profile) wait (pending) instead of being started.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { QueueEntry } from '../../src/queue/state';
import { enqueue } from '../../src/queue/state';
import { standinProfile, writeProfiles } from './launch/launchHost';
import { runsApi, workspaceDir, writeLongConfig } from './runsHelpers';

describe('the queue in an untrusted workspace', function () {
  this.timeout(60_000);

  it('refuses to queue runs or a sweep and starts no queued entry, config or launch profile', async () => {
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
    assert.deepStrictEqual(await vscode.commands.executeCommand('grpoLens.queueRuns'), [], 'no pick offered');

    writeProfiles(`{ "profiles": [ ${standinProfile('untrusted-trl')} ] }`);
    const queue = api.queue.queue;
    queue.change((s) =>
      enqueue(s, [
        { id: 'u', name: 'u', target: { kind: 'config', configPath: config }, state: 'pending', queuedAt: 0 },
        {
          id: 'p',
          name: 'untrusted-trl',
          target: {
            kind: 'profile',
            profileName: 'untrusted-trl',
            profileKind: 'command',
            folder: workspaceDir(),
          },
          state: 'pending',
          queuedAt: 0,
        },
      ]),
    );
    // The runner checks at each change and every 5 s: give it two checks.
    await new Promise((r) => setTimeout(r, 11_000));
    await queue.settled();
    assert.strictEqual(queue.entries().find((e) => e.id === 'u')?.state, 'pending');
    assert.strictEqual(queue.entries().find((e) => e.id === 'p')?.state, 'pending');
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'runs')), 'no run directory was made');
    assert.ok(
      !fs.existsSync(path.join(workspaceDir(), 'outputs')),
      "no launch: the profile's command was not run",
    );
  });

  it("reorders, runs next, cancels and clears entries from the Queue view's actions", async () => {
    const api = await runsApi();
    const queue = api.queue.queue;
    queue.change((s) => ({ ...s, entries: [] })); // the first test's entry
    const config = path.join(workspaceDir(), 'queued-untrusted.grpo.json');
    const entry = (id: string): QueueEntry => ({
      id,
      name: id,
      target: { kind: 'config', configPath: config },
      state: 'pending',
      queuedAt: 0,
    });
    queue.change((s) => enqueue(s, ['a', 'b', 'c'].map(entry)));
    const order = () => api.queue.tree.getChildren().map((n) => n.entryId);
    assert.deepStrictEqual(order(), ['a', 'b', 'c']);
    await vscode.commands.executeCommand('grpoLens.queue.moveDown', { entryId: 'a' });
    assert.deepStrictEqual(order(), ['b', 'a', 'c']);
    await vscode.commands.executeCommand('grpoLens.queue.moveUp', { entryId: 'a' });
    await vscode.commands.executeCommand('grpoLens.queue.runNext', { entryId: 'c' });
    assert.deepStrictEqual(order(), ['c', 'a', 'b']);
    await vscode.commands.executeCommand('grpoLens.queue.cancel', { entryId: 'a' });
    const item = api.queue.tree.getTreeItem({ entryId: 'a' });
    assert.strictEqual(item.contextValue, 'queue.ended');
    assert.match(String(item.description), /^cancelled/);
    assert.strictEqual(api.queue.tree.getTreeItem({ entryId: 'b' }).contextValue, 'queue.pending');
    await vscode.commands.executeCommand('grpoLens.queue.clearEnded');
    assert.deepStrictEqual(order(), ['c', 'b']);
    const saved = JSON.parse(fs.readFileSync(queue.file, 'utf8')) as { entries: QueueEntry[] };
    assert.deepStrictEqual(
      saved.entries.map((e) => e.id),
      ['c', 'b'],
      'saved as shown',
    );
  });
});
