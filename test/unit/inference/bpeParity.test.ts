// A run of a BPE model, end to end outside VS Code: a byte-level BPE tokenizer.json (built by
// bpeFixture.ts) and ONNX exports of a PyTorch model with that vocabulary (the trainer's
// export.py, run here with /usr/bin/python3). Token details for a completion logged with
// token_ids must equal the log-probs PyTorch computes for the same prompt ids and token ids;
// for a chat-format run the prompt ids are the rendered chat template's, in token details and
// in the playground.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BpeTokenizer } from '../../../src/inference/bpeTokenizer';
import { InferenceClient } from '../../../src/inference/client';
import { sampleCompletions } from '../../../src/inference/playground';
import type { TokenDetail } from '../../../src/inspect/tokenDetails';
import { OnnxTokenDetailProvider } from '../../../src/inference/tokenDetailProvider';
import { buildBpeTokenizer, CHATML } from './bpeFixture';

const ROOT = path.resolve(__dirname, '../../../..');
const WORKER = path.join(ROOT, 'out/src/inference/inference.worker.js');
const PYTHON = process.env.GRPO_LENS_PYTHON ?? '/usr/bin/python3';
const CORPUS = ['What is 3+4? The answer is 7.', 'Grüße aus Köln, 中文 and 🙂.', 'The answer is 42.'];
// export both models and print log_softmax of each completion token given the context (T = 1)
const PYTORCH = `
import json, sys, torch
from grpo_lens.export import export_model
from grpo_lens.models.tiny_gpt import TinyGPT
vocab, run, ckpt, context, completion = json.loads(sys.argv[1])
out = {}
for name, seed, folder in (("policy", 0, ckpt), ("reference", 1, run)):
    torch.manual_seed(seed)
    model = TinyGPT(vocab, 1, 2, 16, 64).eval()
    export_model(model, f"{folder}/{name}.onnx", 64)
    with torch.no_grad():
        logits = model(torch.tensor([context + completion]))[0, len(context) - 1:-1]
        logp = torch.log_softmax(logits.double(), -1)
    out[name] = [float(logp[i, t]) for i, t in enumerate(completion)]
print(json.dumps(out))
`;

describe('token details of a BPE run (tokenizer.json + ONNX, parity with PyTorch)', function () {
  this.timeout(60_000);
  const fixture = buildBpeTokenizer(CORPUS, 40);
  const config = { eos_token: '<|endoftext|>', pad_token: '<|endoftext|>', model_max_length: 64 };
  const tok = new BpeTokenizer(fixture.json, config);
  let client: InferenceClient;
  before(() => {
    client = new InferenceClient({
      executionProvider: 'cpu',
      cacheSize: 2,
      idleMs: 60_000,
      workerPath: WORKER,
    });
  });
  after(() => client.dispose());

  /** A run directory with the tokenizer files, run.json's config and a checkpoint folder. */
  function bpeRun(tokenizerConfig: object, runConfig: object): { run: string; ckpt: string } {
    const run = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-bpe-'));
    const ckpt = path.join(run, 'checkpoints', 'step-000001');
    fs.mkdirSync(ckpt, { recursive: true });
    fs.writeFileSync(path.join(run, 'tokenizer.json'), JSON.stringify(fixture.json));
    fs.writeFileSync(path.join(run, 'tokenizer_config.json'), JSON.stringify(tokenizerConfig));
    fs.writeFileSync(path.join(run, 'run.json'), JSON.stringify({ config: runConfig }));
    return { run, ckpt };
  }

  /** Exports both models into the run and returns PyTorch's log-probs of ids after context. */
  function pytorchLogprobs(run: string, ckpt: string, context: number[], ids: number[]) {
    const args = JSON.stringify([tok.size, run, ckpt, context, ids]);
    const env = { ...process.env, PYTHONPATH: path.join(ROOT, 'trainer') };
    return JSON.parse(execFileSync(PYTHON, ['-c', PYTORCH, args], { env, encoding: 'utf8' })) as {
      policy: number[];
      reference: number[];
    };
  }

  function assertAgreesWithPytorch(details: TokenDetail[], torch: { policy: number[]; reference: number[] }) {
    details.forEach((d, i) => {
      assert.ok(Math.abs(d.policyLogprob - torch.policy[i]) < 1e-4, `policy, token ${i}`);
      assert.ok(Math.abs(d.referenceLogprob! - torch.reference[i]) < 1e-4, `reference, token ${i}`);
    });
  }

  it('scores the logged token_ids after the BPE-encoded prompt, as PyTorch does', async () => {
    const { run, ckpt } = bpeRun(config, { temperature: 1, max_completion_length: 8 });
    const prompt = 'What is 3+4? 中文';
    const ids = [...tok.encode(' The answer is 語'), tok.eosId!]; // 語: three byte tokens
    const names = ids.map((id) => tok.token(id));
    const torch = pytorchLogprobs(run, ckpt, tok.encodePrompt(prompt), ids);
    const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 100 }));
    const details = await provider.describeTokens({
      runDir: run,
      prompt,
      tokens: names,
      tokenIds: ids,
      topK: 3,
    });
    assert.strictEqual(details.length, ids.length);
    assertAgreesWithPytorch(details, torch);
    // alternatives are named as the trainer names tokens
    const named = new Set(Array.from({ length: tok.size }, (_, id) => tok.token(id)));
    assert.ok(details.every((d) => d.policyTop.every((t) => named.has(t.token))));
    // without token_ids, the logged names map back to the same ids (byte tokens included)
    const again = await provider.describeTokens({ runDir: run, prompt, tokens: names, topK: 3 });
    assert.deepStrictEqual(
      again.map((d) => d.policyLogprob),
      details.map((d) => d.policyLogprob),
    );
    fs.rmSync(run, { recursive: true, force: true });
  });

  it('a chat-format run: token details and the playground read the rendered chat template', async () => {
    const chatConfig = { ...config, chat_template: CHATML };
    const runConfig = {
      temperature: 1,
      max_completion_length: 8,
      prompt_format: 'chat',
      system_prompt: 'Be brief.',
    };
    const { run, ckpt } = bpeRun(chatConfig, runConfig);
    const prompt = 'What is 3+4?';
    // what the trainer samples from: apply_chat_template's text, encoded with no BOS added
    const chat = tok.encode(
      `<|im_start|>system\nBe brief.<|im_end|>\n<|im_start|>user\n${prompt}<|im_end|>\n<|im_start|>assistant\n`,
    );
    assert.ok(chat.length + 8 <= config.model_max_length, 'the whole chat context fits');
    const ids = [...tok.encode(' The answer is 7.'), tok.eosId!];
    const torch = pytorchLogprobs(run, ckpt, chat, ids);
    const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 100 }));
    const tokens = ids.map((id) => tok.token(id));
    const details = await provider.describeTokens({ runDir: run, prompt, tokens, tokenIds: ids, topK: 3 });
    assertAgreesWithPytorch(details, torch);
    // the playground samples from the same context: its log-probs are those token details give
    const settings = { count: 2, temperature: 1, topP: 1, maxTokens: 4, seed: 5 };
    const request = { runDir: run, checkpointDir: ckpt, prompt, settings, maxModelMB: 100 };
    for (const completion of await sampleCompletions(client, request)) {
      const sampled = tok.encodeTokens(completion.tokens);
      const scored = await provider.describeTokens({
        runDir: run,
        prompt,
        tokens: completion.tokens,
        tokenIds: sampled,
        topK: 1,
        checkpointDir: ckpt,
      });
      scored.forEach((d, i) =>
        assert.ok(Math.abs(d.policyLogprob - completion.logprobs[i]) < 1e-4, `sampled token ${i}`),
      );
    }
    fs.rmSync(run, { recursive: true, force: true });
  });
});
