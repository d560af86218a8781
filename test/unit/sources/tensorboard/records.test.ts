import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { decodeEvent } from '../../../../src/runs/sources/tensorboard/events';
import { FileWindow } from '../../../../src/runs/sources/tensorboard/fileWindow';
import { RecordReader, readRecordAt, scanRecords } from '../../../../src/runs/sources/tensorboard/records';
import { EventFileWriter, scalarEvent } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';

function stepsOf(records: Buffer[]): number[] {
  return records.map((r) => decodeEvent(r)?.step ?? -1);
}

describe('following an event file record by record', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('reads back what the writer wrote, the file_version event first', async () => {
    const writer = new EventFileWriter(dir).addScalar('train/loss', 0.5, 1).addScalar('train/loss', 0.25, 2);
    const { records, bad, restarted } = await new RecordReader(writer.path).poll();
    assert.strictEqual(bad, 0);
    assert.strictEqual(restarted, false);
    assert.strictEqual(decodeEvent(records[0])?.fileVersion, 'brain.Event:2');
    assert.deepStrictEqual(
      records.slice(1).map((r) => decodeEvent(r)?.scalars),
      [[['train/loss', 0.5]], [['train/loss', 0.25]]],
    );
  });

  it('reads only what was appended since the last poll', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    const reader = new RecordReader(writer.path);
    assert.strictEqual((await reader.poll()).records.length, 2);
    assert.strictEqual((await reader.poll()).records.length, 0);
    writer.addScalar('a', 2, 2).addScalar('a', 3, 3);
    assert.deepStrictEqual(stepsOf((await reader.poll()).records), [2, 3]);
    assert.strictEqual(reader.position, fs.statSync(writer.path).size);
  });

  it('waits for a record torn at the end of a live file, then returns it whole', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    const rest = writer.addTorn(scalarEvent('a', 2, 2, 1767268900), 15);
    const reader = new RecordReader(writer.path);
    const first = await reader.poll();
    assert.deepStrictEqual(stepsOf(first.records), [0, 1]);
    assert.strictEqual(first.bad, 0);
    assert.deepStrictEqual((await reader.poll()).records, []);
    writer.appendBytes(rest.subarray(0, 3));
    assert.deepStrictEqual((await reader.poll()).records, [], 'still torn');
    writer.appendBytes(rest.subarray(3)).addScalar('a', 3, 3);
    const later = await reader.poll();
    assert.deepStrictEqual(stepsOf(later.records), [2, 3]);
    assert.strictEqual(later.bad, 0);
  });

  it('counts a corrupt record once and resynchronises on the next good one', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    writer
      .addCorrupt(scalarEvent('a', 2, 2, 1767268900))
      .addScalar('a', 3, 3)
      .addScalar('a', 4, 4);
    const { records, bad } = await new RecordReader(writer.path).poll();
    assert.strictEqual(bad, 1);
    assert.deepStrictEqual(stepsOf(records), [0, 1, 3, 4]);
  });

  it('skips garbage between records (a damaged length) and reads on', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    writer.appendBytes(Buffer.from('this is not a record at all, 0123456789')).addScalar('a', 2, 2);
    const { records, bad } = await new RecordReader(writer.path).poll();
    assert.strictEqual(bad, 1);
    assert.deepStrictEqual(stepsOf(records), [0, 1, 2]);
  });

  it('counts a corrupt stretch at the end only once while it waits for more', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    writer.appendBytes(Buffer.from('garbage bytes at the end of the file'));
    const reader = new RecordReader(writer.path);
    assert.strictEqual((await reader.poll()).bad, 1);
    assert.strictEqual((await reader.poll()).bad, 0);
    writer.addScalar('a', 2, 2);
    const later = await reader.poll();
    assert.strictEqual(later.bad, 0);
    assert.deepStrictEqual(stepsOf(later.records), [2]);
  });

  it('starts over when the file is truncated or replaced', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1).addScalar('a', 2, 2);
    const reader = new RecordReader(writer.path);
    await reader.poll();
    const replacement = new EventFileWriter(path.join(dir, 'other')).addScalar('b', 9, 9);
    fs.renameSync(replacement.path, writer.path);
    const after = await reader.poll();
    assert.strictEqual(after.restarted, true);
    assert.deepStrictEqual(stepsOf(after.records), [0, 9]);
  });

  it('reads records across chunk boundaries of any size', async () => {
    const writer = new EventFileWriter(dir);
    for (let step = 1; step <= 50; step++) writer.addScalar(`tag/${'x'.repeat(step)}`, step, step);
    const handle = await fs.promises.open(writer.path, 'r');
    try {
      const size = (await handle.stat()).size;
      for (const chunk of [1, 7, 64, 1000]) {
        const steps: number[] = [];
        const end = await scanRecords(
          new FileWindow(handle, size, chunk),
          { offset: 0, skipping: false },
          (d) => {
            steps.push(decodeEvent(d)?.step ?? -1);
          },
        );
        assert.strictEqual(steps.length, 51, `chunk ${chunk}`);
        assert.deepStrictEqual(
          steps.slice(1),
          Array.from({ length: 50 }, (_, i) => i + 1),
        );
        assert.deepStrictEqual(end, { offset: size, skipping: false, bad: 0 });
      }
    } finally {
      await handle.close();
    }
  });

  it('hands out records that stay intact after the scan moves past their chunk (files over 4 MB)', async () => {
    const tag = `train/${'a_long_metric_name_'.repeat(3)}`;
    const events = Array.from({ length: 100000 }, (_, i) => scalarEvent(tag, i, i + 1, i));
    const writer = new EventFileWriter(dir).addEvents(events);
    assert.ok(fs.statSync(writer.path).size > 2 * 4 * 1024 * 1024);
    const { records, bad } = await new RecordReader(writer.path).poll();
    assert.strictEqual(bad, 0);
    assert.deepStrictEqual(stepsOf(records), [0, ...events.map((_, i) => i + 1)]);
  });

  it('reads one record again by its offset, and refuses an offset that is not a record', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1).addScalar('a', 2, 2);
    const offsets: number[] = [];
    await new RecordReader(writer.path).read((_d, offset) => void offsets.push(offset));
    assert.strictEqual(decodeEvent((await readRecordAt(writer.path, offsets[2]))!)?.step, 2);
    assert.strictEqual(await readRecordAt(writer.path, offsets[2] + 1), undefined);
  });

  it('returns nothing, and no error, for a file that does not exist', async () => {
    const result = await new RecordReader(path.join(dir, 'events.out.tfevents.missing')).poll();
    assert.deepStrictEqual(result, { records: [], bad: 0, restarted: false });
  });
});
