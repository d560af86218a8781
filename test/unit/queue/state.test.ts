import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadQueue, saveQueue } from '../../../src/queue/queueFile';
import {
  cancel,
  clearEnded,
  emptyQueue,
  enqueue,
  entriesToStart,
  markFailed,
  markLaunched,
  markStarted,
  move,
  noteRuns,
  runNext,
  START_GRACE_MS,
  type QueueEntry,
  type QueueState,
  type RunObservation,
} from '../../../src/queue/state';

function entry(id: string, sweep?: { name: string; maxParallel?: number }): QueueEntry {
  const e: QueueEntry = {
    id,
    name: id,
    target: { kind: 'config', configPath: `/ws/${id}.grpo.json` },
    state: 'pending',
    queuedAt: 0,
  };
  return sweep ? { ...e, sweep: { ...sweep, overrides: [] } } : e;
}

/** A "command" launch profile of the workspace /ws, named as its id. */
function profile(id: string): QueueEntry {
  return {
    id,
    name: id,
    target: { kind: 'profile', profileName: id, profileKind: 'command', folder: '/ws' },
    state: 'pending',
    queuedAt: 0,
  };
}

const ids = (entries: readonly QueueEntry[]) => entries.map((e) => e.id);
const states = (s: QueueState) => s.entries.map((e) => `${e.id}:${e.state}`);

/** Starts what the queue says to start, the way the runner does. */
function startDue(s: QueueState, max: number, now = 0): QueueState {
  return entriesToStart(s, max).reduce((q, e) => markStarted(q, e.id, `/runs/${e.id}`, now), s);
}

describe('the queue of runs', () => {
  const abc = () => enqueue(emptyQueue(), [entry('a'), entry('b'), entry('c')]);

  it('starts entries one after another, in order', () => {
    let q = startDue(abc(), 1);
    assert.deepStrictEqual(states(q), ['a:running', 'b:pending', 'c:pending']);
    assert.deepStrictEqual(ids(entriesToStart(q, 1)), [], 'one at a time');
    q = noteRuns(
      q,
      (e) => (e.runDir === '/runs/a' ? { kind: 'ended', how: 'finished' } : { kind: 'absent' }),
      1,
    );
    q = startDue(q, 1);
    assert.deepStrictEqual(states(q), ['a:done', 'b:running', 'c:pending']);
    assert.strictEqual(q.entries[0].detail, 'finished');
  });

  it('runs up to maxParallel at once, and a sweep no more than its own cap', () => {
    assert.deepStrictEqual(states(startDue(abc(), 2)), ['a:running', 'b:running', 'c:pending']);
    const sweep = { name: 's', maxParallel: 1 };
    const q = enqueue(emptyQueue(), [entry('s1', sweep), entry('s2', sweep), entry('x')]);
    assert.deepStrictEqual(ids(entriesToStart(q, 3)), ['s1', 'x']);
  });

  it('moves on when a run fails at start or while training', () => {
    let q = startDue(abc(), 1);
    q = markFailed(q, 'a', 'no Python with PyTorch', 5);
    q = startDue(q, 1);
    assert.deepStrictEqual(states(q), ['a:failed', 'b:running', 'c:pending']);
    const failed: RunObservation = { kind: 'failed', error: 'config error: beta' };
    q = startDue(
      noteRuns(q, () => failed, 6),
      1,
    );
    assert.deepStrictEqual(states(q), ['a:failed', 'b:failed', 'c:running']);
    assert.strictEqual(q.entries[1].detail, 'config error: beta');
  });

  it('fails a run that never appears after the grace time, not before', () => {
    const q = startDue(abc(), 1, 1000);
    const absent = (): RunObservation => ({ kind: 'absent' });
    assert.strictEqual(noteRuns(q, absent, 1000 + START_GRACE_MS), q, 'unchanged: still starting');
    assert.deepStrictEqual(states(noteRuns(q, absent, 1001 + START_GRACE_MS)).slice(0, 1), ['a:failed']);
  });

  it('reorders pending entries, runs one next, and cancels', () => {
    let q = startDue(abc(), 1); // a is running
    q = move(q, 'c', -1);
    assert.deepStrictEqual(ids(q.entries), ['a', 'c', 'b']);
    assert.strictEqual(move(q, 'c', -1), q, 'the first pending does not move above a running entry');
    q = move(q, 'c', 1);
    assert.deepStrictEqual(ids(q.entries), ['a', 'b', 'c']);
    q = runNext(enqueue(q, [entry('d')]), 'd');
    assert.deepStrictEqual(ids(q.entries), ['a', 'd', 'b', 'c']);
    q = cancel(q, 'd', 2);
    q = noteRuns(q, () => ({ kind: 'ended', how: 'stopped' }), 3);
    assert.deepStrictEqual(ids(entriesToStart(q, 1)), ['b'], 'a cancelled entry is skipped');
    assert.deepStrictEqual(ids(clearEnded(q).entries), ['b', 'c']);
  });

  it('is restored from its file as saved, and survives a torn file', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-'));
    const file = path.join(dir, 'queue.json');
    assert.deepStrictEqual(loadQueue(file), { state: emptyQueue() }, 'no file: an empty queue');
    const q = startDue(abc(), 1, 7);
    saveQueue(file, q);
    assert.deepStrictEqual(loadQueue(file).state, q);
    assert.deepStrictEqual(
      fs.readdirSync(dir).sort(),
      ['.gitignore', 'queue.json'],
      'no temp file left; kept out of git',
    );

    fs.writeFileSync(file, JSON.stringify(q).slice(0, 120)); // torn in the middle
    const torn = loadQueue(file);
    assert.deepStrictEqual(torn.state, emptyQueue());
    assert.match(torn.problem ?? '', /was not valid JSON; it was kept as queue\.json\.unreadable-\d+/);
    const kept = fs.readdirSync(dir).filter((f) => f.startsWith('queue.json.unreadable-'));
    assert.strictEqual(kept.length, 1, 'the torn file is kept aside, not lost');

    fs.writeFileSync(file, JSON.stringify({ entries: [...q.entries, { id: 3 }] }));
    const partly = loadQueue(file);
    assert.deepStrictEqual(ids(partly.state.entries), ['a', 'b', 'c']);
    assert.match(partly.problem ?? '', /1 unreadable entry/);
  });

  it('keeps a launch profile entry through start and the queue file, and follows its launch', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'queue-'));
    const file = path.join(dir, 'queue.json');
    const trl = profile('trl');
    let q = enqueue(emptyQueue(), [entry('a'), trl]);
    q = markStarted(q, 'trl', undefined, 5); // its run folder is known once its launch started
    saveQueue(file, q);
    assert.deepStrictEqual(loadQueue(file).state, q, 'a profile that is starting is kept as it is');
    q = markLaunched(q, 'trl', '/ws/outputs/trl', '/ws/outputs/.grpo-lens/launches/trl-1');
    saveQueue(file, q);
    const loaded = loadQueue(file).state;
    assert.deepStrictEqual(loaded, q, 'restored as saved, after a reload');
    const restored = loaded.entries[1];
    assert.strictEqual(restored.runDir, '/ws/outputs/trl');
    assert.deepStrictEqual(restored.target, {
      kind: 'profile',
      profileName: 'trl',
      profileKind: 'command',
      folder: '/ws',
      sidecar: '/ws/outputs/.grpo-lens/launches/trl-1',
    });
    // The runner observes an entry (a profile by its sidecar), not just a folder.
    const seen: string[] = [];
    const ended = noteRuns(
      loaded,
      (e) => {
        seen.push(e.target.kind === 'profile' ? `sidecar ${e.target.sidecar}` : `dir ${e.runDir}`);
        return { kind: 'ended', how: 'finished' };
      },
      9,
    );
    assert.deepStrictEqual(seen, ['sidecar /ws/outputs/.grpo-lens/launches/trl-1']);
    assert.deepStrictEqual(states(ended), ['a:pending', 'trl:done']);

    const bad = { ...trl, id: 'bad', target: { ...trl.target, profileKind: 'docker' } };
    fs.writeFileSync(
      file,
      JSON.stringify({ entries: [trl, bad, { ...trl, id: 'noname', target: { kind: 'profile' } }] }),
    );
    const partly = loadQueue(file);
    assert.deepStrictEqual(ids(partly.state.entries), ['trl']);
    assert.match(partly.problem ?? '', /2 unreadable entries/);
  });

  it('fails a profile whose start a reload cut short (no run folder) after the grace time', () => {
    const q = markStarted(enqueue(emptyQueue(), [profile('p')]), 'p', undefined, 1000);
    const never = (): RunObservation => assert.fail('an entry without a run folder is not observed');
    assert.strictEqual(noteRuns(q, never, 1000 + START_GRACE_MS), q);
    assert.deepStrictEqual(states(noteRuns(q, never, 1001 + START_GRACE_MS)), ['p:failed']);
  });
});
