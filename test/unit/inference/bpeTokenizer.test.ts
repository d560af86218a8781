import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { BpeTokenizer, byteLevelPiece, byteLevelText } from '../../../src/inference/bpeTokenizer';
import { loadTokenizer } from '../../../src/inference/exports';
import { CharTokenizer } from '../../../src/inference/tokenizer';
import { buildBpeTokenizer, referenceEncode, SPECIAL } from './bpeFixture';

const CORPUS = [
  'What is 3+4? Think step by step inside <think></think>, then answer inside <answer></answer>.',
  'The answer is 7. <think>3 plus 4 is 7</think><answer>7</answer>',
  "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May. It's done.",
  'Grüße aus Köln — 中文 中文 テスト ✓ 🙂',
];
const TEXTS = [
  'What is 12+30? The answer is 42.',
  "  leading spaces, it's\ttabs\nand new lines\r\n",
  'Grüße, 中文テスト, 🙂🙃 and ✓',
  '\u202Eevil\u202C bidi, zero\u200Bwidth, nul\u0000byte, \u0007bell',
  '<script>alert(1)</script> & "quotes" \\ back\\slash',
  'x'.repeat(500),
];
const CONFIG = {
  eos_token: '<|endoftext|>',
  pad_token: '<|endoftext|>',
  bos_token: null,
  model_max_length: 512,
};

describe('BpeTokenizer (@huggingface/tokenizers on a tokenizer.json built here)', () => {
  const fixture = buildBpeTokenizer(CORPUS, 120);
  const tok = new BpeTokenizer(fixture.json, {
    ...CONFIG,
    eos_token_ids: [fixture.vocab.get('<|im_end|>')!],
  });

  it('encodes as textbook BPE does with the same merges', () => {
    for (const text of TEXTS) assert.deepStrictEqual(tok.encode(text), referenceEncode(fixture, text), text);
    assert.ok(tok.encode('The answer').length < 'The answer'.length, 'merges are applied');
  });

  it('decodes back to the same text, non-ASCII and hostile strings included', () => {
    for (const text of TEXTS) assert.strictEqual(tok.decode(tok.encode(text)), text);
  });

  it('reads merges in the legacy "a b" form too', () => {
    const legacy = new BpeTokenizer(buildBpeTokenizer(CORPUS, 120, true).json, CONFIG);
    for (const text of TEXTS) assert.deepStrictEqual(legacy.encode(text), tok.encode(text));
  });

  it('knows the special ids, every EOS, and drops specials when decoding', () => {
    const [endoftext, , imEnd] = SPECIAL.map((s) => fixture.vocab.get(s)!);
    assert.deepStrictEqual(
      [tok.eosId, tok.padId, tok.bosId, tok.maxLength],
      [endoftext, endoftext, undefined, 512],
    );
    assert.deepStrictEqual(
      tok.eosIds,
      [endoftext, imEnd].sort((a, b) => a - b),
    );
    assert.deepStrictEqual(tok.encode('<|im_end|>'), [imEnd]); // an added token in text is that token
    assert.strictEqual(tok.decode([...tok.encode('Hi'), imEnd, endoftext]), 'Hi');
    assert.deepStrictEqual(tok.encodePrompt('Hi'), tok.encode('Hi')); // no BOS in this tokenizer
  });

  it('names each token as the trainer logs it and maps those names back to the same ids', () => {
    const ids = tok.encode('語 中文 Köln 🙂 answer<|im_end|>'); // 語 is not in the corpus: 3 byte tokens
    const names = ids.map((id) => tok.token(id));
    assert.ok(
      names.some((n) => /\\x[0-9a-f]{2}/.test(n)),
      'a partial character shows its bytes',
    );
    assert.ok(names.includes('<|im_end|>'));
    assert.deepStrictEqual(tok.encodeTokens(names), ids);
  });

  it('converts byte-level pieces and logged text both ways', () => {
    assert.strictEqual(byteLevelText('Ġhello'), ' hello');
    assert.strictEqual(byteLevelText('ä¸'), '\\xe4\\xb8');
    assert.strictEqual(byteLevelText('ä¸Ń'), '中');
    assert.strictEqual(byteLevelText('中'), undefined);
    for (const piece of ['Ġhello', 'ä¸', 'ä¸Ń', 'ðŁĻĤ', 'Ċ'])
      assert.strictEqual(byteLevelPiece(byteLevelText(piece)!), piece);
  });

  it('loadTokenizer picks BpeTokenizer for a Hugging Face tokenizer.json, with its config', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bpe-'));
    fs.writeFileSync(path.join(dir, 'tokenizer.json'), JSON.stringify(fixture.json));
    fs.writeFileSync(
      path.join(dir, 'tokenizer_config.json'),
      JSON.stringify({ ...CONFIG, eos_token_ids: [7] }),
    );
    const loaded = await loadTokenizer(dir);
    assert.ok(loaded instanceof BpeTokenizer);
    assert.deepStrictEqual(loaded.encode('中文 answer'), tok.encode('中文 answer'));
    assert.ok(loaded.eosIds.includes(7) && loaded.maxLength === 512);
    fs.writeFileSync(
      path.join(dir, 'tokenizer.json'),
      JSON.stringify({ type: 'char', vocab: ['<pad>', 'a'] }),
    );
    assert.ok((await loadTokenizer(dir)) instanceof CharTokenizer); // the tiny model's stays
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
