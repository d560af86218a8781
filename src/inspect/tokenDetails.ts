// The seam between inline inspection (src/inspect) and model inference (src/inference).
// Inspection works from the token data the trainer logged; when an ONNX export of the
// run exists, the inference service adds what only a model can say: alternatives,
// entropy, and log-probs under a chosen checkpoint and the reference.

export interface TokenAlternative {
  token: string;
  /** Probability of this token under the model, 0..1. */
  prob: number;
}

export interface TokenDetail {
  /** Log-prob of the sampled token under the chosen checkpoint's policy. */
  policyLogprob: number;
  /** Log-prob of the sampled token under the reference model. */
  referenceLogprob?: number;
  /** Entropy of the policy's next-token distribution (nats). */
  entropy: number;
  /** Top-k alternatives under the policy and under the reference. */
  policyTop: TokenAlternative[];
  referenceTop?: TokenAlternative[];
}

export interface TokenDetailRequest {
  /** Absolute path of the run directory. */
  runDir: string;
  /** Absolute path of the checkpoint directory whose policy.onnx to use; undefined = latest. */
  checkpointDir?: string;
  /**
   * The step the completion was logged at. Without checkpointDir, the provider then uses
   * the policy that sampled it (the latest exported checkpoint before that step), so that
   * its log-probs are the logged ones; without either, the latest checkpoint.
   */
  step?: number;
  prompt: string;
  /** The completion's tokens as logged (strings), in order. */
  tokens: string[];
  /** The trainer's token ids (samples.jsonl token_ids), when it logged them: used as they are. */
  tokenIds?: number[];
  topK: number;
}

/** A checkpoint with an ONNX export. */
export interface InspectionCheckpoint {
  step: number;
  /** Absolute path of checkpoints/step-NNNNNN. */
  dir: string;
}

export interface TokenDetailProvider {
  /** Whether this run has an export to compute details from (cheap: checks files). */
  canDescribe(runDir: string): Promise<boolean>;
  /** The run's checkpoints that have an export, oldest first (cheap: checks files). */
  checkpoints(runDir: string): Promise<InspectionCheckpoint[]>;
  /** One detail per completion token; rejects with a user-facing message on failure. */
  describeTokens(request: TokenDetailRequest): Promise<TokenDetail[]>;
}

let registered: TokenDetailProvider | undefined;

/** src/inference registers its provider at activation; src/inspect asks for it per hover. */
export function setTokenDetailProvider(provider: TokenDetailProvider | undefined): void {
  registered = provider;
}

/** The registered provider, or undefined when inference is unavailable (no alternatives shown). */
export function getTokenDetailProvider(): TokenDetailProvider | undefined {
  return registered;
}

// Which checkpoint the inspection hovers and the "moved from reference" measure use, per
// run, for the session: 'sampling' (default) = the policy that sampled the inspected
// completion; 'latest' = the newest exported checkpoint; otherwise a checkpoint directory.
export type CheckpointChoice = 'sampling' | 'latest' | string;

const choices = new Map<string, CheckpointChoice>();
const listeners = new Set<(runDir: string) => void>();

export function getInspectionCheckpoint(runDir: string): CheckpointChoice {
  return choices.get(runDir) ?? 'sampling';
}

export function setInspectionCheckpoint(runDir: string, choice: CheckpointChoice): void {
  if (choice === 'sampling') choices.delete(runDir);
  else choices.set(runDir, choice);
  for (const listener of [...listeners]) listener(runDir);
}

/** Called with the run directory whenever its choice changes; returns the unsubscribe. */
export function onInspectionCheckpointChange(listener: (runDir: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * How the resolved checkpoint relates to the completion: `sampled` = it is the policy that
 * sampled it (step s - 1 for a completion of step s), `before` = the latest export before
 * step s (the sampler itself has none), `latest` = the newest export, `chosen` = picked.
 */
export type CheckpointRelation = 'sampled' | 'before' | 'latest' | 'chosen';

/**
 * The checkpoint a choice means for a completion logged at `step`, from the run's exported
 * checkpoints (oldest first); undefined when there is none (or the chosen one is gone).
 * The default falls back to the latest export when nothing was exported before `step`
 * (the initial policy sampled it). Pure.
 */
export function resolveCheckpoint(
  exported: InspectionCheckpoint[],
  choice: CheckpointChoice,
  step: number | undefined,
): { checkpoint: InspectionCheckpoint; relation: CheckpointRelation } | undefined {
  const latest = exported[exported.length - 1];
  if (!latest) return undefined;
  if (choice === 'latest') return { checkpoint: latest, relation: 'latest' };
  if (choice !== 'sampling') {
    const chosen = exported.find((c) => c.dir === choice);
    return chosen && { checkpoint: chosen, relation: 'chosen' };
  }
  const before = step === undefined ? [] : exported.filter((c) => c.step < step);
  const sampler = before[before.length - 1];
  if (!sampler) return { checkpoint: latest, relation: 'latest' };
  return { checkpoint: sampler, relation: sampler.step === step! - 1 ? 'sampled' : 'before' };
}
