import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MetricRow, RunChange } from '../../../src/runs/model';
import { RunIndexStore } from '../../../src/runs/store';
import { jsonl, makeTempDir, removeDir } from './tempDir';

function writeRun(root: string, name: string, status: object, metrics: object[]): string {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'checkpoints', 'step-000002'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify({ name, config: { max_steps: 10 } }));
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), jsonl(metrics));
  return dir;
}

/** Resolves with the first change batch that satisfies the predicate. */
function nextChange(store: RunIndexStore, ok: (c: RunChange[]) => boolean): Promise<RunChange[]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no matching change within 5 s')), 5000);
    const sub = store.onDidChange((changes) => {
      if (process.env.DEBUG_STORE) console.log(JSON.stringify(changes));
      if (!ok(changes)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve(changes);
    });
  });
}

describe('the run store on a real folder', () => {
  let root: string;
  let store: RunIndexStore;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => {
    store?.dispose();
    removeDir(root);
  });

  it('finds runs, summarises them and lists checkpoints', async () => {
    writeRun(root, 'a', { state: 'finished', step: 3, total_steps: 10 }, [
      { step: 1, reward: 0.1 },
      { step: 2, reward: 0.2 },
      { step: 3, reward: 0.3 },
    ]);
    fs.mkdirSync(path.join(root, 'not-a-run'));
    store = new RunIndexStore({ roots: () => [root] });
    await store.start();
    const runs = store.runs();
    assert.strictEqual(runs.length, 1);
    assert.strictEqual(runs[0].state, 'finished');
    assert.strictEqual(runs[0].latestReward, 0.3);
    assert.strictEqual(runs[0].totalSteps, 10);
    assert.deepStrictEqual(
      runs[0].checkpoints.map((c) => c.step),
      [2],
    );
  });

  it('marks a run whose process is gone as stale', async () => {
    writeRun(root, 'b', { state: 'running', pid: 2 ** 22 + 12345, step: 1 }, [{ step: 1 }]);
    store = new RunIndexStore({ roots: () => [root] });
    await store.start();
    assert.strictEqual(store.runs()[0].state, 'stale');
  });

  it('sends appended metrics, supersession after a resume, and bad-line counts', async () => {
    const dir = writeRun(root, 'c', { state: 'running', pid: process.pid, step: 3 }, [
      { step: 1, reward: 1 },
      { step: 2, reward: 2 },
      { step: 3, reward: 3 },
    ]);
    store = new RunIndexStore({ roots: () => [root], debounceMs: 10 });
    await store.start();
    const lease = store.hold(dir);
    await lease.ready;
    const appended = nextChange(store, (c) => !!c[0]?.newMetrics);
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), jsonl([{ step: 4, reward: 4 }]) + 'garbage\n');
    const [change] = await appended;
    assert.deepStrictEqual(change.newMetrics, [{ step: 4, reward: 4 }]);
    assert.strictEqual(store.get(dir)?.badLines['metrics.jsonl'], 1);

    const resumed = nextChange(store, (c) => c[0]?.supersededFrom !== undefined);
    fs.appendFileSync(path.join(dir, 'metrics.jsonl'), jsonl([{ step: 3, reward: 30 }]));
    const [after] = await resumed;
    assert.strictEqual(after.supersededFrom, 3);
    assert.deepStrictEqual(
      store.recentMetrics(dir).map((r) => r.reward),
      [1, 2, 30],
    );

    const all: MetricRow[] = [];
    await store.readAllMetrics(dir, (r) => all.push(r));
    assert.deepStrictEqual(
      all.map((r) => [r.step, r.reward]),
      [
        [1, 1],
        [2, 2],
        [3, 30],
      ],
    );
  });

  it('holds only summaries until a run is opened, and closes a session nothing holds', async () => {
    const dir = writeRun(root, 'e', { state: 'finished', step: 3 }, [
      { step: 1, reward: 1 },
      { step: 2, reward: 2 },
      { step: 3, reward: 3 },
    ]);
    store = new RunIndexStore({ roots: () => [root], debounceMs: 10, sessionLingerMs: 50 });
    await store.start();
    assert.strictEqual(store.openSessions(), 0);
    assert.deepStrictEqual(store.recentMetrics(dir), [], 'no window is held for a run nobody opened');
    assert.strictEqual(store.get(dir)?.latestReward, 3, 'the summary still knows the latest values');
    const lease = store.hold(dir);
    await lease.ready;
    assert.strictEqual(store.openSessions(), 1);
    assert.deepStrictEqual(
      store.recentMetrics(dir).map((r) => r.step),
      [1, 2, 3],
    );
    lease.dispose();
    await new Promise((r) => setTimeout(r, 150));
    assert.strictEqual(store.openSessions(), 0, 'the session closed once nothing held it');
    assert.deepStrictEqual(
      await store.sampleSteps(dir),
      [],
      'a command can still read, through a transient session',
    );
  });

  it('walks the workspace for new runs at most once a second while a build adds files', async () => {
    store = new RunIndexStore({ roots: () => [{ path: root, depth: 3 }], debounceMs: 10 });
    await store.start();
    const before = store.walks;
    const out = path.join(root, 'dist');
    fs.mkdirSync(out);
    for (let i = 0; i < 30; i++) {
      fs.writeFileSync(path.join(out, `f${i}.js`), 'x');
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 1300));
    const walks = store.walks - before;
    assert.ok(walks >= 1 && walks <= 3, `${walks} walks for 31 new entries over 1.5 s`);
  });

  it('notices a new run directory and a status change', async () => {
    store = new RunIndexStore({ roots: () => [root], debounceMs: 10 });
    await store.start();
    assert.strictEqual(store.runs().length, 0);
    const appeared = nextChange(store, () => store.runs().length === 1);
    const dir = writeRun(root, 'd', { state: 'running', pid: process.pid, step: 0 }, []);
    await appeared;
    const paused = nextChange(store, () => store.get(dir)?.state === 'paused');
    const tmp = path.join(dir, 'status.json.tmp');
    fs.writeFileSync(tmp, JSON.stringify({ state: 'paused', pid: process.pid, step: 0 }));
    fs.renameSync(tmp, path.join(dir, 'status.json'));
    await paused;
  });
});

describe('the run store with a root that does not exist yet', () => {
  let parent: string;
  let store: RunIndexStore;
  beforeEach(() => (parent = makeTempDir()));
  afterEach(() => {
    store?.dispose();
    removeDir(parent);
  });

  it('notices the root (runs/) and its first run when they are created', async () => {
    const root = path.join(parent, 'runs');
    store = new RunIndexStore({ roots: () => [root], debounceMs: 10 });
    await store.start();
    assert.strictEqual(store.runs().length, 0);
    const appeared = nextChange(store, () => store.runs().length === 1);
    fs.mkdirSync(root);
    await new Promise((r) => setTimeout(r, 200)); // the store now watches runs/ itself
    writeRun(root, 'first', { state: 'running', pid: process.pid, step: 0 }, [{ step: 1 }]);
    await appeared;
  });
});
