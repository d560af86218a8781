import * as assert from 'assert';
import * as fs from 'fs';
import { CompletionsFeed, STALE_MS } from '../../../../src/runs/sources/trl/completionsFeed';
import { TrlRunWriter } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

const options = { rewardFuncs: ['accuracy_reward'], numGenerations: 2, promptsPerStep: 2, maxSteps: 1000 };

/** Cuts a finished file as a crash or a read mid-write leaves it: the footer not yet written. */
function truncate(file: string): void {
  const bytes = fs.readFileSync(file);
  fs.writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
}

function age(file: string, ms: number): void {
  const then = (Date.now() - ms) / 1000;
  fs.utimesSync(file, then, then);
}

/** Counts files opened through fs.promises until restored. */
function countOpens(): { count: number; restore(): void } {
  const { open, readFile } = fs.promises;
  const counter = {
    count: 0,
    restore: () => Object.assign(fs.promises, { open, readFile }),
  };
  Object.assign(fs.promises, {
    open: (...args: Parameters<typeof open>) => (counter.count++, open(...args)),
    readFile: (...args: Parameters<typeof readFile>) => (counter.count++, readFile(...args)),
  });
  return counter;
}

describe('TRL completions feed', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('trl-completions-')));
  afterEach(() => removeDir(dir));

  it('lists steps from the file names and reports new files as they appear', async () => {
    const run = new TrlRunWriter(dir, { ...options, loggingSteps: 2 });
    run.steps(4);
    const feed = new CompletionsFeed(dir, async () => ({}));
    assert.deepStrictEqual(await feed.steps(), [2, 4]);
    assert.deepStrictEqual(await feed.poll(), { newSteps: [2, 4] });
    assert.deepStrictEqual(await feed.poll(), { newSteps: [] });
    run.steps(2);
    assert.deepStrictEqual(await feed.poll(), { newSteps: [6] });
    assert.strictEqual((await feed.at(6)).length, 2);
    assert.deepStrictEqual(await feed.at(3), []);
  });

  it('waits for a file being written, then reports it once whole', async () => {
    const run = new TrlRunWriter(dir, options);
    run.step();
    const file = run.completionsFile(1);
    const whole = fs.readFileSync(file);
    truncate(file);
    const feed = new CompletionsFeed(dir, async () => ({}));
    assert.deepStrictEqual(await feed.poll(), { newSteps: [] });
    assert.deepStrictEqual(await feed.at(1), []);
    fs.writeFileSync(file, whole);
    assert.deepStrictEqual(await feed.poll(), { newSteps: [1] });
    assert.strictEqual((await feed.at(1)).length, 2);
  });

  it('counts a file that stays truncated as bad, once, without throwing', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(2);
    truncate(run.completionsFile(2));
    age(run.completionsFile(2), STALE_MS + 5_000);
    const feed = new CompletionsFeed(dir, async () => ({}));
    assert.deepStrictEqual(await feed.poll(), {
      newSteps: [1],
      bad: { 'completions/completions_00002.parquet': 1 },
    });
    assert.deepStrictEqual(await feed.at(2), []);
    assert.deepStrictEqual(await feed.poll(), { newSteps: [] });
  });

  it('counts a whole-looking but corrupt file as bad when it is read', async () => {
    const run = new TrlRunWriter(dir, options);
    run.step();
    const file = run.completionsFile(1);
    const bytes = fs.readFileSync(file);
    bytes.fill(0x55, 8, bytes.length - 8); // footer magic intact, contents garbage
    fs.writeFileSync(file, bytes);
    age(file, STALE_MS + 5_000);
    const feed = new CompletionsFeed(dir, async () => ({}));
    assert.deepStrictEqual(await feed.poll(), { newSteps: [1] });
    assert.deepStrictEqual(await feed.at(1), []);
    assert.deepStrictEqual(await feed.poll(), {
      newSteps: [],
      bad: { 'completions/completions_00001.parquet': 1 },
    });
  });

  it('lists 500 files without opening them', async () => {
    const run = new TrlRunWriter(dir, { ...options, maxSteps: 500 });
    run.step();
    const template = fs.readFileSync(run.completionsFile(1));
    for (let step = 2; step <= 500; step++) fs.writeFileSync(run.completionsFile(step), template);
    const feed = new CompletionsFeed(dir, async () => ({}));
    await feed.steps(); // warm
    const opened = countOpens();
    const started = process.hrtime.bigint();
    const steps = await feed.steps();
    const listMs = Number(process.hrtime.bigint() - started) / 1e6;
    opened.restore();
    assert.strictEqual(opened.count, 0);
    assert.strictEqual(steps.length, 500);
    assert.strictEqual(steps[499], 500);
    assert.ok(listMs < 250, `listing took ${listMs.toFixed(1)} ms`);
    // The first poll checks each new file's 12 bytes of magic; later polls only list.
    const checked = countOpens();
    const pollStarted = process.hrtime.bigint();
    assert.strictEqual((await feed.poll()).newSteps.length, 500);
    const pollMs = Number(process.hrtime.bigint() - pollStarted) / 1e6;
    checked.restore();
    assert.strictEqual(checked.count, 500); // the counter sees opens
    const again = countOpens();
    assert.deepStrictEqual(await feed.poll(), { newSteps: [] });
    again.restore();
    assert.strictEqual(again.count, 0);
    console.log(`      500 files: steps() ${listMs.toFixed(1)} ms, first poll() ${pollMs.toFixed(1)} ms`);
  });
});
