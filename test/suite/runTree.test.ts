// The Runs tree's items and redraws, in the extension host: the latest checkpoint label,
// menus that depend on checkpoints, the tooltip, run text in visible form, and redraws of
// only the runs that changed (a whole-tree redraw closes hovers and context menus).
import * as assert from 'assert';
import * as path from 'path';
import type * as vscode from 'vscode';
import type { LazyRunStore } from '../../src/runs/lazyStore';
import type { RunChange, RunSummary } from '../../src/runs/model';
import { checkpointTreeItem, runTooltip, runTreeItem } from '../../src/views/runItem';
import { RunNode, RunTreeProvider } from '../../src/views/runTree';

function summary(dir: string, extra: Partial<RunSummary> = {}): RunSummary {
  return {
    id: dir,
    dir,
    name: 'tiny-demo',
    source: 'grpo-lens',
    sourceLabel: 'GRPO Lens',
    capabilities: { control: true, tokenDetails: true, resume: true },
    problems: [],
    state: 'stopped',
    step: 20,
    latest: {},
    checkpoints: [],
    badLines: {},
    ...extra,
  };
}

const checkpoints = (dir: string, ...steps: number[]) =>
  steps.map((step) => ({
    step,
    path: path.join(dir, 'checkpoints', `step-${String(step).padStart(6, '0')}`),
  }));

describe('run tree items', () => {
  it('labels the checkpoint status.json names (relative to the run folder) "latest"', () => {
    const dir = '/work/runs/tiny-demo-20261130-101010';
    const run = summary(dir, {
      checkpoints: checkpoints(dir, 10, 20),
      lastCheckpoint: path.join('checkpoints', 'step-000020'),
    });
    assert.strictEqual(checkpointTreeItem(run, run.checkpoints[1]).description, 'latest');
    assert.strictEqual(checkpointTreeItem(run, run.checkpoints[0]).description, '');
  });

  it('says in its context value whether the run has checkpoints to resume from', () => {
    const dir = '/work/runs/a';
    assert.strictEqual(runTreeItem(summary(dir)).contextValue, 'run.stopped');
    assert.strictEqual(
      runTreeItem(summary(dir, { checkpoints: checkpoints(dir, 10) })).contextValue,
      'run.stopped.checkpoints',
    );
  });

  it('says "launched" for another trainer\'s run that a launch of ours controls (no Checkpoint Now)', () => {
    const dir = '/work/runs/trl-launched';
    const launch = {
      sidecar: '/work/runs/.grpo-lens/launches/trl-1',
      host: 'here',
      remote: false,
      kind: 'command' as const,
    };
    const trl = { source: 'trl' as const, sourceLabel: 'TRL', state: 'running' as const, launch };
    assert.strictEqual(runTreeItem(summary(dir, trl)).contextValue, 'launched.running');
    const ours = summary(dir, { state: 'running', launch });
    assert.strictEqual(runTreeItem(ours).contextValue, 'run.running', 'our trainer, launched: its mailbox');
  });

  it('leaves out config values the run does not have, never "undefined"', () => {
    const run = summary('/work/runs/a', { config: { num_generations: 8, loss_type: 'grpo' } });
    const text = runTooltip(run).value;
    assert.ok(text.includes('G = 8'), text);
    assert.ok(!text.includes('undefined'), text);
    assert.ok(!text.includes('beta'), text);
  });

  it('shows bidi and control characters of run text visibly in the label and tooltip', () => {
    const run = summary('/work/runs/evil\u202Eemanelif\u0007', { error: 'bad\u0000thing' });
    const item = runTreeItem(run);
    assert.strictEqual(item.label, 'evil⟦U+202E⟧emanelif⟦U+0007⟧');
    const tooltip = (item.tooltip as vscode.MarkdownString).value;
    assert.ok(!['\u202E', '\u0007', '\u0000'].some((c) => tooltip.includes(c)), tooltip);
    assert.ok(/U\\?\+0000/.test(tooltip), tooltip);
  });
});

describe('run tree redraws', () => {
  function fakeStore(runs: RunSummary[]) {
    let listener: (changes: RunChange[]) => void = () => undefined;
    const byId = () => new Map(runs.map((r) => [r.id, r]));
    const store = {
      runs: () => runs,
      get: (id: string) => byId().get(id),
      onDidChange: (l: (changes: RunChange[]) => void) => {
        listener = l;
        return { dispose: () => undefined };
      },
    };
    const lazy = { get: () => store, whenReady: async () => store } as unknown as LazyRunStore;
    const update = (run: RunSummary) => (runs[runs.findIndex((r) => r.id === run.id)] = run);
    return { lazy, runs, update, fire: (changes: RunChange[]) => listener(changes) };
  }

  it('redraws only the run that changed, also when its checkpoints change; the root only for new runs', async () => {
    const a = summary('/work/runs/a', { state: 'running' });
    const b = summary('/work/runs/b', { state: 'running' });
    const fake = fakeStore([a, b]);
    const tree = new RunTreeProvider(fake.lazy, 10);
    const fired: (RunNode | undefined)[] = [];
    tree.onDidChangeTreeData((node) => fired.push(node));
    for (const node of await tree.getChildren()) tree.getTreeItem(node);
    await new Promise((r) => setTimeout(r, 30));
    fired.length = 0;

    fake.update({ ...a, step: 21 });
    fake.fire([{ runId: a.id, summary: true }]);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepStrictEqual(fired, [tree.runNode(a.id)]);

    fired.length = 0;
    fake.update({ ...a, step: 22, checkpoints: checkpoints(a.dir, 22) });
    fake.fire([{ runId: a.id, summary: true }]);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepStrictEqual(fired, [tree.runNode(a.id)]);
    const children = await tree.getChildren(tree.runNode(a.id));
    assert.strictEqual(children.length, 1);

    fired.length = 0;
    fake.runs.push(summary('/work/runs/c'));
    fake.fire([{ runId: '/work/runs/c', summary: true }]);
    await new Promise((r) => setTimeout(r, 30));
    assert.deepStrictEqual(fired, [undefined]);
    tree.dispose();
  });

  it('keeps up with a live run: a change after a quiet spell is drawn at once, a burst at most every redrawMs', async () => {
    const a = summary('/work/runs/a', { state: 'running' });
    const fake = fakeStore([a]);
    const tree = new RunTreeProvider(fake.lazy, 1000);
    const fired: number[] = [];
    for (const node of await tree.getChildren()) tree.getTreeItem(node);
    await new Promise((r) => setTimeout(r, 20));
    tree.onDidChangeTreeData(() => fired.push(Date.now()));
    const started = Date.now();
    fake.update({ ...a, step: 21 });
    fake.fire([{ runId: a.id, summary: true }]);
    await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(fired.length, 1, 'drawn at once');
    assert.ok(fired[0] - started < 50);
    fake.update({ ...a, step: 22 });
    fake.fire([{ runId: a.id, summary: true }]);
    await new Promise((r) => setTimeout(r, 50));
    assert.strictEqual(fired.length, 1, 'the next change of a burst waits');
    await new Promise((r) => setTimeout(r, 1000));
    assert.strictEqual(fired.length, 2);
    tree.dispose();
  });
});
