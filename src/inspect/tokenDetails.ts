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
  topK: number;
}

export interface TokenDetailProvider {
  /** Whether this run has an export to compute details from (cheap: checks files). */
  canDescribe(runDir: string): Promise<boolean>;
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
