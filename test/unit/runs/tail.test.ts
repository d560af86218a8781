import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { readTailLines } from '../../../src/runs/tail';
import { jsonl, makeTempDir, removeDir } from './tempDir';

describe('reading the end of a large JSON Lines file', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir()));
  afterEach(() => removeDir(dir));

  it('returns the last lines and the offset after the last complete one', async () => {
    const file = path.join(dir, 'm.jsonl');
    const rows = Array.from({ length: 50_000 }, (_, i) => ({
      step: i,
      reward: i / 7,
      pad: 'p'.repeat(i % 30),
    }));
    fs.writeFileSync(file, jsonl(rows) + '{"step": 500');
    const tail = await readTailLines(file, 1000);
    assert.ok(tail);
    assert.strictEqual(tail.records.length, 1000);
    assert.strictEqual(tail.records[0].step, 49_000);
    assert.strictEqual(tail.records[999].step, 49_999);
    assert.strictEqual(tail.endOffset, fs.statSync(file).size - '{"step": 500'.length);
  });

  it('reads a whole small file and an empty one', async () => {
    const file = path.join(dir, 'm.jsonl');
    fs.writeFileSync(file, jsonl([{ step: 1 }, { step: 2 }]));
    assert.strictEqual((await readTailLines(file, 10))?.records.length, 2);
    fs.writeFileSync(file, '');
    assert.deepStrictEqual((await readTailLines(file, 10))?.records, []);
    assert.strictEqual(await readTailLines(path.join(dir, 'missing'), 10), undefined);
  });
});
