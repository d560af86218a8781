import * as assert from 'assert';
import * as fs from 'fs';
import { decodeEvent, type DecodedEvent } from '../../../../src/runs/sources/tensorboard/events';
import { frameRecord } from '../../../../src/runs/sources/tensorboard/frame';
import { RecordReader } from '../../../../src/runs/sources/tensorboard/records';
import { readTailRecords } from '../../../../src/runs/sources/tensorboard/tailRecords';
import { EventFileWriter, scalarEvent } from '../../../fixtures/writers/tfevents';
import { makeTempDir, removeDir } from '../../runs/tempDir';

function events(records: Buffer[]): DecodedEvent[] {
  return records.map((r) => decodeEvent(r)!);
}

/** A file of `steps` steps with `perStep` scalars each, written in one go. */
function writeLargeFile(dir: string, steps: number, perStep: number): string {
  const events: Uint8Array[] = [];
  for (let step = 1; step <= steps; step++) {
    for (let k = 0; k < perStep; k++)
      events.push(scalarEvent(`train/metric_${k}`, step + k / 100, step, step));
  }
  return new EventFileWriter(dir).addEvents(events).path;
}

describe('reading the end of an event file', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('finds the last steps of a large file while reading a small part of it', async () => {
    const file = writeLargeFile(dir, 10000, 10);
    const size = fs.statSync(file).size;
    const tail = await readTailRecords(
      file,
      (records) => new Set(events(records).map((e) => e.step)).size > 5,
    );
    assert.ok(tail);
    const steps = [...new Set(events(tail.records).map((e) => e.step))];
    assert.deepStrictEqual(steps.slice(-5), [9996, 9997, 9998, 9999, 10000]);
    assert.ok(tail.start > 0 && tail.bytesRead < size / 10, `read ${tail.bytesRead} of ${size} bytes`);
    assert.strictEqual(tail.end.offset, size);
    assert.strictEqual(tail.bad, 0);
  });

  it('reads further back while it has not got enough', async () => {
    const file = writeLargeFile(dir, 3000, 10);
    const tail = await readTailRecords(
      file,
      (records) => new Set(events(records).map((e) => e.step)).size > 2500,
      4096,
    );
    const steps = new Set(events(tail!.records).map((e) => e.step));
    assert.ok(steps.size > 2500);
    assert.ok(steps.has(3000) && steps.has(501));
  });

  it('returns the whole file, file_version first, when it never has enough', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1).addScalar('a', 2, 2);
    const tail = await readTailRecords(writer.path, () => false, 16);
    assert.strictEqual(tail!.start, 0);
    assert.deepStrictEqual(
      events(tail!.records).map((e) => e.fileVersion ?? e.step),
      ['brain.Event:2', 1, 2],
    );
  });

  it('leaves a torn last record for the follower that starts where the tail ended', async () => {
    const file = writeLargeFile(dir, 2000, 10);
    const framed = frameRecord(scalarEvent('train/metric_0', 7, 2001, 2001));
    fs.appendFileSync(file, framed.subarray(0, 20));
    const tail = await readTailRecords(file, () => true);
    assert.strictEqual(events(tail!.records).at(-1)?.step, 2000);
    const follower = new RecordReader(file, { ...tail!.end, identity: tail!.identity });
    assert.deepStrictEqual((await follower.poll()).records, []);
    fs.appendFileSync(file, framed.subarray(20));
    const later = await follower.poll();
    assert.deepStrictEqual(
      events(later.records).map((e) => e.step),
      [2001],
    );
    assert.strictEqual(later.bad, 0);
  });

  it('counts a corrupt record inside the stretch it reads', async () => {
    const writer = new EventFileWriter(dir).addScalar('a', 1, 1);
    writer.addCorrupt(scalarEvent('a', 2, 2, 2)).addScalar('a', 3, 3);
    const tail = await readTailRecords(writer.path, () => false);
    assert.strictEqual(tail!.bad, 1);
    assert.deepStrictEqual(
      events(tail!.records).map((e) => e.step),
      [0, 1, 3],
    );
  });

  it('handles an empty file and a missing one', async () => {
    const empty = `${dir}/events.out.tfevents.0.h.1.0`;
    fs.writeFileSync(empty, '');
    const tail = await readTailRecords(empty, () => false);
    assert.deepStrictEqual([tail!.records, tail!.end.offset], [[], 0]);
    assert.strictEqual(await readTailRecords(`${dir}/nope`, () => true), undefined);
  });
});
