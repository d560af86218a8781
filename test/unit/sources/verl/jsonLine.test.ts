import * as assert from 'assert';
import { execFileSync } from 'child_process';
import { parseVerlLine } from '../../../../src/runs/sources/verl/jsonLine';

describe("reading a line of Python's json.dumps", () => {
  it('reads NaN and infinities as null, leaving strings that contain those words alone', () => {
    // What json.dumps writes for non-finite floats, next to strings that mention them.
    const line = execFileSync('/usr/bin/python3', [
      '-c',
      'import json; print(json.dumps({"a": float("nan"), "b": [float("inf"), -float("inf")], "NaN \\" Infinity": "x NaN", "c": 1.5}))',
    ])
      .toString()
      .trim();
    assert.deepStrictEqual(parseVerlLine(line), {
      a: null,
      b: [null, null],
      'NaN " Infinity': 'x NaN',
      c: 1.5,
    });
  });

  it('rejects what is not a JSON object even after that', () => {
    assert.strictEqual(parseVerlLine('[NaN]'), undefined);
    assert.strictEqual(parseVerlLine('{"a": NaNx}'), undefined);
    assert.strictEqual(parseVerlLine('{"step": 1, "data": {"x": 1'), undefined);
  });
});
