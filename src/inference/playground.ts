// The playground's sampling: G completions of a prompt from one checkpoint's policy.onnx,
// with the trainer's prompt encoding (BOS + prompt, or the chat template for a chat-format
// run, cut to fit the model) and the run's tokenizer. No VS Code here; src/panels/playgroundPanel.ts shows the result.

import * as path from 'path';
import type { PlaygroundCompletion, PlaygroundSettings } from '../contract/playground';
import type { InferenceClient } from './client';
import { promptFormat } from './chatPrompt';
import { checkModelSize, loadTokenizer, policyModel, runConfig } from './exports';
import { promptContext } from './tokenDetailProvider';

export interface SampleRequest {
  runDir: string;
  checkpointDir: string;
  prompt: string;
  settings: PlaygroundSettings;
  maxModelMB: number;
}

export async function sampleCompletions(
  client: InferenceClient,
  request: SampleRequest,
): Promise<PlaygroundCompletion[]> {
  const model = await policyModel(request.runDir, request.checkpointDir);
  await checkModelSize(model, request.maxModelMB);
  const tokenizer = await loadTokenizer(request.runDir, request.checkpointDir);
  const { count, temperature, topP, maxTokens, seed } = request.settings;
  const format = promptFormat(await runConfig(request.runDir));
  const context = promptContext(tokenizer, request.prompt, maxTokens, format);
  const generated = await client.generate({
    model,
    context,
    count,
    maxTokens,
    temperature,
    topP,
    seed,
    eosId: tokenizer.eosId,
    eosIds: [...tokenizer.eosIds],
    maxSequence: tokenizer.maxLength,
  });
  return generated.map((g) => ({
    text: tokenizer.decode(g.ids),
    tokens: g.ids.map((id) => tokenizer.token(id)),
    logprobs: g.logprobs,
    finished: g.finished,
  }));
}

/** "step 40" for checkpoints/step-000040. */
export function checkpointLabel(dir: string): string {
  const match = /^step-(\d+)$/.exec(path.basename(dir));
  return match ? `step ${Number(match[1])}` : path.basename(dir);
}
