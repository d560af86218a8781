import * as assert from 'assert';
import { parseLines, splitCompleteLines } from '../../../src/runs/lines';

describe('splitting appended bytes into lines', () => {
  it('keeps a torn last line unconsumed', () => {
    const split = splitCompleteLines(Buffer.from('{"step":1}\n{"step":2}\n{"st'));
    assert.deepStrictEqual(split.lines, ['{"step":1}', '{"step":2}']);
    assert.strictEqual(split.consumed, 22);
  });

  it('drops carriage returns and handles multibyte characters', () => {
    const split = splitCompleteLines(Buffer.from('{"a":"é"}\r\n'));
    assert.deepStrictEqual(split.lines, ['{"a":"é"}']);
    assert.strictEqual(split.consumed, Buffer.byteLength('{"a":"é"}\r\n'));
  });

  it('counts lines that are not JSON objects as bad, skips blank ones', () => {
    const parsed = parseLines(['{"step":1}', '', 'nonsense', '[1,2]', 'null', '  ', '{"step":2}']);
    assert.strictEqual(parsed.records.length, 2);
    assert.strictEqual(parsed.bad, 3);
  });
});
