import * as assert from 'assert';
import * as path from 'path';
import { excludedBy } from '../../../src/runs/excludes';

describe('files.exclude for the run search', () => {
  const ws = path.resolve('/ws');
  const excluded = excludedBy(['**/.git', '**/outputs/old', 'scratch/**'], [ws]);

  it('matches globs relative to a workspace folder', () => {
    assert.strictEqual(excluded(path.join(ws, 'outputs', 'old')), true);
    assert.strictEqual(excluded(path.join(ws, 'a', 'outputs', 'old')), true);
    assert.strictEqual(excluded(path.join(ws, 'scratch', 'run1')), true);
    assert.strictEqual(excluded(path.join(ws, 'outputs', 'new')), false);
  });

  it('never excludes a folder outside every workspace folder (runRoots, opened folders)', () => {
    assert.strictEqual(excluded(path.resolve('/elsewhere/outputs/old')), false);
    assert.strictEqual(excludedBy([], [ws])(path.join(ws, 'outputs', 'old')), false);
  });
});
