// The fixture writer must produce what pandas + pyarrow produce, or the reader's tests
// prove nothing about real TRL files.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { parquetMetadata } from 'hyparquet';
import { TrlRunWriter } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

describe('TRL fixture: completions Parquet as pandas + pyarrow write it', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('trl-fixture-')));
  afterEach(() => removeDir(dir));

  it('writes Snappy column chunks, dictionary-encoded strings and pandas metadata', () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 5,
    });
    run.step();
    const bytes = fs.readFileSync(path.join(dir, 'completions', 'completions_00001.parquet'));
    const metadata = parquetMetadata(
      bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer,
    );
    const chunks = metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data!));
    assert.deepStrictEqual(
      chunks.map((c) => c.path_in_schema.join('.')),
      ['step', 'prompt', 'completion', 'accuracy_reward', 'advantage'],
    );
    for (const chunk of chunks) assert.strictEqual(chunk.codec, 'SNAPPY', chunk.path_in_schema.join('.'));
    for (const name of ['prompt', 'completion']) {
      const chunk = chunks.find((c) => c.path_in_schema[0] === name)!;
      assert.ok(chunk.encodings.includes('RLE_DICTIONARY'), `${name}: ${chunk.encodings.join(',')}`);
      assert.ok(chunk.dictionary_page_offset !== undefined, `${name} has a dictionary page`);
    }
    const strings = metadata.schema.filter((e) => e.name === 'prompt' || e.name === 'completion');
    assert.ok(strings.every((e) => e.type === 'BYTE_ARRAY' && e.converted_type === 'UTF8'));
    assert.strictEqual(metadata.schema.find((e) => e.name === 'step')?.type, 'INT64');
    assert.ok(metadata.key_value_metadata?.some((kv) => kv.key === 'pandas'));
  });

  it('writes trainer_state.json as json.dumps(indent=2, sort_keys=True)', () => {
    const run = new TrlRunWriter(dir, {
      rewardFuncs: ['f'],
      numGenerations: 2,
      promptsPerStep: 1,
      maxSteps: 2,
      saveSteps: 2,
    });
    run.steps(2);
    const text = fs.readFileSync(path.join(dir, 'checkpoint-2', 'trainer_state.json'), 'utf8');
    assert.match(text, /^\{\n {2}"best_global_step": null,\n {2}"best_metric": null,/);
    assert.match(text, /\n {2}"global_step": 2,\n/);
    assert.match(text, /"learning_rate": 5e-07,/); // Python's float repr
    assert.match(text, /"epoch": 1\.0,/);
    assert.ok(text.endsWith('}\n'));
  });
});
