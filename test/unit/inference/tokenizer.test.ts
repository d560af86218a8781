import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { CharTokenizer } from '../../../src/inference/tokenizer';

const ROOT = path.resolve(__dirname, '../../../..');
const json = JSON.parse(fs.readFileSync(path.join(ROOT, 'test/fixtures/onnx/tokenizer.json'), 'utf8'));

describe('CharTokenizer', () => {
  const tok = new CharTokenizer(json);

  it('reads the special ids and the longest sequence from tokenizer.json', () => {
    assert.deepStrictEqual([tok.padId, tok.bosId, tok.eosId, tok.maxLength], [0, 1, 2, 64]);
    assert.strictEqual(tok.size, json.vocab.length);
  });

  it('encodes one id per character and decodes back, dropping special tokens', () => {
    const ids = tok.encode('12+34=46');
    assert.strictEqual(ids.length, 8);
    assert.strictEqual(tok.decode([tok.bosId!, ...ids, tok.eosId!]), '12+34=46');
  });

  it('maps characters outside the vocabulary to "?" as the trainer does', () => {
    assert.deepStrictEqual(tok.encode('é'), tok.encode('?'));
  });

  it('encodes logged token strings, special tokens by exact match', () => {
    assert.deepStrictEqual(tok.encodeTokens(['4', '6', '<eos>']), [...tok.encode('46'), tok.eosId]);
  });

  it('prefixes the prompt with BOS', () => {
    assert.deepStrictEqual(tok.encodePrompt('1+1='), [tok.bosId, ...tok.encode('1+1=')]);
  });

  it('refuses a tokenizer type it cannot run', () => {
    assert.throws(() => new CharTokenizer({ type: 'hf', vocab: ['a'] }), /Unsupported tokenizer type "hf"/);
  });
});
