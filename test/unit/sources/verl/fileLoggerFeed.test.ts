import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { FileLoggerFeed } from '../../../../src/runs/sources/verl/fileLoggerFeed';
import type { MetricRow } from '../../../../src/runs/model';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { type Writer, steps, stepData, writeVerl } from './verlWriter';

const stepsOf = (rows: MetricRow[]) => rows.map((r) => r.step);

for (const writer of ['json', 'orjson'] as Writer[]) {
  describe(`verl file logger metrics (${writer} writer)`, () => {
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = makeTempDir();
      file = path.join(dir, 'exp.jsonl');
    });
    afterEach(() => removeDir(dir));

    it('reads the last steps, then what verl appends, under canonical names', async () => {
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 5) });
      const feed = new FileLoggerFeed(file);
      const tail = await feed.tail(2);
      assert.deepStrictEqual(stepsOf(tail.rows), [4, 5]);
      assert.deepStrictEqual(tail.rows[1], {
        step: 5,
        reward: 0.5,
        kl: 0.05,
        loss: -0.005,
        'timing/generate_s': 1.5,
      });
      writeVerl({ op: 'log', path: file, writer, open: false, lines: steps(6, 7) });
      const poll = await feed.poll();
      assert.deepStrictEqual(stepsOf(poll.rows), [6, 7]);
      assert.strictEqual(poll.restarted, undefined);
      assert.deepStrictEqual(stepsOf((await feed.poll()).rows), []);
    });

    it('waits for a torn last line to be completed', async () => {
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 2), first_bytes: 20 });
      const feed = new FileLoggerFeed(file);
      assert.deepStrictEqual(stepsOf((await feed.tail(10)).rows), [1]);
      const waiting = await feed.poll();
      assert.deepStrictEqual(waiting.rows, []);
      assert.strictEqual(waiting.bad, undefined);
      writeVerl({ op: 'log', path: file, writer, open: false, lines: steps(2, 3), from_byte: 20 });
      const poll = await feed.poll();
      assert.deepStrictEqual(stepsOf(poll.rows), [2, 3]);
      assert.strictEqual(poll.rows[0].reward, 0.2);
      assert.strictEqual(poll.bad, undefined);
    });

    it('starts over, keeping nothing stale, when a restarted run truncates the file to less', async () => {
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 6) });
      const feed = new FileLoggerFeed(file);
      await feed.tail(100);
      writeVerl({
        op: 'log',
        path: file,
        writer,
        lines: [{ step: 4, data: stepData(4, { 'critic/score/mean': 9 }) }],
      });
      const poll = await feed.poll();
      assert.strictEqual(poll.restarted, true);
      assert.deepStrictEqual(poll.rows, [
        { step: 4, reward: 9, kl: 0.04, loss: -0.004, 'timing/generate_s': 1.5 },
      ]);
    });

    it('starts over when the restarted run has already written more than was read (same inode)', async () => {
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 2) });
      const feed = new FileLoggerFeed(file);
      await feed.tail(100);
      const inode = fs.statSync(file).ino;
      const rerun = steps(1, 5).map((l) => ({
        ...l,
        data: { ...l.data, 'critic/score/mean': 100 + l.step },
      }));
      writeVerl({ op: 'log', path: file, writer, lines: rerun });
      assert.strictEqual(fs.statSync(file).ino, inode);
      const poll = await feed.poll();
      assert.strictEqual(poll.restarted, true);
      assert.deepStrictEqual(
        poll.rows.map((r) => r.reward),
        [101, 102, 103, 104, 105],
      );
    });

    it('counts lines that are not {step, data} records, and never throws', async () => {
      writeVerl({
        op: 'log',
        path: file,
        writer,
        lines: [
          { step: 1, data: stepData(1) },
          { step: 2 },
          { step: 3, data: [1, 2] },
          { step: 'four', data: stepData(4) },
          { step: 5.5, data: stepData(5) },
          { step: 6, data: stepData(6) },
        ],
      });
      const feed = new FileLoggerFeed(file);
      const tail = await feed.tail(100);
      assert.deepStrictEqual(stepsOf(tail.rows), [1, 6]);
      assert.deepStrictEqual(tail.bad, { 'exp.jsonl': 4 });
      writeVerl({
        op: 'log',
        path: file,
        writer,
        open: false,
        lines: [{ step: 7, data: null }, ...steps(8, 8)],
      });
      const poll = await feed.poll();
      assert.deepStrictEqual(stepsOf(poll.rows), [8]);
      assert.deepStrictEqual(poll.bad, { 'exp.jsonl': 1 });
    });

    it('keeps a step whose values are NaN or infinite (the other values are read)', async () => {
      const nan = {
        step: 2,
        data: stepData(2, { 'actor/pg_loss': '__NaN__', 'actor/grad_norm': '__Inf__' }),
      };
      writeVerl({ op: 'log', path: file, writer, lines: [...steps(1, 1), nan] });
      const feed = new FileLoggerFeed(file);
      const tail = await feed.tail(100);
      assert.deepStrictEqual(tail.rows[1], { step: 2, reward: 0.2, kl: 0.02, 'timing/generate_s': 1.5 });
      assert.strictEqual(tail.bad, undefined);
      writeVerl({ op: 'log', path: file, writer, open: false, lines: [{ ...nan, step: 3 }] });
      assert.deepStrictEqual(stepsOf((await feed.poll()).rows), [3]);
      const all: MetricRow[] = [];
      await feed.readAll((row) => all.push(row));
      assert.deepStrictEqual(stepsOf(all), [1, 2, 3]);
    });

    it('streams every row from the start, leaving out a torn last line', async () => {
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 50), first_bytes: 10 });
      const all: MetricRow[] = [];
      await new FileLoggerFeed(file).readAll((row) => all.push(row));
      assert.deepStrictEqual(
        stepsOf(all),
        Array.from({ length: 49 }, (_, i) => i + 1),
      );
    });

    it('reads nothing, and throws nothing, before the file exists', async () => {
      const feed = new FileLoggerFeed(file);
      assert.deepStrictEqual(await feed.tail(10), { rows: [] });
      assert.deepStrictEqual((await feed.poll()).rows, []);
      writeVerl({ op: 'log', path: file, writer, lines: steps(1, 1) });
      assert.deepStrictEqual(stepsOf((await feed.poll()).rows), [1]);
    });
  });
}
