import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diskItem, findOnPath, onnxItem, pathItems } from '../../../src/environment/machine';

describe('environment machine checks', () => {
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-machine-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('finds an executable on the PATH without running it, and skips a non-executable one', async () => {
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'torchrun'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
    fs.writeFileSync(path.join(bin, 'sbatch'), 'not executable', { mode: 0o644 });
    const env = { PATH: ['/nonexistent', bin].join(path.delimiter) };
    assert.strictEqual(await findOnPath('torchrun', env), path.join(bin, 'torchrun'));
    assert.strictEqual(await findOnPath('sbatch', env), undefined);
    const items = await pathItems(env);
    assert.deepStrictEqual(
      items.map((i) => [i.name, i.status]),
      [
        ['torchrun', 'ok'],
        ['sbatch', 'warning'],
      ],
    );
    assert.match(items[1].fix!, /Slurm/);
  });

  it('measures free disk at the nearest existing parent of a runs folder not made yet', async () => {
    const item = await diskItem(path.join(dir, 'workspace', 'runs'));
    assert.notStrictEqual(item.status, 'failed');
    assert.match(item.detail, /\d+(\.\d)? (B|KiB|MiB|GiB|TiB) free in .*runs/);
  });

  it('says when onnxruntime-node does not load, with the first line of the error', () => {
    const item = onnxItem(() => {
      throw new Error('libonnxruntime.so.1: cannot open shared object file\nstack…');
    });
    assert.strictEqual(item.status, 'failed');
    assert.match(item.detail, /cannot open shared object file$/);
    assert.strictEqual(onnxItem(() => ({})).status, 'ok');
  });
});
