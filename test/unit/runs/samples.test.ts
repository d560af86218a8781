import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { SampleIndex } from '../../../src/runs/sampleIndex';
import { seekFirstLineAtStep, readStepLines } from '../../../src/runs/sampleSeek';
import { readSamplesAt, SampleReader } from '../../../src/runs/samplesOnDisk';
import { jsonl, makeTempDir, removeDir } from './tempDir';

const group = (step: number, g: number, text = `s${step}g${g}`) => ({
  step,
  group: g,
  prompt: `p${g}`,
  completions: [{ text, reward: 1, rewards: {}, advantage: 0, num_tokens: 3, truncated: false }],
  pad: 'x'.repeat((step * 37 + g * 11) % 300),
});

function groups(steps: number[], perStep = 3, tag = ''): object[] {
  return steps.flatMap((s) => Array.from({ length: perStep }, (_, g) => group(s, g, `s${s}g${g}${tag}`)));
}

describe('finding sample groups in samples.jsonl by seeking', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = makeTempDir();
    file = path.join(dir, 'samples.jsonl');
  });
  afterEach(() => removeDir(dir));

  it('finds every step of a monotone file by binary search', async () => {
    const steps = Array.from({ length: 400 }, (_, i) => i * 2 + 1);
    fs.writeFileSync(file, jsonl(groups(steps)));
    const handle = await fs.promises.open(file, 'r');
    const { size } = await handle.stat();
    for (const step of [1, 3, 201, 399, 799, 4]) {
      const offset = await seekFirstLineAtStep(handle, size, step);
      const { records } = await readStepLines(handle, offset, size, step);
      assert.strictEqual(records.length, step % 2 === 1 ? 3 : 0, `step ${step}`);
      for (const r of records) assert.strictEqual(r.step, step);
    }
    await handle.close();
  });

  it('indexes the current copy of each step after a resume', async () => {
    fs.writeFileSync(file, jsonl([...groups([1, 2, 3, 4, 5]), ...groups([3, 4, 5, 6], 3, 'resumed')]));
    const index = new SampleIndex();
    await index.extend(file);
    assert.deepStrictEqual(index.steps(), [1, 2, 3, 4, 5, 6]);
    const reader = new SampleReader();
    const at4 = await readSamplesAt(reader, file, 4, true);
    assert.deepStrictEqual(
      at4.map((g) => g.completions[0].text),
      ['s4g0resumed', 's4g1resumed', 's4g2resumed'],
    );
    const at2 = await readSamplesAt(reader, file, 2, true);
    assert.strictEqual(at2.length, 3);
  });

  it('extends its index as the file grows and ignores a torn last line', async () => {
    fs.writeFileSync(file, jsonl(groups([1, 2])) + '{"step": 3, "gro');
    const index = new SampleIndex();
    await index.extend(file);
    assert.deepStrictEqual(index.steps(), [1, 2]);
    fs.appendFileSync(file, 'up": 0, "completions": []}\n' + jsonl(groups([4])));
    await index.extend(file);
    assert.deepStrictEqual(index.steps(), [1, 2, 3, 4]);
  });
});
