// Builds a small byte-level BPE tokenizer.json in the Hugging Face format (what the Rust
// `tokenizers` library saves for GPT-2 and Qwen: model type BPE with vocab and merges, a
// ByteLevel pre-tokenizer and decoder, added special tokens), by training BPE merges on a
// corpus here; and a plain reference encoder for the same merges. No download needed.

export const SPECIAL = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];
// ChatML, as Hugging Face's documentation writes it: each message, then the assistant turn opened.
export const CHATML =
  "{% for message in messages %}{{'<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n'}}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
// GPT-2's pre-tokenizer pattern, which the ByteLevel pre-tokenizer applies (use_regex).
const SPLIT = /'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+/gu;

export const BYTE_CHARS: string[] = (() => {
  const chars: string[] = [];
  let shift = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 0x21 && b <= 0x7e) || (b >= 0xa1 && b <= 0xac) || (b >= 0xae && b <= 0xff);
    chars.push(String.fromCharCode(printable ? b : 256 + shift++));
  }
  return chars;
})();

function pieces(text: string): string[][] {
  return (text.match(SPLIT) ?? []).map((w) => [...Buffer.from(w, 'utf8')].map((b) => BYTE_CHARS[b]));
}

export interface BpeFixture {
  json: Record<string, unknown>;
  vocab: Map<string, number>;
  merges: [string, string][];
}

/** Learn `count` merges from corpus: the most frequent adjacent pair each time (ties by name). */
export function buildBpeTokenizer(corpus: string[], count: number, legacyMerges = false): BpeFixture {
  const words = corpus.flatMap(pieces);
  const vocab = new Map<string, number>(BYTE_CHARS.map((c, i) => [c, i]));
  const merges: [string, string][] = [];
  for (let m = 0; m < count; m++) {
    const counts = new Map<string, number>();
    for (const w of words)
      for (let i = 0; i + 1 < w.length; i++) {
        const key = `${w[i]}\u0000${w[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0];
    if (!best) break;
    const [left, right] = best[0].split('\u0000') as [string, string];
    merges.push([left, right]);
    vocab.set(left + right, vocab.size);
    for (const w of words) mergeAll(w, left, right);
  }
  const added = SPECIAL.map((content, i) => ({
    id: vocab.size + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: { ...byteLevel, trim_offsets: false },
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab: Object.fromEntries(vocab),
      merges: legacyMerges ? merges.map(([a, b]) => `${a} ${b}`) : merges,
    },
  };
  added.forEach((t) => vocab.set(t.content, t.id));
  return { json, vocab, merges };
}

function mergeAll(word: string[], left: string, right: string): void {
  for (let i = 0; i + 1 < word.length; i++) {
    if (word[i] === left && word[i + 1] === right) word.splice(i, 2, left + right);
  }
}

/** The ids textbook BPE gives: per pre-token, apply the lowest-ranked merge present until none. */
export function referenceEncode(fixture: BpeFixture, text: string): number[] {
  const rank = new Map(fixture.merges.map(([a, b], i) => [`${a}\u0000${b}`, i]));
  const out: number[] = [];
  for (const word of pieces(text)) {
    for (;;) {
      let best = -1;
      let at = Infinity;
      for (let i = 0; i + 1 < word.length; i++) {
        const r = rank.get(`${word[i]}\u0000${word[i + 1]}`);
        if (r !== undefined && r < at) [at, best] = [r, i];
      }
      if (best < 0) break;
      mergeAll(word, word[best], word[best + 1]);
    }
    out.push(...word.map((p) => fixture.vocab.get(p)!));
  }
  return out;
}
