// Host side of the inference worker: starts it on first use, matches replies to
// requests, and ends it when idle so that no model memory outlives its use.

import * as path from 'path';
import { Worker } from 'worker_threads';
import { InferenceError, type SerializedError } from './errors';
import type {
  EngineOptions,
  GenerateRequest,
  GeneratedCompletion,
  LogitsResult,
  ScoreRequest,
  ScoredToken,
  WorkerReply,
  WorkerRequest,
} from './protocol';

type Body<T> = T extends unknown ? Omit<T, 'id'> : never;

export interface InferenceClientOptions extends EngineOptions {
  /** The bundled worker; defaults to inference.worker.js next to this file's bundle. */
  workerPath?: string;
  /** The worker ends after this long with nothing to do. */
  workerIdleMs?: number;
  onNotice?: (message: string) => void;
}

interface Pending {
  resolve(value: unknown): void;
  reject(err: Error): void;
}

export class InferenceClient {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(private options: InferenceClientOptions) {}

  get running(): boolean {
    return this.worker !== undefined;
  }

  configure(options: Partial<InferenceClientOptions>): void {
    this.options = { ...this.options, ...options };
    if (this.worker) void this.call({ op: 'configure', options: this.engineOptions() });
  }

  score(request: Omit<ScoreRequest, 'op'>): Promise<ScoredToken[]> {
    return this.call({ op: 'score', ...request }) as Promise<ScoredToken[]>;
  }

  logits(model: string, inputIds: number[][]): Promise<LogitsResult> {
    return this.call({ op: 'logits', model, inputIds }) as Promise<LogitsResult>;
  }

  generate(request: Omit<GenerateRequest, 'op'>): Promise<GeneratedCompletion[]> {
    return this.call({ op: 'generate', ...request }) as Promise<GeneratedCompletion[]>;
  }

  dispose(): void {
    this.stop(new InferenceError('failed', 'The inference service was stopped.'));
  }

  private call(body: Body<WorkerRequest>): Promise<unknown> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    clearTimeout(this.idleTimer);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...body, id });
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const file = this.options.workerPath ?? path.join(__dirname, 'inference.worker.js');
    const worker = new Worker(file, { workerData: this.engineOptions() });
    worker.on('message', (reply: WorkerReply) => this.settle(reply));
    worker.on('error', (err) =>
      this.stop(new InferenceError('failed', `The inference worker failed: ${err.message}`)),
    );
    worker.on('exit', () => this.worker === worker && this.stop());
    this.worker = worker;
    return worker;
  }

  private settle(reply: WorkerReply): void {
    if (reply.id === SHUTDOWN_ID) return;
    reply.notices?.forEach((notice) => this.options.onNotice?.(notice));
    const pending = this.pending.get(reply.id);
    this.pending.delete(reply.id);
    if (reply.error) pending?.reject(toError(reply.error));
    else pending?.resolve(reply.result);
    if (this.pending.size === 0) this.armIdleTimer();
  }

  private armIdleTimer(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(
      () => this.pending.size === 0 && this.stop(),
      this.options.workerIdleMs ?? 300_000,
    );
    this.idleTimer.unref();
  }

  private stop(reason?: Error): void {
    clearTimeout(this.idleTimer);
    const worker = this.worker;
    this.worker = undefined;
    const err = reason ?? new InferenceError('failed', 'The inference worker stopped unexpectedly.');
    this.pending.forEach((p) => p.reject(err));
    this.pending.clear();
    if (worker) void shutDown(worker);
  }

  private engineOptions(): EngineOptions {
    const { executionProvider, cacheSize, idleMs } = this.options;
    return { executionProvider, cacheSize, idleMs };
  }
}

/**
 * Native sessions are released inside the worker before it is terminated: ending a thread
 * that still holds ONNX Runtime sessions can abort the whole process.
 */
async function shutDown(worker: Worker, timeoutMs = 3000): Promise<void> {
  const released = new Promise<void>((resolve) => {
    worker.on('message', (reply: WorkerReply) => reply.id === SHUTDOWN_ID && resolve());
    worker.on('exit', () => resolve());
  });
  try {
    worker.postMessage({ op: 'shutdown', id: SHUTDOWN_ID });
    await Promise.race([released, new Promise((r) => setTimeout(r, timeoutMs).unref())]);
  } catch {
    // the worker is already gone
  }
  await worker.terminate();
}

const SHUTDOWN_ID = -1;

function toError(err: SerializedError): InferenceError {
  return new InferenceError(err.code, err.message);
}
