// Bad starts get a clear message with the last lines of the log: a command that is not
// found, one that ends at once, one that never writes the folder it was said to write.
import * as assert from 'assert';
import * as os from 'os';
import * as path from 'path';
import { launchView } from '../../../src/launch/launchState';
import { controllableGroup, ControlRefused } from '../../../src/launch/groupControl';
import { updateStatus } from '../../../src/launch/sidecar';
import { watchStart } from '../../../src/launch/startWatch';
import { ensureBundle, runCli } from '../cli/harness';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { until } from './launchHelpers';

describe('grpo-lens run: bad starts', function () {
  this.timeout(60_000);
  let root: string;
  before(ensureBundle);
  beforeEach(() => (root = makeTempDir('grpo-lens-badlaunch-')));
  afterEach(() => removeDir(root));

  it('a command that is not found: exit 1, "command not found", nothing left running', () => {
    const result = runCli(['run', '--', 'no-such-trainer-xyz', '--lr', '1'], root);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /no-such-trainer-xyz.*command not found/);
    assert.strictEqual(launchView(result.stdout.trim())?.state, 'failed');
  });

  it('a command that ends at once: its exit code and the last lines of its log', () => {
    const script = 'import sys\nprint("loading model")\nsys.exit("CUDA out of memory")';
    const result = runCli(['run', '--', 'python3', '-c', script], root);
    assert.strictEqual(result.code, 1);
    assert.match(result.stderr, /ended at once \(exit code 1\)/);
    assert.match(result.stderr, /loading model/);
    assert.match(result.stderr, /CUDA out of memory/);
  });

  it('a command that never writes its watched folder is reported after the timeout', async () => {
    const watched = path.join(root, 'out', 'never');
    const result = runCli(
      ['run', '--watch', watched, '--', 'python3', '-c', 'import time; time.sleep(30)'],
      root,
    );
    const sidecar = result.stdout.trim();
    try {
      const problem = await watchStart(sidecar, { outputTimeoutMs: 1000 });
      assert.strictEqual(problem?.kind, 'no-output');
      assert.match(problem.message, /written nothing in .*never after 1 s/);
    } finally {
      runCli(['stop', sidecar, '--kill'], root);
    }
  });

  it('a run on another host is shown as running there and cannot be controlled from here', async () => {
    const result = runCli(['run', '--', 'python3', '-c', 'import time; time.sleep(30)'], root);
    const sidecar = result.stdout.trim();
    try {
      await until('running', () => launchView(sidecar)?.state === 'running');
      updateStatus(sidecar, { host: 'gpu-node-7' });
      const view = launchView(sidecar);
      assert.strictEqual(view?.state, 'running');
      assert.strictEqual(view?.remote, true);
      assert.throws(
        () => controllableGroup(sidecar),
        (e: Error) => e instanceof ControlRefused && /gpu-node-7/.test(e.message),
      );
      const text = runCli(['status', sidecar], root).stdout;
      assert.match(text, /running on gpu-node-7 \(another host/);
    } finally {
      updateStatus(sidecar, { host: os.hostname() });
      runCli(['stop', sidecar, '--kill'], root);
    }
  });
});
