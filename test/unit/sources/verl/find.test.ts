import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { findVerlRuns } from '../../../../src/runs/sources/verl/find';
import { makeTempDir, removeDir } from '../../runs/tempDir';
import { type DumpOp, steps, writeVerl } from './verlWriter';

function dump(dir: string, step: number): DumpOp {
  return { op: 'dump', dir, step, inputs: ['q', 'q'], outputs: ['a', 'b'], scores: [1, 0] };
}

async function find(dir: string) {
  return findVerlRuns(dir, fs.readdirSync(dir));
}

describe('finding verl runs', () => {
  let root: string;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  it("finds one run per file-logger JSONL in verl's default <project>/<experiment>.jsonl", async () => {
    const project = path.join(root, 'gsm8k_grpo');
    fs.mkdirSync(project);
    writeVerl(
      { op: 'log', path: path.join(project, 'qwen_a.jsonl'), writer: 'json', lines: steps(1, 2) },
      { op: 'log', path: path.join(project, 'qwen_b.jsonl'), writer: 'orjson', lines: steps(0, 1) },
    );
    const runs = await find(project);
    assert.deepStrictEqual(runs, [
      {
        id: path.join(project, 'qwen_a.jsonl'),
        dir: project,
        source: 'verl',
        name: 'qwen_a',
        watch: [path.join(project, 'qwen_a.jsonl')],
      },
      {
        id: path.join(project, 'qwen_b.jsonl'),
        dir: project,
        source: 'verl',
        name: 'qwen_b',
        watch: [path.join(project, 'qwen_b.jsonl')],
      },
    ]);
  });

  it('links the rollout dumps of a sole run, and shows its validation dumps as a run of their own', async () => {
    const file = path.join(root, 'exp.jsonl');
    writeVerl(
      { op: 'log', path: file, writer: 'json', lines: steps(1, 1) },
      dump(path.join(root, 'samples'), 1),
      dump(path.join(root, 'rollout_data'), 1),
      dump(path.join(root, 'val_generations'), 0),
    );
    const runs = await find(root);
    assert.deepStrictEqual(
      runs.map((r) => [r.id, r.name, r.watch]),
      [
        [file, 'exp', [file, path.join(root, 'rollout_data')]],
        [path.join(root, 'val_generations'), 'exp (validation)', [path.join(root, 'val_generations')]],
      ],
    );
  });

  it('links dumps in the same folder, or in any subfolder when none is named rollout*', async () => {
    writeVerl(
      { op: 'log', path: path.join(root, 'exp.jsonl'), writer: 'orjson', lines: steps(1, 1) },
      dump(root, 1),
    );
    assert.deepStrictEqual((await find(root))[0].watch, [path.join(root, 'exp.jsonl'), root]);
    const other = makeTempDir();
    try {
      writeVerl(
        { op: 'log', path: path.join(other, 'exp.jsonl'), writer: 'orjson', lines: steps(1, 1) },
        dump(path.join(other, 'dumps'), 1),
      );
      assert.deepStrictEqual((await find(other))[0].watch, [
        path.join(other, 'exp.jsonl'),
        path.join(other, 'dumps'),
      ]);
    } finally {
      removeDir(other);
    }
  });

  it('with several runs in a folder, links a dumps folder only to the run it names', async () => {
    writeVerl(
      { op: 'log', path: path.join(root, 'a.jsonl'), writer: 'json', lines: steps(1, 1) },
      { op: 'log', path: path.join(root, 'bee.jsonl'), writer: 'json', lines: steps(1, 1) },
      dump(path.join(root, 'rollouts_bee'), 1),
    );
    const runs = await find(root);
    assert.deepStrictEqual(
      runs.map((r) => r.watch.length),
      [1, 2],
    );
  });

  it('finds a folder of rollout dumps alone as a run', async () => {
    writeVerl(dump(root, 1), dump(root, 2));
    const runs = await find(root);
    assert.deepStrictEqual(runs, [
      { id: root, dir: root, source: 'verl', name: `${path.basename(root)} (rollout dumps)`, watch: [root] },
    ]);
  });

  it('finds nothing in folders that are not verl runs', async () => {
    // Our own metrics.jsonl, a TRL-like log, a half-written first line, an empty logger file,
    // numbered JSONL files that are not rollout dumps, and a file-logger line with a bad step.
    fs.writeFileSync(path.join(root, 'metrics.jsonl'), '{"step": 1, "reward": 0.5}\n');
    fs.writeFileSync(path.join(root, 'log.jsonl'), '{"loss": 1}\n');
    fs.writeFileSync(path.join(root, 'empty.jsonl'), '');
    fs.writeFileSync(path.join(root, 'notes.txt'), 'step 1\n');
    writeVerl(
      { op: 'log', path: path.join(root, 'torn.jsonl'), writer: 'json', lines: steps(1, 1), first_bytes: 30 },
      { op: 'log', path: path.join(root, 'badstep.jsonl'), writer: 'json', lines: [{ step: '1', data: {} }] },
      { op: 'log', path: path.join(root, '1.jsonl'), writer: 'json', lines: steps(1, 1) },
    );
    assert.deepStrictEqual(await find(root), []);
    assert.deepStrictEqual(await findVerlRuns(path.join(root, 'missing'), []), []);
  });
});
