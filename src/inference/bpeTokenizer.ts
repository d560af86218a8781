// A Hugging Face tokenizer (BPE and the other models tokenizer.json describes), read from the
// tokenizer.json and tokenizer_config.json a trainer writes with a run of a Hugging Face
// model, run by @huggingface/tokenizers. It gives the same interface as the tiny model's
// CharTokenizer, and the trainer's conventions: a plain prompt is BOS (when the tokenizer
// has one) + its tokens without added specials; a token's text is its decoded string, with
// the bytes of a partial UTF-8 character shown as \xNN (trainer/grpo_lens/tokenizer.py).

import { Tokenizer } from '@huggingface/tokenizers';
import type { ChatTemplateSource, RunTokenizer } from './tokenizer';

type SpecialToken = string | null | { content: string };

export interface HfTokenizerConfig {
  bos_token?: SpecialToken;
  eos_token?: SpecialToken;
  pad_token?: SpecialToken;
  unk_token?: SpecialToken;
  sep_token?: SpecialToken;
  cls_token?: SpecialToken;
  mask_token?: SpecialToken;
  additional_special_tokens?: SpecialToken[];
  /** Written by our trainer: every id that ends a completion (Qwen2.5-Instruct has two). */
  eos_token_ids?: number[];
  model_max_length?: number | null;
  /** The tokenizer's chat template, rendered for a prompt_format "chat" run (chatPrompt.ts);
   * Hugging Face's own files may hold named templates as [{name, template}]. */
  chat_template?: string | null | { name: string; template: string }[];
}

// transformers' SPECIAL_TOKENS_ATTRIBUTES: its special_tokens_map, which apply_chat_template
// passes to the template, has each one the tokenizer sets.
const TEMPLATE_TOKENS = [
  'bos_token',
  'eos_token',
  'unk_token',
  'sep_token',
  'pad_token',
  'cls_token',
  'mask_token',
] as const;

/** True for tokenizer.json in the Hugging Face format (a "model" section), not our char one. */
export function isHfTokenizerJson(json: unknown): boolean {
  return typeof json === 'object' && json !== null && typeof (json as { model?: unknown }).model === 'object';
}

export class BpeTokenizer implements RunTokenizer {
  readonly bosId?: number;
  readonly eosId?: number;
  readonly eosIds: readonly number[];
  readonly padId?: number;
  readonly maxLength?: number;
  readonly chat: ChatTemplateSource;
  private readonly tok: Tokenizer;
  private readonly special: Set<number>;

  constructor(json: object, config: HfTokenizerConfig = {}) {
    this.tok = new Tokenizer(json, config);
    this.bosId = this.idOf(config.bos_token);
    this.eosId = this.idOf(config.eos_token);
    this.padId = this.idOf(config.pad_token);
    const eos = [...(config.eos_token_ids ?? []), ...(this.eosId === undefined ? [] : [this.eosId])];
    this.eosIds = [...new Set(eos)].sort((a, b) => a - b);
    // a model_max_length of 1e30 is transformers' "no limit"
    const max = config.model_max_length;
    this.maxLength = typeof max === 'number' && max > 0 && max < 1e9 ? max : undefined;
    this.special = new Set(
      [...this.eosIds, this.bosId, this.padId].filter((i): i is number => i !== undefined),
    );
    this.chat = chatTemplateSource(config);
  }

  get size(): number {
    return this.tok.get_vocab(true).size;
  }

  encode(text: string): number[] {
    return this.tok.encode(text, { add_special_tokens: false }).ids;
  }

  encodePrompt(prompt: string): number[] {
    const ids = this.encode(prompt);
    return this.bosId === undefined ? ids : [this.bosId, ...ids];
  }

  /** Logged token strings back to ids: a special or vocabulary token by name, else by its bytes. */
  encodeTokens(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (const token of tokens) {
      const id = this.tok.token_to_id(token) ?? this.tok.token_to_id(byteLevelPiece(token));
      if (id !== undefined) out.push(id);
      else out.push(...this.encode(token));
    }
    return out;
  }

  token(id: number): string {
    const text = this.tok.decode([id], { skip_special_tokens: false, clean_up_tokenization_spaces: false });
    if (!text.includes('\ufffd')) return text;
    const piece = this.tok.id_to_token(id);
    return (piece !== undefined && byteLevelText(piece)) || text;
  }

  /** Ids to text, dropping special tokens (BOS, EOS, PAD and the other added specials). */
  decode(ids: readonly number[]): string {
    const kept = ids.filter((id) => !this.special.has(id));
    return this.tok.decode(kept, { skip_special_tokens: true, clean_up_tokenization_spaces: false });
  }

  private idOf(token: SpecialToken | undefined): number | undefined {
    const name = tokenText(token);
    return name ? this.tok.token_to_id(name) : undefined;
  }
}

function tokenText(token: SpecialToken | undefined): string | undefined {
  return (typeof token === 'string' ? token : token?.content) || undefined;
}

/** The chat template and the special tokens, as transformers' special_tokens_map names them. */
function chatTemplateSource(config: HfTokenizerConfig): ChatTemplateSource {
  const specialTokens: Record<string, string | string[]> = {};
  for (const name of TEMPLATE_TOKENS) {
    const text = tokenText(config[name]);
    if (text) specialTokens[name] = text;
  }
  const more = (config.additional_special_tokens ?? []).map(tokenText).filter((t): t is string => !!t);
  if (more.length) specialTokens.additional_special_tokens = more;
  return { template: defaultTemplate(config.chat_template), specialTokens };
}

/** The template apply_chat_template uses: the only one, or the one named "default". */
function defaultTemplate(template: HfTokenizerConfig['chat_template']): string | undefined {
  const chosen = Array.isArray(template)
    ? (template.length === 1 ? template[0] : template.find((t) => t?.name === 'default'))?.template
    : template;
  return typeof chosen === 'string' && chosen ? chosen : undefined;
}

// GPT-2's byte-level alphabet: byte b is written as one printable character.
const BYTE_TO_CHAR: string[] = [];
const CHAR_TO_BYTE = new Map<string, number>();
(() => {
  let shift = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    const ch = String.fromCharCode(printable ? b : 256 + shift++);
    BYTE_TO_CHAR[b] = ch;
    CHAR_TO_BYTE.set(ch, b);
  }
})();

/** A byte-level piece ("Ġhello") as text, partial UTF-8 bytes as \xNN; undefined if not byte-level. */
export function byteLevelText(piece: string): string | undefined {
  const bytes: number[] = [];
  for (const ch of piece) {
    const b = CHAR_TO_BYTE.get(ch);
    if (b === undefined) return undefined;
    bytes.push(b);
  }
  return decodeWithEscapes(Uint8Array.from(bytes));
}

/** The byte-level piece of a token's text (the inverse of byteLevelText). */
export function byteLevelPiece(text: string): string {
  const bytes: number[] = [];
  const escape = /\\x([0-9a-f]{2})/gy;
  for (let i = 0; i < text.length;) {
    escape.lastIndex = i;
    const m = escape.exec(text);
    if (m) {
      bytes.push(parseInt(m[1], 16));
      i += 4;
      continue;
    }
    const cp = text.codePointAt(i)!;
    const ch = String.fromCodePoint(cp);
    bytes.push(...Buffer.from(ch, 'utf8'));
    i += ch.length;
  }
  return bytes.map((b) => BYTE_TO_CHAR[b]).join('');
}

/** UTF-8 with Python's errors="backslashreplace": each byte of a bad sequence as \xNN. */
function decodeWithEscapes(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes, i);
    if (n === 0) {
      out += `\\x${bytes[i].toString(16).padStart(2, '0')}`;
      i += 1;
    } else {
      out += Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
      i += n;
    }
  }
  return out;
}

/** Length of the valid UTF-8 sequence starting at i, 0 when it is not one. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  const n =
    b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
  if (n === 0 || i + n > bytes.length) return 0;
  for (let k = 1; k < n; k++) if ((bytes[i + k] & 0xc0) !== 0x80) return 0;
  const text = Buffer.from(bytes.subarray(i, i + n)).toString('utf8');
  return text.includes('\ufffd') ? 0 : n; // overlong forms and surrogates
}
