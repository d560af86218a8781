import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MetricRow } from '../../../../src/runs/model';
import { canonicalRow } from '../../../../src/runs/sources/canonicalNames';
import type { FoundRun, MetricFeed } from '../../../../src/runs/sources/source';
import { TRL_NAMES, TRL_PREFIXES, trlParts } from '../../../../src/runs/sources/trl';
import { STALE_MS } from '../../../../src/runs/sources/trl/completionsFeed';
import { TrlRunWriter } from '../../../fixtures/writers/trlRun';
import { makeTempDir, removeDir } from '../../runs/tempDir';

function found(dir: string): FoundRun {
  return { id: dir, dir, source: 'trl', name: path.basename(dir), watch: [dir] };
}

/** Stands in for the TensorBoard reader: rows as it maps tags with TRL's table. */
function fakeEventsFeed(tags: Record<string, number>[]): { feed: MetricFeed; logdirs: string[][] } {
  const logdirs: string[][] = [];
  const rows = (): MetricRow[] => tags.map((t, i) => canonicalRow(i + 1, t, TRL_NAMES, TRL_PREFIXES));
  const feed: MetricFeed = {
    tail: async (n) => ({ rows: rows().slice(-n) }),
    poll: async () => ({ rows: [] }),
    readAll: async (onRow) => rows().forEach(onRow),
  };
  return { feed, logdirs };
}

/** transformers' default logging_dir: output_dir/runs/<Mon DD_HH-MM-SS>_<host>/. */
function addEventFileDir(dir: string): string {
  const logdir = path.join(dir, 'runs', 'Nov30_22-00-00_host');
  fs.mkdirSync(logdir, { recursive: true });
  // Only the name matters here: the fake events feed does not read it.
  fs.writeFileSync(path.join(logdir, 'events.out.tfevents.1764540000.host.123.0'), '');
  return logdir;
}

describe('TRL run parts', () => {
  let dir: string;
  beforeEach(() => (dir = makeTempDir('trl-parts-')));
  afterEach(() => removeDir(dir));

  const options = {
    rewardFuncs: ['accuracy_reward'],
    numGenerations: 2,
    promptsPerStep: 2,
    maxSteps: 4,
    saveSteps: 2,
  };

  it('reads metrics from trainer_state.json when there are no event files', async () => {
    new TrlRunWriter(dir, options).steps(2);
    const parts = trlParts(found(dir), { eventsFeed: () => assert.fail('no event files') });
    const { rows } = await parts.metrics.tail(10);
    assert.deepStrictEqual(
      rows.map((r) => r.step),
      [1, 2],
    );
  });

  it('reads metrics from the event files when they exist and an events feed is given', async () => {
    new TrlRunWriter(dir, options).steps(2);
    const logdir = addEventFileDir(dir);
    const events = fakeEventsFeed([
      { 'train/reward': 0.1, 'train/rewards/accuracy_reward': 0.2 },
      { 'train/train_runtime': 5 },
    ]);
    const parts = trlParts(found(dir), {
      eventsFeed: (logdirs) => (events.logdirs.push(logdirs), events.feed),
    });
    const { rows } = await parts.metrics.tail(10);
    assert.deepStrictEqual(events.logdirs, [[logdir]]);
    assert.deepStrictEqual(rows, [{ step: 1, reward: 0.1, 'rewards/accuracy_reward/mean': 0.2 }]);
  });

  it('follows a live run: a new checkpoint brings metric rows, a new completions file a sample step', async () => {
    const run = new TrlRunWriter(dir, { ...options, maxSteps: 10 });
    run.steps(2);
    const parts = trlParts(found(dir));
    assert.deepStrictEqual(
      (await parts.metrics.tail(100)).rows.map((r) => r.step),
      [1, 2],
    );
    assert.deepStrictEqual((await parts.samples!.poll()).newSteps, [1, 2]);
    run.step();
    assert.deepStrictEqual(await parts.samples!.poll(), { newSteps: [3] });
    assert.deepStrictEqual((await parts.metrics.poll()).rows, []); // no checkpoint yet
    run.step();
    assert.deepStrictEqual(
      (await parts.metrics.poll()).rows.map((r) => r.step),
      [3, 4],
    );
    assert.deepStrictEqual(await parts.samples!.poll(), { newSteps: [4] });
  });

  it('tells checkpoints, max_steps and whether training reached it', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(3);
    fs.mkdirSync(path.join(dir, 'checkpoint-4')); // being saved: no trainer_state.json yet
    const parts = trlParts(found(dir));
    const facts = await parts.facts!();
    assert.deepStrictEqual(facts.checkpoints, [{ step: 2, path: path.join(dir, 'checkpoint-2') }]);
    assert.strictEqual(facts.totalSteps, 4);
    assert.strictEqual(facts.finished, false);
    assert.deepStrictEqual(facts.problems, []);
    run.step();
    run.finish();
    const done = await parts.facts!();
    assert.deepStrictEqual(
      done.checkpoints?.map((c) => c.step),
      [2, 4],
    );
    assert.strictEqual(done.finished, true);
  });

  it('shows a trainer state that stays unreadable as a problem', async () => {
    new TrlRunWriter(dir, options).steps(2);
    const file = path.join(dir, 'checkpoint-2', 'trainer_state.json');
    fs.writeFileSync(file, '{"global_step": 2, "log_hist');
    const old = (Date.now() - STALE_MS - 5000) / 1000;
    fs.utimesSync(file, old, old);
    const facts = await trlFacts(dir);
    assert.strictEqual(facts.problems?.length, 1);
    assert.match(facts.problems![0], /checkpoint-2\/trainer_state\.json could not be read/);
  });

  it('groups completions with the config the event files carry, and names rewards from the metrics', async () => {
    const prompt = () => 'one question for every group';
    new TrlRunWriter(dir, { ...options, rewardWeights: [2], prompt }).steps(2);
    addEventFileDir(dir);
    const args = { num_generations: 2, reward_weights: [2], scale_rewards: 'group' };
    const parts = trlParts(found(dir), { trainingArgs: async () => args });
    const groups = await parts.samples!.at(2);
    assert.deepStrictEqual(
      groups.map((g) => g.completions.length),
      [2, 2],
    );
    const c = groups.flatMap((g) => g.completions).find((x) => x.rewards.accuracy_reward > 0)!;
    assert.strictEqual(c.reward, 2 * c.rewards.accuracy_reward);
    assert.deepStrictEqual((await parts.facts!()).config, args);
  });

  it('says when the run last wrote', async () => {
    const run = new TrlRunWriter(dir, options);
    run.steps(1);
    const parts = trlParts(found(dir));
    const before = await parts.lastWrite();
    assert.ok(before !== undefined && before <= Date.now());
    const old = (Date.now() - 600_000) / 1000;
    for (const p of [dir, path.join(dir, 'completions'), run.completionsFile(1)]) fs.utimesSync(p, old, old);
    const quiet = (await parts.lastWrite())!;
    run.step();
    assert.ok((await parts.lastWrite())! > quiet);
  });

  async function trlFacts(runDir: string) {
    return trlParts(found(runDir)).facts!();
  }
});
