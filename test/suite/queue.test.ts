// The queue inside a real extension host: a bad sweep is refused with a diagnostic on the
// file before anything is queued; a queued config that fails at start is marked failed and
// the queue moves on to a sweep's run, which trains and keeps its sweep's tags.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { QueueEntry } from '../../src/queue/state';
import { enqueue } from '../../src/queue/state';
import { readRunNotes } from '../../src/runs/notes';
import { writeQuickConfig } from './queue/queueHost';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

const ours = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GRPO Lens');

describe('the queue of runs and sweeps', function () {
  this.timeout(180_000);

  it('refuses a sweep with an unknown key: a diagnostic on the key, nothing queued', async () => {
    const api = await runsApi();
    writeQuickConfig('qbase');
    const file = path.join(workspaceDir(), 'typo.sweep.json');
    fs.writeFileSync(
      file,
      '{\n  // a typo in a key\n  "base": "qbase.grpo.json",\n  "grid": {"betta": [0, 0.04]}\n}\n',
    );
    const before = api.queue.queue.entries().length;
    const queued = await vscode.commands.executeCommand<QueueEntry[]>(
      'grpoLens.queueSweep',
      vscode.Uri.file(file),
    );
    assert.deepStrictEqual(queued, []);
    assert.strictEqual(api.queue.queue.entries().length, before, 'nothing queued');
    const uri = vscode.Uri.file(file);
    const diagnostics = await waitFor('a diagnostic on the sweep', () => ours(uri).length > 0 && ours(uri));
    assert.match(diagnostics[0].message, /"betta" is not an option of the GRPO config/);
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.getText(diagnostics[0].range), '"betta"');
    assert.strictEqual(doc.languageId, 'jsonc', '*.sweep.json is JSON with comments');
  });

  it('shows an empty grid as a problem as soon as the sweep is opened', async () => {
    await runsApi();
    const file = path.join(workspaceDir(), 'empty.sweep.json');
    fs.writeFileSync(file, '{"base": "qbase.grpo.json", "grid": {}}');
    const uri = vscode.Uri.file(file);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const diagnostics = await waitFor(
      'a diagnostic on open',
      () => ours(uri).length > 0 && ours(uri),
      10_000,
    );
    assert.match(diagnostics[0].message, /grid is empty/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  it('marks a config that fails at start failed and starts the next, a sweep run with its tags', async () => {
    const api = await runsApi();
    const broken = path.join(workspaceDir(), 'queue-broken.grpo.json');
    fs.writeFileSync(
      broken,
      '{"model": {"type": "tiny"}, "task": {"name": "arithmetic"}, "rewards": [], "beta": -1}',
    );
    const queue = api.queue.queue;
    queue.change((s) =>
      enqueue(s, [
        {
          id: 'broken',
          name: 'broken',
          target: { kind: 'config', configPath: broken },
          state: 'pending',
          queuedAt: 0,
        },
      ]),
    );
    const sweep = path.join(workspaceDir(), 'one.sweep.json');
    fs.writeFileSync(sweep, '{"name": "one", "base": "qbase.grpo.json", "runs": [{"seed": 7}]}');
    const [entry] = await vscode.commands.executeCommand<QueueEntry[]>(
      'grpoLens.queueSweep',
      vscode.Uri.file(sweep),
    );
    assert.strictEqual(entry.name, 'one-1');
    const find = (id: string) => queue.entries().find((e) => e.id === id);
    await waitFor('the broken config to fail', () => find('broken')?.state === 'failed', 60_000);
    assert.match(find('broken')!.detail ?? '', /problem/);
    const done = await waitFor(
      'the sweep run to finish',
      () => find(entry.id)?.state === 'done' && find(entry.id),
      150_000,
    );
    assert.strictEqual(done.detail, 'finished');
    const run = api.store()!.get(done.runDir!)!;
    assert.strictEqual(run.state, 'finished');
    assert.strictEqual(run.config?.seed, 7);
    assert.strictEqual(run.config?.name, 'one-1');
    assert.deepStrictEqual((await readRunNotes(done.runDir!)).tags, ['sweep:one', 'seed=7']);
    const saved = JSON.parse(fs.readFileSync(queue.file, 'utf8')) as { entries: QueueEntry[] };
    assert.deepStrictEqual(
      saved.entries.filter((e) => e.id === 'broken' || e.id === entry.id).map((e) => e.state),
      ['failed', 'done'],
      'the queue file says the same',
    );
  });
});
