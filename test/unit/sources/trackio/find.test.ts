// Finding Trackio runs, Trackio's folder, and its metric names mapped onto ours.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import {
  defaultTrackioDir,
  findTrackioRuns,
  splitTrackioRunId,
} from '../../../../src/runs/sources/trackio/find';
import { trackioRow } from '../../../../src/runs/sources/trackio/names';
import { trackioParts } from '../../../../src/runs/sources/trackio/parts';
import { PYTHON, TrackioWriter, listing, tempDir } from './writer';

const options = { python: PYTHON };

describe('Trackio source: finding runs', () => {
  it('asks the database again only when it or its -wal changed (each question starts a Python)', async () => {
    const dir = tempDir();
    const counter = path.join(dir, 'python-starts');
    const python = path.join(dir, 'counting-python.sh');
    fs.writeFileSync(python, `#!/bin/sh\necho x >> '${counter}'\nexec '${PYTHON}' "$@"\n`, { mode: 0o755 });
    const starts = () =>
      fs.existsSync(counter) ? fs.readFileSync(counter, 'utf8').split('\n').length - 1 : 0;
    const writer = await TrackioWriter.start(dir, 'proj');
    try {
      await writer.log('grpo-1', [1], false);
      const entries = () => fs.readdirSync(dir).filter((e) => e.endsWith('.db'));
      assert.strictEqual((await findTrackioRuns(dir, entries(), { python })).length, 1);
      const first = starts();
      assert.ok(first >= 1);
      assert.strictEqual((await findTrackioRuns(dir, entries(), { python })).length, 1);
      assert.strictEqual(starts(), first, 'unchanged database: no new Python');
      await writer.log('grpo-2', [1], false);
      assert.strictEqual((await findTrackioRuns(dir, entries(), { python })).length, 2, 'a new run is found');
      assert.ok(starts() > first);
    } finally {
      await writer.close();
    }
  });

  it('finds one run per run name in each project database, watching the db and its -wal', async () => {
    const dir = tempDir();
    const a = await TrackioWriter.start(dir, 'math');
    const b = await TrackioWriter.start(dir, 'code');
    try {
      await a.log('grpo-1', [1], false);
      await a.log('grpo-2', [1], false);
      await b.log('baseline', [1], false);
      fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a database');
      const runs = await findTrackioRuns(dir, fs.readdirSync(dir), options);
      const db = path.join(dir, 'math.db');
      assert.deepStrictEqual(
        runs.map((r) => r.name),
        ['code/baseline', 'math/grpo-1', 'math/grpo-2'],
      );
      assert.deepStrictEqual(
        runs.find((r) => r.name === 'math/grpo-2'),
        { id: `${db}#grpo-2`, dir, source: 'trackio', name: 'math/grpo-2', watch: [db, `${db}-wal`] },
      );
      assert.deepStrictEqual(splitTrackioRunId(`${db}#grpo-2`), { db, runName: 'grpo-2' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('reads the rows a killed writer left in its -wal file, and writes nothing', async () => {
    const writer = await TrackioWriter.start(tempDir());
    await writer.log('r', [1, 2, 3]);
    writer.kill();
    await new Promise((r) => setTimeout(r, 200));
    const before = listing(writer.dir);
    assert.ok(before['proj.db-wal'], 'the killed writer left its -wal');
    const [run] = await findTrackioRuns(writer.dir, ['proj.db'], options);
    const { rows } = await trackioParts(run, options).metrics.tail(10);
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [1, 2, 3],
    );
    assert.deepStrictEqual(listing(writer.dir), before);
  });

  it('starts over when the database is replaced by a new one', async () => {
    const dir = tempDir();
    let writer = await TrackioWriter.start(dir);
    await writer.log('r', [1, 2, 3]);
    const [run] = await findTrackioRuns(dir, ['proj.db'], options);
    const parts = trackioParts(run, options);
    await parts.metrics.tail(10);
    assert.deepStrictEqual(await parts.samples!.steps(), [1, 2, 3]);
    await writer.close();
    fs.rmSync(writer.db);
    writer = await TrackioWriter.start(dir);
    try {
      await writer.log('r', [1]);
      const polled = await parts.metrics.poll();
      assert.strictEqual(polled.restarted, true);
      assert.deepStrictEqual(
        polled.rows.map((r) => r.step),
        [1],
      );
      assert.deepStrictEqual((await parts.samples!.poll()).newSteps, [1]);
      assert.deepStrictEqual(await parts.samples!.steps(), [1]);
    } finally {
      await writer.close();
    }
  });
});

describe('Trackio source: its folder and names', () => {
  const home = '/home/ada';
  it('uses $TRACKIO_DIR, else <HF_HOME>/trackio as huggingface_hub computes HF_HOME', () => {
    assert.strictEqual(defaultTrackioDir({ TRACKIO_DIR: '/data/tk', HF_HOME: '/x' }, home), '/data/tk');
    assert.strictEqual(defaultTrackioDir({ HF_HOME: '~/hf' }, home), '/home/ada/hf/trackio');
    assert.strictEqual(defaultTrackioDir({ HF_HOME: '$SCRATCH/hf', SCRATCH: '/s' }, home), '/s/hf/trackio');
    assert.strictEqual(defaultTrackioDir({ XDG_CACHE_HOME: '/xdg' }, home), '/xdg/huggingface/trackio');
    assert.strictEqual(defaultTrackioDir({}, home), '/home/ada/.cache/huggingface/trackio');
  });

  it("maps TrackioCallback's names (train/ prefix, train/global_step) onto ours", () => {
    const row = trackioRow(
      7,
      {
        'train/reward': 0.5,
        'train/learning_rate': 1e-6,
        'train/global_step': 3,
        'train/completions/mean_length': 21,
        'eval/loss': 0.2,
        'train/kl': 'NaN',
        'train/grad_norm': null,
      },
      '2026-11-30T22:14:17.500000+00:00',
    );
    assert.deepStrictEqual(row, {
      step: 3,
      time: Date.parse('2026-11-30T22:14:17.5Z') / 1000,
      reward: 0.5,
      lr: 1e-6,
      'completions/mean_length': 21,
      'eval/loss': 0.2,
    });
    assert.deepStrictEqual(trackioRow(7, { loss: 1, learning_rate: 2 }), { step: 7, loss: 1, lr: 2 });
  });
});
