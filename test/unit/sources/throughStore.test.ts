// Every foreign source through the run store, as the extension and the CLI use it:
// found by the workspace walk, summarised by the index, opened as a session, live
// as its files grow, idle when they stop, and never written to.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { RunChange, RunSummary } from '../../../src/runs/model';
import { RunIndexStore } from '../../../src/runs/store';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { EventFileWriter } from '../../fixtures/writers/tfevents';
import { TrlRunWriter } from '../../fixtures/writers/trlRun';
import { grpoStatus, logTrain } from './openrlhf/logTrain';
import { TrackioWriter } from './trackio/writer';
import { steps, writeVerl } from './verl/verlWriter';

/** Every file under a folder with its size and mtime: what "nothing was written" compares. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, e.name);
      if (e.isDirectory()) walk(full);
      else {
        const st = fs.statSync(full);
        out[path.relative(dir, full)] = `${st.size}@${st.mtimeMs}`;
      }
    }
  };
  walk(dir);
  return out;
}

export function waitFor(store: RunIndexStore, ok: (c: RunChange[]) => boolean, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no change within 8 s: ${what}`)), 8000);
    const sub = store.onDidChange((changes) => {
      if (!ok(changes)) return;
      clearTimeout(timer);
      sub.dispose();
      resolve();
    });
  });
}

async function openStore(root: string): Promise<RunIndexStore> {
  const store = new RunIndexStore({
    roots: () => [{ path: root, depth: 3 }],
    debounceMs: 10,
    livenessMs: 200,
  });
  await store.start();
  return store;
}

function only(store: RunIndexStore, source: string): RunSummary {
  const runs = store.runs().filter((r) => r.source === source);
  assert.strictEqual(
    runs.length,
    1,
    `one ${source} run among ${JSON.stringify(store.runs().map((r) => r.id))}`,
  );
  return runs[0];
}

describe('foreign runs through the run store', function () {
  this.timeout(30_000);
  let root: string;
  let store: RunIndexStore | undefined;
  const idle = process.env.GRPO_LENS_IDLE_SECONDS;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => {
    store?.dispose();
    removeDir(root);
    if (idle === undefined) delete process.env.GRPO_LENS_IDLE_SECONDS;
    else process.env.GRPO_LENS_IDLE_SECONDS = idle;
  });

  it('verl: found in the workspace, summarised, opened, live, then idle; nothing written', async () => {
    const logs = path.join(root, 'logs', 'gsm8k');
    const file = path.join(logs, 'qwen-grpo.jsonl');
    const rollouts = path.join(logs, 'rollouts');
    const dump = (step: number) => ({
      op: 'dump' as const,
      dir: rollouts,
      step,
      inputs: ['q1', 'q2', 'q1', 'q2'],
      outputs: ['a', 'b', 'c', 'd'],
      scores: [1, 0, 0, 1],
    });
    writeVerl({ op: 'log', path: file, writer: 'json', lines: steps(1, 2) }, dump(1));
    const before = listing(root);
    store = await openStore(root);
    const run = only(store, 'verl');
    assert.strictEqual(run.sourceLabel, 'verl');
    assert.strictEqual(run.name, 'qwen-grpo');
    assert.strictEqual(run.state, 'running', 'its files were just written');
    assert.strictEqual(run.step, 2);
    assert.strictEqual(run.latestReward, 0.2);
    assert.deepStrictEqual(run.capabilities, { control: false, tokenDetails: false, resume: false });
    assert.strictEqual(store.openSessions(), 0);

    const lease = store.hold(run.id);
    await lease.ready;
    assert.deepStrictEqual(
      store.recentMetrics(run.id).map((r) => [r.step, r.reward]),
      [
        [1, 0.1],
        [2, 0.2],
      ],
    );
    assert.deepStrictEqual(await store.sampleSteps(run.id), [1]);
    const groups = await store.samplesAt(run.id, 1);
    assert.deepStrictEqual(
      groups.map((g) => g.prompt),
      ['q1', 'q2'],
    );
    assert.ok(groups[0].completions.every((c) => c.advantage_computed === true));
    assert.deepStrictEqual(listing(root), before, 'reading wrote nothing into the trainer folder');

    const grew = waitFor(store, (c) => c.some((x) => x.newMetrics?.some((r) => r.step === 3)), 'step 3');
    writeVerl({ op: 'log', path: file, writer: 'json', open: false, lines: steps(3, 3) }, dump(3));
    await grew;
    assert.strictEqual(store.get(run.id)?.step, 3);
    assert.deepStrictEqual(await store.sampleSteps(run.id), [1, 3]);

    process.env.GRPO_LENS_IDLE_SECONDS = '0.5';
    await new Promise((r) => setTimeout(r, 1200));
    assert.strictEqual(store.get(run.id)?.state, 'idle', 'quiet files make a foreign run idle');
    lease.dispose();
  });

  it('TRL: an output_dir with completions and checkpoints is found, opened, live, then finished', async () => {
    const dir = path.join(root, 'outputs', 'qwen-grpo');
    const writer = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward', 'format_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 4,
      saveSteps: 1,
    });
    writer.steps(2);
    store = await openStore(root);
    const run = only(store, 'trl');
    assert.strictEqual(run.sourceLabel, 'TRL');
    assert.strictEqual(run.step, 2);
    assert.strictEqual(run.totalSteps, 4);
    assert.strictEqual(run.state, 'running');
    assert.deepStrictEqual(
      run.checkpoints.map((c) => c.step),
      [1, 2],
    );
    assert.strictEqual(typeof run.latestReward, 'number');
    const before = listing(root);
    const lease = store.hold(run.id);
    await lease.ready;
    assert.deepStrictEqual(
      store.recentMetrics(run.id).map((r) => r.step),
      [1, 2],
    );
    assert.deepStrictEqual(await store.sampleSteps(run.id), [1, 2]);
    const groups = await store.samplesAt(run.id, 2);
    assert.deepStrictEqual(
      groups.map((g) => g.completions.length),
      [4, 4],
    );
    assert.deepStrictEqual(Object.keys(groups[0].completions[0].rewards).sort(), [
      'accuracy_reward',
      'format_reward',
    ]);
    assert.strictEqual(groups[0].completions[0].advantage_computed, undefined, 'TRL logs its advantages');
    assert.deepStrictEqual(listing(root), before, 'reading wrote nothing');

    const grew = waitFor(store, (c) => c.some((x) => x.newMetrics?.some((r) => r.step === 3)), 'step 3');
    writer.step();
    await grew;
    assert.deepStrictEqual(await store.sampleSteps(run.id), [1, 2, 3]);
    const finished = waitFor(store, () => store!.get(run.id)?.state === 'finished', 'finished');
    writer.step();
    writer.finish();
    await finished;
    lease.dispose();
  });

  it('Trackio: a project database while Trackio writes it (rows only in the -wal), live; nothing written', async () => {
    fs.mkdirSync(path.join(root, 'trackio'));
    const writer = await TrackioWriter.start(path.join(root, 'trackio'));
    try {
      await writer.log('grpo-1', [1, 2, 3]);
      const before = listing(root);
      store = await openStore(root);
      const run = only(store, 'trackio');
      assert.strictEqual(run.name, 'proj/grpo-1');
      assert.strictEqual(run.id, `${writer.db}#grpo-1`);
      assert.strictEqual(run.step, 3);
      const lease = store.hold(run.id);
      await lease.ready;
      assert.deepStrictEqual(
        store.recentMetrics(run.id).map((r) => r.step),
        [1, 2, 3],
      );
      assert.deepStrictEqual(await store.sampleSteps(run.id), [1, 2, 3]);
      assert.strictEqual((await store.samplesAt(run.id, 2)).length, 2);
      assert.deepStrictEqual(listing(root), before, 'reading wrote nothing next to the database');
      const grew = waitFor(store, (c) => c.some((x) => x.newMetrics?.some((r) => r.step === 4)), 'step 4');
      await writer.log('grpo-1', [4]);
      await grew;
      lease.dispose();
    } finally {
      await writer.close();
    }
  });

  it('TRL with TensorBoard events: metrics live from the events (between checkpoints), config from "args"', async () => {
    const dir = path.join(root, 'outputs', 'trl-events');
    const writer = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 100,
      saveSteps: 50,
    });
    writer.steps(2);
    // transformers' TensorBoardCallback: args as text at the start, train/<key> scalars at each log.
    const events = new EventFileWriter(path.join(dir, 'runs', 'Nov30_22-00-00_gpu1'));
    events.addText('args', JSON.stringify({ output_dir: dir, learning_rate: 1e-6, num_generations: 4 }), 0);
    // simple_value is a float32: values it holds exactly.
    for (const step of [1, 2])
      events.addScalar('train/reward', step / 4, step).addScalar('train/kl', step / 64, step);
    store = await openStore(root);
    const run = only(store, 'trl');
    assert.strictEqual(run.step, 2);
    assert.strictEqual(run.latestReward, 0.5);
    assert.strictEqual(run.latest.kl, 2 / 64);
    assert.strictEqual(run.config?.learning_rate, 1e-6, 'the config is the TrainingArguments text summary');
    const lease = store.hold(run.id);
    await lease.ready;
    const grew = waitFor(store, (c) => c.some((x) => x.newMetrics?.some((r) => r.step === 3)), 'step 3');
    events.addScalar('train/reward', 0.75, 3).addScalar('train/kl', 3 / 64, 3);
    await grew;
    assert.deepStrictEqual(
      store.recentMetrics(run.id).map((r) => [r.step, r.reward, r.kl]),
      [
        [1, 0.25, 1 / 64],
        [2, 0.5, 2 / 64],
        [3, 0.75, 3 / 64],
      ],
    );
    lease.dispose();
  });

  it('OpenRLHF and plain TensorBoard logdirs: told apart by their tags, read by the same event reader', async () => {
    const openrlhf = new EventFileWriter(path.join(root, 'tensorboard', 'qwen-openrlhf'));
    for (const step of [1, 2, 3]) logTrain(openrlhf, step, grpoStatus(step));
    const plain = new EventFileWriter(path.join(root, 'tensorboard', 'other'));
    plain.addScalar('loss', 0.5, 1).addScalar('loss', 0.25, 2);
    store = await openStore(root);
    const o = only(store, 'openrlhf');
    assert.strictEqual(o.sourceLabel, 'OpenRLHF');
    assert.strictEqual(o.step, 3);
    assert.strictEqual(typeof o.latestReward, 'number');
    assert.ok(await store.sampleSteps(o.id).then((s) => s.length > 0), 'generated samples as sample steps');
    const t = only(store, 'tensorboard');
    assert.strictEqual(t.step, 2);
    assert.strictEqual(t.latest.loss, 0.25);
  });
});
