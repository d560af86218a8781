// The inference worker end to end: a real worker thread running the committed fixture,
// while the calling thread's event loop stays free.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { InferenceClient } from '../../../src/inference/client';
import { InferenceError } from '../../../src/inference/errors';
import { OnnxTokenDetailProvider } from '../../../src/inference/tokenDetailProvider';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURE = path.join(ROOT, 'test/fixtures/onnx');
const WORKER = path.join(ROOT, 'out/src/inference/inference.worker.js');

/** A run directory laid out as the trainer writes it, with the fixture's exports. */
function fixtureRun(): string {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-run-'));
  const ckpt = path.join(run, 'checkpoints', 'step-000002');
  fs.mkdirSync(ckpt, { recursive: true });
  fs.copyFileSync(path.join(FIXTURE, 'policy.onnx'), path.join(ckpt, 'policy.onnx'));
  fs.copyFileSync(path.join(FIXTURE, 'reference.onnx'), path.join(run, 'reference.onnx'));
  fs.copyFileSync(path.join(FIXTURE, 'tokenizer.json'), path.join(run, 'tokenizer.json'));
  fs.writeFileSync(
    path.join(run, 'run.json'),
    JSON.stringify({ config: { temperature: 1, max_completion_length: 8 } }),
  );
  return run;
}

describe('InferenceClient (worker thread)', function () {
  this.timeout(30_000);
  let client: InferenceClient;
  const notices: string[] = [];
  beforeEach(() => {
    client = new InferenceClient({
      executionProvider: 'cpu',
      cacheSize: 2,
      idleMs: 60_000,
      workerPath: WORKER,
      workerIdleMs: 200,
      onNotice: (n) => notices.push(n),
    });
  });
  afterEach(() => client.dispose());

  it('describes each completion token under the policy and the reference', async () => {
    const run = fixtureRun();
    const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 100 }));
    assert.strictEqual(await provider.canDescribe(run), true);
    const details = await provider.describeTokens({
      runDir: run,
      prompt: '12+34=',
      tokens: ['4', '6', '<eos>'],
      topK: 3,
    });
    assert.strictEqual(details.length, 3);
    for (const d of details) {
      assert.ok(d.policyLogprob <= 0 && d.referenceLogprob! <= 0 && d.entropy >= 0);
      assert.strictEqual(d.policyTop.length, 3);
      assert.strictEqual(d.referenceTop!.length, 3);
      assert.ok(d.policyTop[0].prob >= d.policyTop[1].prob);
      assert.strictEqual(typeof d.policyTop[0].token, 'string');
    }
    assert.notStrictEqual(details[0].policyLogprob, details[0].referenceLogprob);
  });

  it("scores the trainer's own token ids when the samples logged them (token_ids)", async () => {
    const run = fixtureRun();
    const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 100 }));
    const ask = (tokens: string[], tokenIds?: number[]) =>
      provider.describeTokens({ runDir: run, prompt: '12+34=', tokens, tokenIds, topK: 3 });
    const tokenizer = JSON.parse(fs.readFileSync(path.join(FIXTURE, 'tokenizer.json'), 'utf8'));
    const ids = ['7', '6', '<eos>'].map((t) => tokenizer.vocab.indexOf(t) as number);
    const byIds = await ask(['4', '6', '<eos>'], ids); // the strings say 4, the ids say 7: ids win
    const byText = await ask(['7', '6', '<eos>']);
    assert.deepStrictEqual(
      byIds.map((d) => d.policyLogprob),
      byText.map((d) => d.policyLogprob),
    );
    assert.notStrictEqual(byIds[0].policyLogprob, (await ask(['4', '6', '<eos>']))[0].policyLogprob);
  });

  it('explains a run without an export, and a model over the size limit', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-empty-'));
    const told: string[] = [];
    const provider = new OnnxTokenDetailProvider(
      client,
      () => ({ maxModelMB: 0.01 }),
      (err) => told.push(err.message),
    );
    assert.strictEqual(await provider.canDescribe(empty), false);
    await assert.rejects(
      provider.describeTokens({ runDir: empty, prompt: '1+1=', tokens: ['2'], topK: 3 }),
      (err: InferenceError) => err.code === 'no-export' && /has no ONNX export/.test(err.message),
    );
    await assert.rejects(
      provider.describeTokens({ runDir: fixtureRun(), prompt: '1+1=', tokens: ['2'], topK: 3 }),
      (err: InferenceError) => err.code === 'too-big' && /grpoLens\.inference\.maxModelMB/.test(err.message),
    );
    assert.strictEqual(told.length, 2, 'every failure reaches onError (hovers swallow rejections)');
  });

  it('samples G completions reproducibly for a seed', async () => {
    const model = path.join(FIXTURE, 'policy.onnx');
    const request = {
      model,
      context: [1, 20, 21],
      count: 4,
      maxTokens: 6,
      temperature: 1,
      topP: 0.9,
      seed: 3,
      eosId: 2,
    };
    const a = await client.generate(request);
    const b = await client.generate(request);
    assert.strictEqual(a.length, 4);
    assert.deepStrictEqual(a, b);
    for (const c of a) {
      assert.strictEqual(c.ids.length, c.logprobs.length);
      assert.ok(c.ids.length >= 1 && c.ids.length <= 6);
    }
  });

  it('keeps the calling event loop free while the model runs', async () => {
    const model = path.join(FIXTURE, 'policy.onnx');
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const long = Array.from({ length: 64 }, (_, i) => 3 + (i % 90));
    await client.logits(
      model,
      Array.from({ length: 32 }, () => long),
    );
    clearInterval(timer);
    assert.ok(ticks > 0, 'timers fired while inference ran');
  });

  it('ends the worker when idle and starts it again on demand', async () => {
    await client.logits(path.join(FIXTURE, 'policy.onnx'), [[1, 2]]);
    assert.strictEqual(client.running, true);
    await new Promise((r) => setTimeout(r, 400));
    assert.strictEqual(client.running, false);
    await client.logits(path.join(FIXTURE, 'policy.onnx'), [[1, 2]]);
  });

  it('falls back to the CPU with a notice when CUDA is asked for and missing', async () => {
    client.configure({ executionProvider: 'cuda' });
    notices.length = 0;
    const out = await client.logits(path.join(FIXTURE, 'reference.onnx'), [[1, 2, 3]]);
    assert.deepStrictEqual(out.dims.slice(0, 2), [1, 3]);
    assert.ok(
      notices.some((n) => /CUDA is not available.*using the CPU/.test(n)),
      notices.join('\n'),
    );
  });
});
