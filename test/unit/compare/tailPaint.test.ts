// The earliest paint of a comparison: the last rows of each of our runs, read from the end
// of metrics.jsonl through a real run store's summary, one copy per step across a resume.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readTailPaint, readTailPaints, TAIL_PAINT_ROWS } from '../../../src/compare/tailPaint';
import type { RunSummary } from '../../../src/runs/model';
import { RunIndexStore } from '../../../src/runs/store';
import { jsonl, makeTempDir, removeDir } from '../runs/tempDir';

function writeRun(dir: string, rows: Record<string, unknown>[], torn = ''): void {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ format: 'grpo-lens/1', name: path.basename(dir) }),
  );
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify({ state: 'finished', step: 1005 }));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), jsonl(rows) + torn);
}

const steps = (from: number, to: number, reward: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ step: from + i, time: 1000 + from + i, reward }));

describe('first paint from the end of each run', () => {
  let root: string;
  let store: RunIndexStore;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => {
    store?.dispose();
    removeDir(root);
  });

  async function summaries(): Promise<RunSummary[]> {
    store = new RunIndexStore({ roots: () => [root] });
    await store.start();
    return store.runs().sort((a, b) => a.name.localeCompare(b.name));
  }

  it('draws the last rows of a run, the resumed copy of each step, without the torn line', async () => {
    // 1..1000, then a resume from step 990 to 1005 with another reward: 1016 lines.
    writeRun(path.join(root, 'a'), [...steps(1, 1000, 1), ...steps(990, 1005, 2)], '{"step": 1006, "rew');
    const [summary] = await summaries();
    const window = await readTailPaint(summary);
    assert.ok(window);
    assert.strictEqual(window.runId, summary.id);
    // The last 400 lines are steps 617..1000 and 990..1005: 617..989 then the resumed 990..1005.
    assert.strictEqual(window.rowCount, 1005 - 617 + 1);
    assert.strictEqual(window.fromStep, 617);
    assert.strictEqual(window.toStep, 1005);
    const reward = window.metrics.reward;
    for (let i = 1; i < reward.x.length; i++) assert.ok(reward.x[i] > reward.x[i - 1], 'one point per step');
    reward.x.forEach((x, i) => assert.strictEqual(reward.y[i], x >= 990 ? 2 : 1, `step ${x}`));
    assert.strictEqual(TAIL_PAINT_ROWS, 400);
  });

  it('paints every run of ours together, and leaves other sources and lost files to their sessions', async () => {
    writeRun(path.join(root, 'a'), steps(1, 50, 1));
    writeRun(path.join(root, 'b'), steps(1, 70, 3));
    const [a, b] = await summaries();
    const windows = await readTailPaints([a, { ...b, source: 'trl' }, undefined]);
    assert.deepStrictEqual(
      windows.map((w) => [w.runId, w.toStep]),
      [[a.id, 50]],
    );
    fs.rmSync(path.join(root, 'a', 'metrics.jsonl'));
    assert.strictEqual(await readTailPaint(a), undefined);
  });
});
