import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MetricRow } from '../../../../src/runs/model';
import { eventsMetricFeed } from '../../../../src/runs/sources/tensorboard/feed';
import { EventFileWriter, scalarEvent } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';

const TABLE = { 'train/rewards': 'reward', 'train/policy_loss': 'loss' };
const PREFIXES = [['train/', '']] as const;

/** Logs a step the way a trainer's add_scalar loop does: one event per scalar. */
function logStep(writer: EventFileWriter, step: number, reward: number): void {
  writer.addScalar('train/rewards', reward, step).addScalar('train/policy_loss', -reward, step);
  writer.addScalar('train/learning_rate', 1e-6, step);
}

function steps(rows: MetricRow[]): number[] {
  return rows.map((r) => r.step);
}

describe('a logdir of event files as a metric feed', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('groups one step’s scalars into one row under canonical names, timed in Unix seconds', async () => {
    const writer = new EventFileWriter(dir, { time: 1767268800 });
    logStep(writer, 1, 0.5);
    const { rows, bad } = await eventsMetricFeed([dir], TABLE, PREFIXES).tail(10);
    assert.deepStrictEqual(bad, {});
    assert.strictEqual(rows.length, 1);
    const row = rows[0];
    assert.deepStrictEqual(
      [row.step, row.reward, row.loss, row.learning_rate],
      [1, 0.5, -0.5, Math.fround(1e-6)],
    );
    assert.ok(Math.abs(row.time! - 1767268800.3) < 1e-3, `time ${row.time}`);
  });

  it('tails the last steps, then polls only what is appended (a file growing between polls)', async () => {
    const writer = new EventFileWriter(dir);
    for (let step = 1; step <= 200; step++) logStep(writer, step, step / 200);
    const feed = eventsMetricFeed([dir], TABLE, PREFIXES);
    assert.deepStrictEqual(steps((await feed.tail(5)).rows), [196, 197, 198, 199, 200]);
    assert.deepStrictEqual((await feed.poll()).rows, []);
    logStep(writer, 201, 1);
    writer.addScalar('train/rewards', 0.25, 202); // step 202's other scalars are not flushed yet
    const polled = await feed.poll();
    assert.deepStrictEqual(steps(polled.rows), [201, 202]);
    assert.deepStrictEqual(Object.keys(polled.rows[1]).sort(), ['reward', 'step', 'time']);
    writer.addScalar('train/policy_loss', -0.25, 202);
    assert.deepStrictEqual(
      (await feed.poll()).rows.map((r) => [r.step, r.loss]),
      [[202, -0.25]],
    );
  });

  it('tails a file larger than its first look with whole rows only', async () => {
    const writer = new EventFileWriter(dir);
    const events = [];
    for (let step = 1; step <= 4000; step++) {
      events.push(
        scalarEvent('train/rewards', step, step, step),
        scalarEvent('train/policy_loss', -step, step, step),
      );
    }
    writer.addEvents(events);
    assert.ok(fs.statSync(writer.path).size > 256 * 1024);
    const { rows } = await eventsMetricFeed([dir], TABLE, PREFIXES).tail(3);
    assert.deepStrictEqual(
      rows.map((r) => [r.step, r.reward, r.loss]),
      [
        [3998, 3998, -3998],
        [3999, 3999, -3999],
        [4000, 4000, -4000],
      ],
    );
  });

  it('picks up an event file that appears later, in a subfolder (a restart, TRL’s runs/<date_host>/)', async () => {
    const first = new EventFileWriter(path.join(dir, 'runs', 'Jan01_12-00-00_node'), { time: 1767268800 });
    for (let step = 1; step <= 3; step++) logStep(first, step, 0.1);
    const feed = eventsMetricFeed([dir], TABLE, PREFIXES);
    assert.deepStrictEqual(steps((await feed.tail(10)).rows), [1, 2, 3]);
    const second = new EventFileWriter(path.join(dir, 'runs', 'Jan01_13-00-00_node'), { time: 1767272400 });
    logStep(second, 3, 0.2);
    logStep(second, 4, 0.3);
    const polled = await feed.poll();
    assert.deepStrictEqual(
      polled.rows.map((r) => [r.step, r.reward]),
      [
        [3, Math.fround(0.2)],
        [4, Math.fround(0.3)],
      ],
    );
  });

  it('tails across files, oldest first, when the newest holds too few steps', async () => {
    const old = new EventFileWriter(dir, { time: 1767268800, uid: 0 });
    for (let step = 1; step <= 10; step++) logStep(old, step, 0.1);
    const resumed = new EventFileWriter(dir, { time: 1767270000, uid: 0 });
    for (let step = 9; step <= 11; step++) logStep(resumed, step, 0.9);
    const { rows } = await eventsMetricFeed([dir], TABLE, PREFIXES).tail(5);
    assert.deepStrictEqual(steps(rows), [9, 10, 9, 10, 11]);
    assert.deepStrictEqual(
      rows.slice(2).map((r) => r.reward),
      [0.9, 0.9, 0.9].map(Math.fround),
    );
  });

  it('streams every row of every file in file order', async () => {
    const old = new EventFileWriter(dir, { time: 1767268800 });
    for (let step = 1; step <= 4; step++) logStep(old, step, step);
    const newer = new EventFileWriter(path.join(dir, 'later'), { time: 1767270000 });
    logStep(newer, 5, 5);
    const seen: number[] = [];
    await eventsMetricFeed([dir], TABLE, PREFIXES).readAll((row) => seen.push(row.step));
    assert.deepStrictEqual(seen, [1, 2, 3, 4, 5]);
  });

  it('counts a corrupt record under the name of its file and keeps the rest', async () => {
    const writer = new EventFileWriter(dir);
    logStep(writer, 1, 0.1);
    writer.addCorrupt(scalarEvent('train/rewards', 0.2, 2, 2));
    logStep(writer, 3, 0.3);
    const { rows, bad } = await eventsMetricFeed([dir], TABLE, PREFIXES).tail(10);
    assert.deepStrictEqual(steps(rows), [1, 3]);
    assert.deepStrictEqual(bad, { [path.basename(writer.path)]: 1 });
  });

  it('starts over from the tail when a file is truncated', async () => {
    const writer = new EventFileWriter(dir);
    for (let step = 1; step <= 5; step++) logStep(writer, step, 0.1);
    const feed = eventsMetricFeed([dir], TABLE, PREFIXES);
    await feed.tail(10);
    fs.truncateSync(writer.path, 0);
    const fresh = new EventFileWriter(path.join(dir, 'tmp'));
    logStep(fresh, 1, 0.7);
    fs.writeFileSync(writer.path, fs.readFileSync(fresh.path));
    removeDir(path.join(dir, 'tmp'));
    const polled = await feed.poll();
    assert.strictEqual(polled.restarted, true);
    assert.deepStrictEqual(
      polled.rows.map((r) => [r.step, r.reward]),
      [[1, Math.fround(0.7)]],
    );
  });

  it('reads only the logdir’s own files at depth 0', async () => {
    logStep(new EventFileWriter(dir), 1, 0.1);
    logStep(new EventFileWriter(path.join(dir, 'loss_train')), 2, 0.2);
    const { rows } = await eventsMetricFeed([dir], TABLE, PREFIXES, { depth: 0 }).tail(10);
    assert.deepStrictEqual(steps(rows), [1]);
  });

  it('gives an empty feed for a logdir that does not exist', async () => {
    const feed = eventsMetricFeed([path.join(dir, 'nothing')], TABLE, PREFIXES);
    assert.deepStrictEqual(await feed.tail(10), { rows: [], bad: {} });
    assert.deepStrictEqual(await feed.poll(), { rows: [], bad: {} });
  });
});
