// Notes and tags sidecars: inside our run directory for our runs, next to (never inside)
// another trainer's folder for theirs; atomic writes, broken files said, never overwritten by a read.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  addRunTags,
  notesLocation,
  parseTagList,
  readRunNotes,
  setRunTags,
  targetOf,
  writeRunNote,
} from '../../../src/runs/notes';
import { RunNotesIndex } from '../../../src/runs/notesIndex';
import { TrlRunWriter } from '../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { listing } from './listing';

function inside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return !rel.startsWith('..') && !path.isAbsolute(rel);
}

describe('notes and tags sidecars', () => {
  let root: string;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => removeDir(root));

  it('keeps our run’s note and tags in our run directory', async () => {
    const dir = path.join(root, 'runs', 'demo');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'run.json'), '{"format": "grpo-lens/1"}');
    const where = notesLocation(targetOf(dir));
    assert.strictEqual(where.noteFile, path.join(dir, 'note.md'));
    assert.strictEqual(where.tagsFile, path.join(dir, 'tags.json'));
    assert.deepStrictEqual(await setRunTags(dir, [' baseline ', 'beta=0.1', 'baseline', 'a,b', '']), [
      'baseline',
      'beta=0.1',
      'a b',
    ]);
    await writeRunNote(dir, '# Why\n\nbeta too high: **KL** explodes');
    const read = await readRunNotes(dir);
    assert.deepStrictEqual(read.tags, ['baseline', 'beta=0.1', 'a b']);
    assert.match(read.note, /KL\*\* explodes/);
    assert.deepStrictEqual(JSON.parse(fs.readFileSync(where.tagsFile, 'utf8')), {
      format: 'grpo-lens-tags/1',
      tags: ['baseline', 'beta=0.1', 'a b'],
    });
    assert.deepStrictEqual(
      fs.readdirSync(dir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left behind',
    );
    assert.deepStrictEqual(await addRunTags(dir, ['sweep:beta', 'baseline']), [
      'baseline',
      'beta=0.1',
      'a b',
      'sweep:beta',
    ]);
  });

  it('never writes inside another trainer’s folder: the sidecar goes next to it', async () => {
    const trl = path.join(root, 'outputs', 'qwen-grpo');
    const writer = new TrlRunWriter(trl, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 2,
      promptsPerStep: 1,
      maxSteps: 3,
      saveSteps: 1,
    });
    writer.steps(2);
    const before = listing(trl);
    const run = { id: trl, dir: trl, source: 'trl' as const };
    await setRunTags(run, ['sweep:lr', 'lr=1e-6']);
    await writeRunNote(run, 'TRL baseline');
    assert.deepStrictEqual(listing(trl), before, 'nothing written into the output_dir');
    const where = notesLocation(run);
    assert.strictEqual(where.tagsFile, path.join(root, 'outputs', '.grpo-lens', 'qwen-grpo.tags.json'));
    assert.ok(!inside(where.noteFile, trl) && !inside(where.tagsFile, trl));
    assert.deepStrictEqual((await readRunNotes(run)).tags, ['sweep:lr', 'lr=1e-6']);
    // A string naming the folder finds the same sidecar (it holds no run.json: not ours).
    assert.deepStrictEqual((await readRunNotes(trl)).tags, ['sweep:lr', 'lr=1e-6']);
  });

  it('tells apart several runs of one folder (verl log files, Trackio runs) and never lands inside it', () => {
    const logs = path.join(root, 'verl_logs', 'gsm8k');
    const a = notesLocation({ id: path.join(logs, 'a.jsonl'), dir: logs, source: 'verl' });
    const b = notesLocation({ id: path.join(logs, 'b.jsonl'), dir: logs, source: 'verl' });
    assert.notStrictEqual(a.tagsFile, b.tagsFile);
    assert.strictEqual(a.tagsFile, path.join(root, 'verl_logs', '.grpo-lens', 'gsm8k', 'a.jsonl.tags.json'));
    const trackioDir = path.join(root, 'trackio');
    const t = notesLocation({
      id: `${path.join(trackioDir, 'proj.db')}#run:1/x`,
      dir: trackioDir,
      source: 'trackio',
    });
    assert.ok(!inside(t.tagsFile, trackioDir), t.tagsFile);
    assert.strictEqual(path.basename(t.tagsFile), 'proj.db#run_1_x.tags.json');
  });

  it('says a broken tags file is broken, and neither a read nor addRunTags overwrites it', async () => {
    const dir = path.join(root, 'r');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'status.json'), '{}');
    fs.writeFileSync(path.join(dir, 'tags.json'), '{"tags": [unfinished');
    const read = await readRunNotes(dir);
    assert.deepStrictEqual(read.tags, []);
    assert.match(read.problem ?? '', /tags\.json could not be read/);
    await assert.rejects(addRunTags(dir, ['x']), /could not be read/);
    assert.strictEqual(fs.readFileSync(path.join(dir, 'tags.json'), 'utf8'), '{"tags": [unfinished');
  });

  it('parses a typed tag list', () => {
    assert.deepStrictEqual(parseTagList(' sweep:beta ,beta=0.1,, baseline '), [
      'sweep:beta',
      'beta=0.1',
      'baseline',
    ]);
  });

  it('the index hears a write and reads the run again', async () => {
    const dir = path.join(root, 'runs', 'x');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'run.json'), '{}');
    const index = new RunNotesIndex();
    try {
      const run = targetOf(dir);
      assert.deepStrictEqual((await index.ensure(run)).tags, []);
      const heard = new Promise<string[]>((resolve) => index.onDidChange(resolve));
      await setRunTags(dir, ['new']);
      assert.deepStrictEqual(await heard, [dir]);
      assert.deepStrictEqual(index.get(dir)?.tags, ['new']);
    } finally {
      index.dispose();
    }
  });
});
