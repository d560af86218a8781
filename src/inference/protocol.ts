// Messages between the host-side inference client and the inference worker thread.

import type { SerializedError } from './errors';

export type ExecutionProvider = 'cpu' | 'cuda';

export interface EngineOptions {
  executionProvider: ExecutionProvider;
  /** How many models stay loaded at once. */
  cacheSize: number;
  /** A model unused this long is released. */
  idleMs: number;
}

/** Per completion token, what one model says about it. */
export interface ScoredToken {
  logprob: number;
  entropy: number;
  /** Top-k alternatives as vocabulary ids, most probable first. */
  top: { id: number; prob: number }[];
}

export interface ScoreRequest {
  op: 'score';
  model: string;
  /** The context (BOS + prompt) ids. */
  context: number[];
  completion: number[];
  topK: number;
  temperature: number;
}

export interface LogitsRequest {
  op: 'logits';
  model: string;
  /** One or more sequences of equal length. */
  inputIds: number[][];
}

export interface GenerateRequest {
  op: 'generate';
  model: string;
  context: number[];
  count: number;
  maxTokens: number;
  temperature: number;
  topP: number;
  seed: number;
  eosId?: number;
  /** Every id that ends a completion (a Hugging Face model may have several); eosId among them. */
  eosIds?: number[];
  /** Largest sequence the model accepts (positional table); the context is cut from the left to fit. */
  maxSequence?: number;
}

export interface GeneratedCompletion {
  ids: number[];
  /** log-prob of each sampled token under the sampling distribution's temperature-scaled policy. */
  logprobs: number[];
  finished: boolean;
}

export interface LogitsResult {
  data: Float32Array;
  dims: number[];
}

export type WorkerRequest = (
  | ScoreRequest
  | LogitsRequest
  | GenerateRequest
  | { op: 'configure'; options: EngineOptions }
  /** Release every session before the host terminates the thread. */
  | { op: 'shutdown' }
) & {
  id: number;
};

export interface WorkerReply {
  id: number;
  result?: unknown;
  error?: SerializedError;
  /** Things the user should know, e.g. "CUDA unavailable, using the CPU". */
  notices?: string[];
}
