// The character tokenizer of the built-in tiny model, read from the tokenizer.json that
// the trainer's export writes beside the ONNX files: {"type":"char","vocab":[...],
// "bos_id","eos_id","pad_id"}. Multi-character vocabulary entries (special tokens such
// as "<eos>") are matched by exact string; everything else is one id per character.

export interface TokenizerJson {
  type: string;
  vocab: string[];
  bos_id?: number | null;
  eos_id?: number | null;
  pad_id?: number | null;
  model_max_length?: number;
}

/** A Hugging Face tokenizer's chat template (tokenizer_config.json "chat_template", absent
 * when it has none) and the special tokens transformers passes to it (bos_token, eos_token…). */
export interface ChatTemplateSource {
  template?: string;
  specialTokens: Record<string, string | string[]>;
}

/** What the extension needs of a run's tokenizer: CharTokenizer (the tiny model) or
 * BpeTokenizer (a Hugging Face model's tokenizer.json, bpeTokenizer.ts). */
export interface RunTokenizer {
  /** Set for a Hugging Face tokenizer only: the tiny model reads every prompt as plain text. */
  readonly chat?: ChatTemplateSource;
  readonly size: number;
  readonly bosId?: number;
  readonly eosId?: number;
  /** Every id that ends a completion. */
  readonly eosIds: readonly number[];
  readonly padId?: number;
  readonly maxLength?: number;
  encode(text: string): number[];
  encodeTokens(tokens: readonly string[]): number[];
  encodePrompt(prompt: string): number[];
  token(id: number): string;
  decode(ids: readonly number[]): string;
}

export class CharTokenizer implements RunTokenizer {
  readonly vocab: readonly string[];
  readonly bosId?: number;
  readonly eosId?: number;
  readonly padId?: number;
  /** The longest sequence (prompt + completion) the model accepts, when the export says. */
  readonly maxLength?: number;
  private readonly ids = new Map<string, number>();

  constructor(json: TokenizerJson) {
    if (json.type !== 'char')
      throw new Error(`Unsupported tokenizer type "${json.type}" (only "char" is supported).`);
    if (!Array.isArray(json.vocab) || json.vocab.length === 0)
      throw new Error('tokenizer.json has an empty vocabulary.');
    this.vocab = json.vocab;
    this.bosId = json.bos_id ?? undefined;
    this.eosId = json.eos_id ?? undefined;
    this.padId = json.pad_id ?? undefined;
    this.maxLength = json.model_max_length;
    // The first occurrence wins, as a Python dict built from enumerate would not; vocabularies have no duplicates.
    json.vocab.forEach((token, id) => {
      if (!this.ids.has(token)) this.ids.set(token, id);
    });
  }

  get size(): number {
    return this.vocab.length;
  }

  get eosIds(): readonly number[] {
    return this.eosId === undefined ? [] : [this.eosId];
  }

  /** Text to ids, one per character. */
  encode(text: string): number[] {
    const out: number[] = [];
    for (const ch of text) out.push(this.idOf(ch));
    return out;
  }

  /** Logged token strings to ids: exact vocabulary entries first, otherwise per character. */
  encodeTokens(tokens: readonly string[]): number[] {
    const out: number[] = [];
    for (const token of tokens) {
      const id = this.ids.get(token);
      if (id !== undefined) out.push(id);
      else out.push(...this.encode(token));
    }
    return out;
  }

  /** The prompt as the model sees it: BOS (when the tokenizer has one) then the characters. */
  encodePrompt(prompt: string): number[] {
    return this.bosId === undefined ? this.encode(prompt) : [this.bosId, ...this.encode(prompt)];
  }

  token(id: number): string {
    return this.vocab[id] ?? `<${id}>`;
  }

  /** Ids to text, dropping special tokens (BOS, EOS, PAD). */
  decode(ids: readonly number[]): string {
    return ids
      .filter((id) => id !== this.bosId && id !== this.eosId && id !== this.padId)
      .map((id) => this.token(id))
      .join('');
  }

  /** As the trainer's tokenizer: a character outside the vocabulary becomes "?". */
  private idOf(ch: string): number {
    const id = this.ids.get(ch) ?? this.ids.get('?');
    if (id !== undefined) return id;
    throw new Error(`The character ${JSON.stringify(ch)} is not in the model's vocabulary.`);
  }
}
