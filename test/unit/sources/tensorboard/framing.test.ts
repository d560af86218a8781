import * as assert from 'assert';
import { crc32c, maskCrc, maskedCrc32c } from '../../../../src/runs/sources/tensorboard/crc32c';
import { frameRecord } from '../../../../src/runs/sources/tensorboard/frame';

describe('TFRecord framing', () => {
  it('computes CRC-32C (Castagnoli) of the standard check string', () => {
    assert.strictEqual(crc32c(Buffer.from('123456789', 'ascii')), 0xe3069283);
  });

  it('computes the same CRC over any slice, whatever its alignment', () => {
    const text = Buffer.from('xx123456789yy', 'ascii');
    assert.strictEqual(crc32c(text, 2, 11), 0xe3069283);
    assert.strictEqual(crc32c(Buffer.alloc(0)), 0);
  });

  it('masks a CRC as TensorFlow does: rotate right 15, add 0xa282ead8', () => {
    assert.strictEqual(maskCrc(0), 0xa282ead8);
    const crc = 0xe3069283;
    const rotated = ((crc >>> 15) | (crc << 17)) >>> 0;
    assert.strictEqual(maskCrc(crc), (rotated + 0xa282ead8) % 2 ** 32);
  });

  it('frames a record as length, masked length CRC, data, masked data CRC', () => {
    const data = Buffer.from('hello event');
    const record = frameRecord(data);
    assert.strictEqual(record.length, 8 + 4 + data.length + 4);
    assert.strictEqual(Number(record.readBigUInt64LE(0)), data.length);
    assert.strictEqual(record.readUInt32LE(8), maskedCrc32c(record, 0, 8));
    assert.deepStrictEqual(record.subarray(12, 12 + data.length), data);
    assert.strictEqual(record.readUInt32LE(12 + data.length), maskedCrc32c(data));
  });
});
