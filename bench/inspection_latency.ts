// Inspection latency and host responsiveness: token details (log-prob, entropy, top-5
// under policy and reference) of a 256-token completion, through the worker thread as
// the extension does it, while this thread (standing in for the extension host) measures
// its event-loop delay. For contrast, the same work run on this thread directly.
//
//   /usr/bin/python3 bench/inspection_models.py /tmp/glbench tiny qwen05
//   npm run compile-tests && node esbuild.js
//   node out/bench/inspection_latency.js /tmp/glbench/tiny [--tokens 256] [--repeats 5]
import * as path from 'path';
import { monitorEventLoopDelay } from 'perf_hooks';
import { InferenceClient } from '../src/inference/client';
import { Engine } from '../src/inference/engine';
import { loadTokenizer, policyModel } from '../src/inference/exports';
import { OnnxTokenDetailProvider, promptContext } from '../src/inference/tokenDetailProvider';

const ROOT = path.resolve(__dirname, '../..');

function arg(name: string, fallback: number): number {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
}

const ms = (ns: number) => ns / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Event-loop delay percentiles (ms) of this thread while `work` runs. */
async function lagDuring(work: () => Promise<unknown>): Promise<{ p50: number; p99: number; max: number }> {
  const h = monitorEventLoopDelay({ resolution: 1 });
  h.enable();
  await work();
  h.disable();
  return { p50: ms(h.percentile(50)), p99: ms(h.percentile(99)), max: ms(h.max) };
}

async function main(): Promise<void> {
  const runDir = path.resolve(process.argv[2] ?? '/tmp/glbench/tiny');
  const tokens = arg('tokens', 256);
  const repeats = arg('repeats', 5);
  const prompt = '12+34=';
  const text = Array.from({ length: tokens }, (_, i) => String.fromCharCode(33 + ((i * 7) % 90))).join('');
  const request = { runDir, prompt, tokens: [...text], topK: 5 };
  const client = new InferenceClient({
    executionProvider: 'cpu',
    cacheSize: 3,
    idleMs: 600_000,
    workerPath: path.join(ROOT, 'dist/inference.worker.js'),
  });
  const provider = new OnnxTokenDetailProvider(client, () => ({ maxModelMB: 0 }));

  const idle = await lagDuring(() => new Promise((r) => setTimeout(r, 2000)));
  let cold = 0;
  const coldLag = await lagDuring(async () => {
    const t = performance.now();
    await provider.describeTokens(request);
    cold = performance.now() - t;
  });
  const warm: number[] = [];
  const warmLag = await lagDuring(async () => {
    for (let i = 0; i < repeats; i++) {
      const t = performance.now();
      await provider.describeTokens(request);
      warm.push(performance.now() - t);
    }
  });
  client.dispose();

  // The same scoring on this thread, without the worker: what the host would suffer.
  const engine = new Engine({ executionProvider: 'cpu', cacheSize: 2, idleMs: 600_000 });
  const tokenizer = await loadTokenizer(runDir);
  const model = await policyModel(runDir);
  const scoreRequest = {
    model,
    context: promptContext(tokenizer, prompt, tokens),
    completion: tokenizer.encodeTokens([...text]),
    topK: 5,
    temperature: 1,
  };
  await engine.score(scoreRequest); // load
  const inThreadLag = await lagDuring(async () => {
    for (let i = 0; i < repeats; i++) await engine.score(scoreRequest);
  });
  engine.dispose();

  const result = {
    run: runDir,
    tokens,
    repeats,
    coldMs: Math.round(cold),
    warmMedianMs: Math.round(median(warm)),
    warmMaxMs: Math.round(Math.max(...warm)),
    hostLagIdle: idle,
    hostLagColdLoad: coldLag,
    hostLagDuringWorkerInference: warmLag,
    hostLagInThreadInference: inThreadLag,
  };
  console.log(JSON.stringify(result, (_k, v) => (typeof v === 'number' ? Math.round(v * 10) / 10 : v), 2));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
