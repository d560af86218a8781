import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { JsonlFollower } from '../../../src/runs/follower';
import { jsonl, makeTempDir, removeDir } from './tempDir';

describe('following a JSON Lines file', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'metrics.jsonl');
  });
  afterEach(() => removeDir(dir));

  it('returns nothing for a file that does not exist yet', async () => {
    const follower = new JsonlFollower(file);
    const result = await follower.poll();
    assert.deepStrictEqual(result.records, []);
    assert.strictEqual(result.restarted, false);
  });

  it('reads only what was appended since the last poll', async () => {
    fs.writeFileSync(file, jsonl([{ step: 1 }, { step: 2 }]));
    const follower = new JsonlFollower(file);
    assert.strictEqual((await follower.poll()).records.length, 2);
    fs.appendFileSync(file, jsonl([{ step: 3 }]));
    const result = await follower.poll();
    assert.deepStrictEqual(result.records, [{ step: 3 }]);
  });

  it('waits for the rest of a torn last line', async () => {
    fs.writeFileSync(file, '{"step":1}\n{"step":');
    const follower = new JsonlFollower(file);
    assert.deepStrictEqual((await follower.poll()).records, [{ step: 1 }]);
    assert.deepStrictEqual((await follower.poll()).records, []);
    fs.appendFileSync(file, '2,"reward":0.5}\n');
    const result = await follower.poll();
    assert.deepStrictEqual(result.records, [{ step: 2, reward: 0.5 }]);
    assert.strictEqual(result.bad, 0);
  });

  it('starts over when the file is truncated', async () => {
    fs.writeFileSync(file, jsonl([{ step: 1 }, { step: 2 }, { step: 3 }]));
    const follower = new JsonlFollower(file);
    await follower.poll();
    fs.writeFileSync(file, jsonl([{ step: 7 }]));
    const result = await follower.poll();
    assert.strictEqual(result.restarted, true);
    assert.deepStrictEqual(result.records, [{ step: 7 }]);
  });

  it('starts over when the file is replaced by a longer one (new inode)', async () => {
    fs.writeFileSync(file, jsonl([{ step: 1 }]));
    const follower = new JsonlFollower(file);
    await follower.poll();
    const replacement = path.join(dir, 'new.jsonl');
    fs.writeFileSync(replacement, jsonl([{ step: 10 }, { step: 11 }, { step: 12 }]));
    fs.renameSync(replacement, file);
    const result = await follower.poll();
    assert.strictEqual(result.restarted, true);
    assert.deepStrictEqual(
      result.records.map((r) => r.step),
      [10, 11, 12],
    );
  });

  it('reports a deleted file as a restart and reads it again when it comes back', async () => {
    fs.writeFileSync(file, jsonl([{ step: 1 }]));
    const follower = new JsonlFollower(file);
    await follower.poll();
    fs.unlinkSync(file);
    assert.strictEqual((await follower.poll()).restarted, true);
    fs.writeFileSync(file, jsonl([{ step: 1 }]));
    assert.deepStrictEqual((await follower.poll()).records, [{ step: 1 }]);
  });

  it('counts bad lines and keeps going', async () => {
    fs.writeFileSync(file, '{"step":1}\nnot json\n{"step":2\n{"step":3}\n');
    const result = await new JsonlFollower(file).poll();
    assert.deepStrictEqual(
      result.records.map((r) => r.step),
      [1, 3],
    );
    assert.strictEqual(result.bad, 2);
  });

  it('survives 10,000 fuzzed lines without throwing, counting every bad line', async () => {
    const random = seededRandom(42);
    let expectedGood = 0;
    let expectedBad = 0;
    const lines: string[] = [];
    for (let i = 0; i < 10_000; i++) {
      const kind = random();
      if (kind < 0.6) {
        lines.push(JSON.stringify({ step: i, reward: random() }));
        expectedGood++;
      } else {
        const junk = fuzzLine(random, i);
        lines.push(junk);
        if (junk.trim().length > 0) expectedBad++;
      }
    }
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const follower = new JsonlFollower(file);
    const result = await follower.poll();
    assert.strictEqual(result.records.length, expectedGood);
    assert.strictEqual(result.bad, expectedBad);
  });

  it('reads a file that grows while it is being read, never losing or duplicating a line', async () => {
    const follower = new JsonlFollower(file);
    const seen: number[] = [];
    const total = 2000;
    let written = 0;
    const writer = (async () => {
      while (written < total) {
        // Write in odd-sized pieces so that lines are torn across polls.
        const text = jsonl([{ step: written, pad: 'x'.repeat(written % 50) }]);
        const cut = 1 + (written % (text.length - 1));
        fs.appendFileSync(file, text.slice(0, cut));
        await new Promise((r) => setImmediate(r));
        fs.appendFileSync(file, text.slice(cut));
        written++;
      }
    })();
    while (written < total || seen.length < total) {
      const result = await follower.poll();
      assert.strictEqual(result.bad, 0);
      seen.push(...result.records.map((r) => r.step as number));
      await new Promise((r) => setImmediate(r));
    }
    await writer;
    assert.deepStrictEqual(
      seen,
      Array.from({ length: total }, (_, i) => i),
    );
  });
});

function seededRandom(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

/** A line that is not a JSON object: truncated JSON, garbage bytes, arrays, numbers, NaN… */
function fuzzLine(random: () => number, i: number): string {
  const good = JSON.stringify({ step: i, reward: 0.5 });
  const choices = [
    () => good.slice(0, Math.floor(random() * (good.length - 1))),
    () =>
      Array.from({ length: 1 + Math.floor(random() * 40) }, () =>
        String.fromCharCode(33 + Math.floor(random() * 90)),
      ).join(''),
    () => '[1,2,3]',
    () => String(random()),
    () => '{"step": NaN}',
    () => '\u0000\u0001{',
    () => 'null',
    () => good + good,
  ];
  return choices[Math.floor(random() * choices.length)]();
}
