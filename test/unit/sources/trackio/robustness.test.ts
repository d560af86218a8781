// A locked, foreign, corrupt or drifted database: counted and said, never thrown;
// and whatever the source reads, it writes nothing next to the database.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as path from 'path';
import type { FeedParts, FoundRun } from '../../../../src/runs/sources/source';
import { findTrackioRuns, trackioRunId } from '../../../../src/runs/sources/trackio/find';
import { trackioParts } from '../../../../src/runs/sources/trackio/parts';
import { PYTHON, TrackioWriter, listing, tempDir } from './writer';

const options = { python: PYTHON };

function runOf(db: string, runName: string): FoundRun {
  return {
    id: trackioRunId(db, runName),
    dir: path.dirname(db),
    source: 'trackio',
    name: runName,
    watch: [db],
  };
}

/** Every read a reader of the run makes. */
async function readEverything(parts: FeedParts): Promise<void> {
  await parts.metrics.tail(10);
  await parts.metrics.poll();
  await parts.metrics.readAll(() => undefined);
  for (const step of await parts.samples!.steps()) await parts.samples!.at(step);
  await parts.samples!.poll();
  await parts.facts!();
}

describe('Trackio source: bad databases', () => {
  let writer: TrackioWriter;
  beforeEach(async () => {
    writer = await TrackioWriter.start(tempDir());
  });
  afterEach(async () => {
    await writer.close();
  });

  it('says a locked database is locked, keeps its place, and reads the rows once the lock is gone', async () => {
    await writer.log('r', [1, 2]);
    const parts = trackioParts(runOf(writer.db, 'r'), options);
    await parts.metrics.tail(10);
    await writer.send({ op: 'lock' });
    const locked = await parts.metrics.poll();
    assert.deepStrictEqual(locked.rows, []);
    assert.deepStrictEqual(await parts.samples!.at(1), []);
    const facts = await parts.facts!();
    assert.match(facts.problems!.join(), /proj\.db: the database is locked/);
    await writer.send({ op: 'unlock' });
    await writer.log('r', [3]);
    assert.deepStrictEqual(
      (await parts.metrics.poll()).rows.map((r) => r.step),
      [3],
    );
    assert.deepStrictEqual((await parts.facts!()).problems, []);
  });

  it('counts a corrupt record and reads the rows around it', async () => {
    await writer.log('r', [1]);
    await writer.send({ op: 'raw', run: 'r', text: '{"train/reward": 0.3, "train/glo' });
    await writer.log('r', [2]);
    const parts = trackioParts(runOf(writer.db, 'r'), options);
    const { rows, bad } = await parts.metrics.tail(10);
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [1, 2],
    );
    assert.deepStrictEqual(bad, { 'proj.db': 1 });
    await parts.metrics.readAll(() => undefined);
    assert.deepStrictEqual(
      (await parts.metrics.poll()).bad,
      {},
      'a poll reports only records it had not counted',
    );
    assert.deepStrictEqual((await parts.facts!()).bad, { 'proj.db': 1 }, 'counted once, not per read');
    assert.deepStrictEqual(await parts.samples!.steps(), [1, 2]);
  });

  it('says which column is missing when the schema drifted', async () => {
    await writer.log('r', [1]);
    await writer.send({ op: 'drift' });
    const parts = trackioParts(runOf(writer.db, 'r'), options);
    assert.deepStrictEqual((await parts.metrics.tail(10)).rows, []);
    const facts = await parts.facts!();
    assert.match(
      facts.problems!.join(),
      /no column metrics \(has id, run_id, timestamp, run_name, step, payload/,
    );
    assert.deepStrictEqual(await findTrackioRuns(writer.dir, ['proj.db'], options), []);
  });

  it('finds nothing in a database without a metrics table, and says so when opened', async () => {
    const dir = tempDir();
    const other = path.join(dir, 'other.db');
    spawnSync(PYTHON, [
      '-c',
      'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("CREATE TABLE t(x)"); c.commit()',
      other,
    ]);
    assert.deepStrictEqual(await findTrackioRuns(dir, ['other.db', 'notes.txt'], options), []);
    const parts = trackioParts(runOf(other, 'r'), options);
    await readEverything(parts);
    assert.match((await parts.facts!()).problems!.join(), /other\.db: the database has no metrics table/);
  });

  it('says Python is missing instead of throwing', async () => {
    const parts = trackioParts(runOf(writer.db, 'r'), { python: '/nonexistent/python3' });
    assert.deepStrictEqual((await parts.metrics.tail(10)).rows, []);
    assert.match((await parts.facts!()).problems!.join(), /Python was not found at "\/nonexistent\/python3"/);
  });

  it('reads a rollback-journal database (Trackio on Spaces), and says when it is locked', async () => {
    const spaces = await TrackioWriter.start(tempDir(), 'proj', 'current', 'delete');
    try {
      await spaces.log('r', [1, 2]);
      const before = listing(spaces.dir);
      assert.deepStrictEqual(Object.keys(before), ['proj.db']);
      const parts = trackioParts(runOf(spaces.db, 'r'), options);
      await readEverything(parts);
      assert.deepStrictEqual(
        (await parts.metrics.tail(10)).rows.map((r) => r.step),
        [1, 2],
      );
      assert.deepStrictEqual(listing(spaces.dir), before);
      await spaces.send({ op: 'lock' });
      assert.deepStrictEqual((await parts.metrics.poll()).rows, []);
      assert.match((await parts.facts!()).problems!.join(), /locked/);
    } finally {
      await spaces.close();
    }
  });

  it('writes nothing next to a live database (no file added, none changed, -shm included)', async () => {
    await writer.log('r', [1, 2, 3]);
    const before = listing(writer.dir);
    assert.ok(before['proj.db-wal'] && before['proj.db-shm'], 'the writer keeps a -wal and a -shm');
    const parts = trackioParts((await findTrackioRuns(writer.dir, ['proj.db'], options))[0], options);
    await readEverything(parts);
    assert.deepStrictEqual(listing(writer.dir), before);
  });

  it('writes nothing next to a closed database (SQLite would create -wal and -shm)', async () => {
    await writer.log('r', [1, 2, 3]);
    await writer.close();
    const before = listing(writer.dir);
    assert.deepStrictEqual(Object.keys(before), ['proj.db']);
    const parts = trackioParts((await findTrackioRuns(writer.dir, ['proj.db'], options))[0], options);
    await readEverything(parts);
    assert.strictEqual((await parts.metrics.tail(10)).rows.length, 3);
    assert.deepStrictEqual(listing(writer.dir), before);
  });
});
