// Bad run files said plainly (hardening): unreadable lines never erase history or
// vanish uncounted, a corrupt status.json and a newer format are named on the run,
// and a folder with only status.json is listed.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import type { MetricRow } from '../../../src/runs/model';
import { RunIndexStore } from '../../../src/runs/store';
import { jsonl, makeTempDir, removeDir } from './tempDir';

function run(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
  return dir;
}

const FINISHED = JSON.stringify({ state: 'finished', step: 20 });
const twentySteps = () => jsonl(Array.from({ length: 20 }, (_, i) => ({ step: i + 1, loss: i })));

describe('bad run files, said plainly', () => {
  let root: string;
  let store: RunIndexStore;
  beforeEach(() => (root = makeTempDir()));
  afterEach(() => {
    store?.dispose();
    removeDir(root);
  });

  async function open(): Promise<void> {
    store = new RunIndexStore({ roots: () => [root], debounceMs: 10 });
    await store.start();
  }

  it('an unreadable line with an older step is counted, and erases no history', async () => {
    const dir = run(root, 'a', {
      'run.json': '{"name": "a"}',
      'status.json': FINISHED,
      'metrics.jsonl': twentySteps() + '{"step": 2, "loss": NaN}\n',
    });
    await open();
    const all: MetricRow[] = [];
    await store.readAllMetrics(dir, (r) => all.push(r));
    assert.deepStrictEqual(
      all.map((r) => r.step),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    assert.strictEqual(store.get(dir)?.badLines['metrics.jsonl'], 1);
  });

  it('counts lines without a step, with a non-integer step, or with an infinite value', async () => {
    const dir = run(root, 'b', {
      'run.json': '{"name": "b"}',
      'status.json': '{"state": "finished"}',
      'metrics.jsonl':
        jsonl([
          { step: 1, loss: 1 },
          { loss: 2 },
          { step: '14', loss: 3 },
          { step: 2.5 },
          { warmup_step: 3 },
        ]) + '{"step": 3, "loss": 1e999, "reward": 0.5}\n',
    });
    await open();
    const summary = store.get(dir)!;
    assert.strictEqual(
      summary.badLines['metrics.jsonl'],
      4,
      'no step, "14", 2.5 and 1e999; warm-up lines are fine',
    );
    assert.strictEqual(summary.step, 3, 'the finite values of the 1e999 line are kept');
    assert.strictEqual(summary.latest.reward, 0.5);
    assert.strictEqual(summary.latest.loss, 1, 'Infinity is not a value');
  });

  it('says what is wrong with a corrupt status.json', async () => {
    const dir = run(root, 'c', { 'run.json': '{"name": "c"}', 'status.json': '{"state": "runn' });
    await open();
    const summary = store.get(dir)!;
    assert.strictEqual(summary.state, 'unknown');
    assert.match(summary.problems.join('\n'), /status\.json could not be read: it is not valid JSON/);
    assert.match(summary.error ?? '', /status\.json could not be read/);
  });

  it('refuses a newer major format with a message naming it', async () => {
    const dir = run(root, 'd', {
      'run.json': '{"format": "grpo-lens/2", "name": "d"}',
      'status.json': '{"state": "running", "step": 3}',
    });
    await open();
    const summary = store.get(dir)!;
    assert.strictEqual(summary.state, 'unknown');
    assert.match(summary.error ?? '', /grpo-lens\/2, newer than this GRPO Lens reads \(grpo-lens\/1\)/);
  });

  it('lists a folder with only status.json, with its error', async () => {
    const dir = run(root, 'e', {
      'status.json': JSON.stringify({ state: 'failed', error: 'config: "beta" must be a number' }),
    });
    await open();
    assert.strictEqual(store.get(dir)?.state, 'failed');
    assert.strictEqual(store.get(dir)?.error, 'config: "beta" must be a number');
  });

  it('counts bad lines appended to samples.jsonl on the run, and never lists an empty group', async () => {
    const dir = run(root, 'f', {
      'run.json': '{"name": "f"}',
      'status.json': JSON.stringify({ state: 'running', pid: process.pid, step: 1 }),
      'metrics.jsonl': jsonl([{ step: 1, loss: 1 }]),
      'samples.jsonl': jsonl([
        { step: 1, group: 0, prompt: 'p', completions: [{ text: 'a', reward: 1, advantage: 0 }] },
      ]),
    });
    await open();
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"step": 2, "group": 0, "prompt": "'),
      Buffer.from([0xff, 0xfe, 0xfd]),
      Buffer.from('", "completions": []}\n'),
    ]);
    fs.appendFileSync(path.join(dir, 'samples.jsonl'), invalidUtf8);
    fs.appendFileSync(path.join(dir, 'samples.jsonl'), '{"step": 2, "group": 1, "prompt": "q", "compl\n');
    fs.appendFileSync(
      path.join(dir, 'samples.jsonl'),
      jsonl([{ step: 2, group: 2, prompt: 'r', completions: [] }]),
    );
    await store.refresh();
    assert.strictEqual(store.get(dir)?.badLines['samples.jsonl'], 2, 'invalid UTF-8 and a torn record');
    assert.deepStrictEqual(await store.samplesAt(dir, 2), [], 'a group without completions is not listed');
    assert.strictEqual((await store.samplesAt(dir, 1)).length, 1);
  });
});
