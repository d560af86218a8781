// TokenDetailProvider over ONNX exports: for each completion token, its log-prob, entropy
// and top-k alternatives under a checkpoint's policy and under the reference. Log-probs
// use the run's sampling temperature, as the trainer logs them.

import type {
  InspectionCheckpoint,
  TokenAlternative,
  TokenDetail,
  TokenDetailProvider,
  TokenDetailRequest,
} from '../inspect/tokenDetails';
import { encodePromptAs, PLAIN, promptFormat, type PromptFormat } from './chatPrompt';
import type { InferenceClient } from './client';
import { InferenceError } from './errors';
import {
  checkModelSize,
  exportedCheckpoints,
  loadTokenizer,
  policyModel,
  referenceModel,
  runConfig,
  samplingCheckpoint,
} from './exports';
import type { ScoredToken } from './protocol';
import type { RunTokenizer } from './tokenizer';

export interface InferenceSettings {
  maxModelMB: number;
}

/** The context the trainer sampled from: BOS + prompt, or for a chat run the rendered chat
 * template (chatPrompt.ts), cut from the left to fit. */
export function promptContext(
  tokenizer: RunTokenizer,
  prompt: string,
  maxCompletion: number,
  format: PromptFormat = PLAIN,
): number[] {
  const ids = encodePromptAs(tokenizer, prompt, format);
  const keep = tokenizer.maxLength ? Math.max(1, tokenizer.maxLength - maxCompletion) : ids.length;
  return ids.slice(-keep);
}

export class OnnxTokenDetailProvider implements TokenDetailProvider {
  /** onError sees every failure too: hovers swallow rejections, the user should still be told. */
  constructor(
    private readonly client: InferenceClient,
    private readonly settings: () => InferenceSettings,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {}

  async canDescribe(runDir: string): Promise<boolean> {
    return (await exportedCheckpoints(runDir)).length > 0;
  }

  async checkpoints(runDir: string): Promise<InspectionCheckpoint[]> {
    return (await exportedCheckpoints(runDir)).map(({ step, dir }) => ({ step, dir }));
  }

  describeTokens(request: TokenDetailRequest): Promise<TokenDetail[]> {
    const details = this.describe(request);
    details.catch((err: Error) => this.onError(err));
    return details;
  }

  private async describe(request: TokenDetailRequest): Promise<TokenDetail[]> {
    const checkpointDir =
      request.checkpointDir ??
      (request.step === undefined ? undefined : await samplingCheckpoint(request.runDir, request.step));
    const policy = await policyModel(request.runDir, checkpointDir);
    const reference = await referenceModel(request.runDir);
    const { maxModelMB } = this.settings();
    await checkModelSize(policy, maxModelMB);
    if (reference) await checkModelSize(reference, maxModelMB);
    const tokenizer = await loadTokenizer(request.runDir, checkpointDir);
    const config = await runConfig(request.runDir);
    // the trainer's own ids when it logged them (token_ids); else the logged strings, re-encoded
    const completion = request.tokenIds ?? tokenizer.encodeTokens(request.tokens);
    if (completion.length !== request.tokens.length) {
      throw new InferenceError('bad-input', 'The logged tokens do not match the exported tokenizer.');
    }
    const maxCompletion = numberOr(config.max_completion_length, request.tokens.length);
    const context = promptContext(
      tokenizer,
      request.prompt,
      Math.max(maxCompletion, request.tokens.length),
      promptFormat(config),
    );
    const temperature = numberOr(config.temperature, 1);
    const score = (model: string) =>
      this.client.score({ model, context, completion, topK: request.topK, temperature });
    const [underPolicy, underReference] = await Promise.all([
      score(policy),
      reference ? score(reference) : Promise.resolve(undefined),
    ]);
    return underPolicy.map((p, i) => detail(tokenizer, p, underReference?.[i]));
  }
}

function detail(tokenizer: RunTokenizer, policy: ScoredToken, reference?: ScoredToken): TokenDetail {
  const named = (top: ScoredToken['top']): TokenAlternative[] =>
    top.map(({ id, prob }) => ({ token: tokenizer.token(id), prob }));
  return {
    policyLogprob: policy.logprob,
    referenceLogprob: reference?.logprob,
    entropy: policy.entropy,
    policyTop: named(policy.top),
    referenceTop: reference && named(reference.top),
  };
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
