// A prompt as the trainer encoded it for sampling. A "plain" run (and the tiny model, whatever
// its config says) reads BOS + the prompt; a Hugging Face run with prompt_format "chat" reads
// the tokenizer's chat template rendered as transformers' apply_chat_template(messages,
// add_generation_prompt=True) renders it (trainer/grpo_lens/models/hf.py encode_prompt), then
// encoded with no BOS added: the template writes its own special tokens.

import { Template } from '@huggingface/jinja';
import { InferenceError, firstLine } from './errors';
import type { ChatTemplateSource, RunTokenizer } from './tokenizer';

export interface PromptFormat {
  format: 'plain' | 'chat';
  /** chat: a system message put before the user's prompt. */
  systemPrompt?: string;
}

export interface ChatMessage {
  role: string;
  content: string;
}

export const PLAIN: PromptFormat = { format: 'plain' };

/** prompt_format and system_prompt of a run's config (run.json), as the trainer reads them. */
export function promptFormat(config: Record<string, unknown>): PromptFormat {
  if (config.prompt_format !== 'chat') return PLAIN;
  const system = config.system_prompt;
  return typeof system === 'string' && system ? { format: 'chat', systemPrompt: system } : { format: 'chat' };
}

/** The prompt's ids: BOS + prompt, or the rendered chat template for a chat run. */
export function encodePromptAs(tokenizer: RunTokenizer, prompt: string, format: PromptFormat): number[] {
  if (format.format !== 'chat' || !tokenizer.chat) return tokenizer.encodePrompt(prompt);
  return tokenizer.encode(renderChat(tokenizer.chat, chatMessages(prompt, format.systemPrompt)));
}

/** The system prompt (when set) then the prompt as the user's message (models/prompts.py). */
export function chatMessages(prompt: string, systemPrompt?: string): ChatMessage[] {
  const user = { role: 'user', content: prompt };
  return systemPrompt ? [{ role: 'system', content: systemPrompt }, user] : [user];
}

/** The template rendered with what transformers gives it: the messages, no tools or documents,
 * the assistant turn opened, and the special tokens; @huggingface/jinja has transformers'
 * trim_blocks, lstrip_blocks, raise_exception and strftime_now. */
export function renderChat(chat: ChatTemplateSource, messages: ChatMessage[]): string {
  if (!chat.template) {
    throw new InferenceError(
      'bad-input',
      'This run uses prompt_format "chat", but its tokenizer_config.json has no chat_template (runs exported by an older GRPO Lens do not record it). Copy "chat_template" from the model\'s own tokenizer_config.json into the run\'s to use the playground and token details.',
    );
  }
  try {
    return new Template(chat.template).render({
      ...chat.specialTokens,
      messages,
      tools: null,
      documents: null,
      add_generation_prompt: true,
    });
  } catch (err) {
    const detail = firstLine(err instanceof Error ? err.message : String(err));
    throw new InferenceError(
      'bad-input',
      `The run's chat template (tokenizer_config.json) could not be rendered: ${detail}`,
    );
  }
}
