// Runs ONNX models with onnxruntime-node. Lives inside the inference worker thread (it
// blocks while a model runs); the extension host talks to it only through messages.

import * as os from 'os';
import type * as Ort from 'onnxruntime-node';
import { logSoftmax, row, summarizeRow } from './distribution';
import { InferenceError, firstLine, runtimeMissing } from './errors';
import type {
  EngineOptions,
  GenerateRequest,
  GeneratedCompletion,
  LogitsResult,
  ScoreRequest,
  ScoredToken,
} from './protocol';
import { sampleToken, seededRng } from './sampling';
import { SessionCache } from './sessionCache';

interface LoadedModel {
  session: Ort.InferenceSession;
  release(): Promise<void>;
}

export type RuntimeLoader = () => typeof Ort;

// eslint-disable-next-line @typescript-eslint/no-require-imports
const loadOnnxRuntime: RuntimeLoader = () => require('onnxruntime-node') as typeof Ort;

export class Engine {
  private cache: SessionCache<LoadedModel>;
  /** Messages for the user gathered while serving the current request. */
  readonly notices: string[] = [];

  private runtime: typeof Ort | undefined;

  /** loadRuntime is replaceable for tests of a platform without the native binding. */
  constructor(
    private options: EngineOptions,
    private readonly loadRuntime: RuntimeLoader = loadOnnxRuntime,
  ) {
    this.cache = new SessionCache(options.cacheSize, options.idleMs);
  }

  private ort(): typeof Ort {
    if (!this.runtime) {
      try {
        this.runtime = this.loadRuntime();
      } catch (err) {
        throw runtimeMissing(err);
      }
    }
    return this.runtime;
  }

  configure(options: EngineOptions): void {
    const same = JSON.stringify(options) === JSON.stringify(this.options);
    if (same) return;
    this.cache.clear();
    this.options = options;
    this.cache = new SessionCache(options.cacheSize, options.idleMs);
  }

  evictIdle(): number {
    return this.cache.evictIdle();
  }

  loadedModels(): string[] {
    return this.cache.keys();
  }

  dispose(): void {
    this.cache.clear();
  }

  /** Frees every native session and waits for it: call before the thread ends. */
  releaseAll(): Promise<void> {
    return this.cache.releaseAll();
  }

  /** Raw logits for equal-length sequences: [batch, seq, vocab]. */
  async logits(model: string, inputIds: number[][]): Promise<LogitsResult> {
    const session = (await this.load(model)).session;
    const seq = inputIds[0]?.length ?? 0;
    if (seq === 0 || inputIds.some((ids) => ids.length !== seq)) {
      throw new InferenceError('bad-input', 'Sequences must be non-empty and of equal length.');
    }
    const flat = BigInt64Array.from(inputIds.flat(), (id) => BigInt(id));
    const input = new (this.ort().Tensor)('int64', flat, [inputIds.length, seq]);
    let output: Ort.InferenceSession.OnnxValueMapType;
    try {
      output = await session.run({ [session.inputNames[0]]: input });
    } catch (err) {
      throw new InferenceError('failed', `The model could not run on this input: ${firstLine(String(err))}`);
    }
    const logits = output[session.outputNames[0]] as Ort.Tensor;
    return { data: logits.data as Float32Array, dims: logits.dims.map(Number) };
  }

  /** Log-prob, entropy and top-k alternatives of each completion token given the context. */
  async score(request: Omit<ScoreRequest, 'op'>): Promise<ScoredToken[]> {
    const ids = [...request.context, ...request.completion];
    const { data, dims } = await this.logits(request.model, [ids]);
    const vocab = dims[2];
    return request.completion.map((token, j) => {
      const position = request.context.length + j - 1; // the row that predicts this token
      if (position < 0) return { logprob: NaN, entropy: NaN, top: [] };
      return summarizeRow(row(data, 0, position, vocab), token, request.topK, request.temperature);
    });
  }

  /** Samples `count` completions of the context at once (one batch, no KV cache). */
  async generate(request: Omit<GenerateRequest, 'op'>): Promise<GeneratedCompletion[]> {
    const rng = seededRng(request.seed);
    const maxSequence = request.maxSequence ?? Infinity;
    const context = request.context.slice(-Math.max(1, Math.min(request.context.length, maxSequence - 1)));
    const sequences = Array.from({ length: request.count }, () => [...context]);
    const out: GeneratedCompletion[] = sequences.map(() => ({ ids: [], logprobs: [], finished: false }));
    const steps = Math.min(request.maxTokens, maxSequence - context.length);
    for (let step = 0; step < steps && out.some((c) => !c.finished); step++) {
      const { data, dims } = await this.logits(request.model, sequences);
      const [, seq, vocab] = dims;
      out.forEach((completion, b) => {
        const last = row(data, b * seq * vocab, seq - 1, vocab);
        const next = completion.finished
          ? (request.eosId ?? 0)
          : this.sampleOne(last, request, rng, completion);
        sequences[b].push(next);
      });
    }
    return out;
  }

  private sampleOne(
    logits: Float32Array,
    request: Omit<GenerateRequest, 'op'>,
    rng: () => number,
    into: GeneratedCompletion,
  ): number {
    const id = sampleToken(logits, { temperature: request.temperature, topP: request.topP }, rng);
    into.ids.push(id);
    into.logprobs.push(logSoftmax(logits, request.temperature > 0 ? request.temperature : 1)[id]);
    if (id === request.eosId || request.eosIds?.includes(id)) into.finished = true;
    return id;
  }

  private load(model: string): Promise<LoadedModel> {
    return this.cache.get(model, () => this.create(model));
  }

  private async create(model: string): Promise<LoadedModel> {
    const runtime = this.ort();
    const wantsCuda = this.options.executionProvider === 'cuda';
    let session: Ort.InferenceSession | undefined;
    if (wantsCuda) {
      try {
        session = await runtime.InferenceSession.create(model, {
          ...sessionOptions(),
          executionProviders: ['cuda', 'cpu'],
        });
      } catch (err) {
        this.notices.push(
          `CUDA is not available to ONNX Runtime (${firstLine(String(err))}); using the CPU.`,
        );
      }
    }
    try {
      session ??= await runtime.InferenceSession.create(model, {
        ...sessionOptions(),
        executionProviders: ['cpu'],
      });
    } catch (err) {
      throw new InferenceError('failed', `Could not load ${model}: ${firstLine(String(err))}`);
    }
    const loaded = session;
    return { session: loaded, release: () => loaded.release() };
  }
}

/** Leave one core to the extension host (and the trainer) on small machines. */
function sessionOptions(): Ort.InferenceSession.SessionOptions {
  const cores = os.availableParallelism?.() ?? os.cpus().length;
  return { intraOpNumThreads: Math.max(1, cores - 1), interOpNumThreads: 1, graphOptimizationLevel: 'all' };
}
