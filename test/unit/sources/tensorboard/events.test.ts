import * as assert from 'assert';
import { decodeEvent } from '../../../../src/runs/sources/tensorboard/events';
import {
  fileVersionEvent,
  scalarEvent,
  tensorScalarEvent,
  textEvent,
} from '../../../fixtures/writers/tfevents';

describe('decoding TensorBoard events', () => {
  it('reads the file_version event that starts every file', () => {
    const event = decodeEvent(fileVersionEvent(1767268800.5));
    assert.deepStrictEqual(event, {
      wallTime: 1767268800.5,
      step: 0,
      fileVersion: 'brain.Event:2',
      scalars: [],
      texts: [],
    });
  });

  it('reads a simple_value scalar with its step and wall time', () => {
    const event = decodeEvent(scalarEvent('train/reward', 0.75, 123456789012, 1767268801.25));
    assert.strictEqual(event?.step, 123456789012);
    assert.strictEqual(event?.wallTime, 1767268801.25);
    assert.deepStrictEqual(event?.scalars, [['train/reward', 0.75]]);
  });

  it('keeps a scalar whose value is 0 (present on the wire, not a default)', () => {
    assert.deepStrictEqual(decodeEvent(scalarEvent('kl', 0, 3, 1))?.scalars, [['kl', 0]]);
  });

  it('reads scalar tensors: float_val, double_val, and raw tensor_content of either', () => {
    const third = Math.fround(1 / 3);
    assert.deepStrictEqual(decodeEvent(tensorScalarEvent('f', 1 / 3, 1, 1))?.scalars, [['f', third]]);
    assert.deepStrictEqual(decodeEvent(tensorScalarEvent('d', 1 / 3, 1, 1, { double: true }))?.scalars, [
      ['d', 1 / 3],
    ]);
    assert.deepStrictEqual(decodeEvent(tensorScalarEvent('fc', 1 / 3, 1, 1, { content: true }))?.scalars, [
      ['fc', third],
    ]);
    assert.deepStrictEqual(
      decodeEvent(tensorScalarEvent('dc', 1 / 3, 1, 1, { double: true, content: true }))?.scalars,
      [['dc', 1 / 3]],
    );
  });

  it('reads text under the tag given to add_text, not as a scalar', () => {
    const event = decodeEvent(textEvent('args', '{"learning_rate": 1e-06}', 0, 5));
    assert.deepStrictEqual(event?.texts, [{ tag: 'args', text: '{"learning_rate": 1e-06}' }]);
    assert.deepStrictEqual(event?.scalars, []);
  });

  it('leaves text out when asked (a metric scan)', () => {
    const event = decodeEvent(textEvent('args', '{}', 0, 5), false);
    assert.deepStrictEqual([event?.texts, event?.scalars], [[], []]);
  });

  it('reads unicode text intact', () => {
    const text = 'Réponse : 42 ✓ — 答案';
    assert.strictEqual(decodeEvent(textEvent('t', text, 1, 1))?.texts[0].text, text);
  });

  it('returns undefined for data that is not an Event', () => {
    assert.strictEqual(decodeEvent(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])), undefined);
  });
});
