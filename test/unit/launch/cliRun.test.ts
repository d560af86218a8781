// `grpo-lens run` with the stand-in trainer (a real Python process that writes a TRL
// output_dir and starts a child): it appears through the TRL source with controls,
// pause stops every process of its group, resume continues, stop names the signal.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { launchView } from '../../../src/launch/launchState';
import { readLaunch, readStatus } from '../../../src/launch/sidecar';
import { findRuns } from '../../../src/runs/discovery';
import { SOURCES } from '../../../src/runs/sources/registry';
import { ensureBundle, runCli } from '../cli/harness';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { checkpointsIn, groupStates, standin, until } from './launchHelpers';

describe('grpo-lens run, pause, resume, stop, status', function () {
  this.timeout(120_000);
  let root: string;
  let sidecar: string | undefined;
  before(ensureBundle);
  beforeEach(() => {
    root = makeTempDir('grpo-lens-launch-');
    sidecar = undefined;
  });
  afterEach(() => {
    if (sidecar) runCli(['stop', sidecar, '--kill'], root); // never leave a process behind
    removeDir(root);
  });

  function start(out: string): string {
    const { code, stdout, stderr } = runCli(
      ['run', '--name', 'standin', '--watch', out, '--', ...standin(out)],
      root,
    );
    assert.strictEqual(code, 0, stderr);
    sidecar = stdout.trim();
    return sidecar;
  }

  it('starts detached, prints a sidecar next to the output (status, launch, log) and returns', async () => {
    const out = path.join(root, 'outputs', 'trl');
    const dir = start(out);
    assert.strictEqual(path.dirname(path.dirname(path.dirname(dir))), path.join(root, 'outputs'));
    assert.ok(!dir.startsWith(out + path.sep), 'the sidecar is never inside the trainer output');
    const status = await until('running', () =>
      readStatus(dir)?.state === 'running' ? readStatus(dir) : undefined,
    );
    assert.strictEqual(status.host, os.hostname());
    assert.strictEqual(status.pgid, status.pid);
    assert.ok(status.childPid && status.startedAt > 0);
    assert.deepStrictEqual(readLaunch(dir)?.watch, [out]);
    await until('a checkpoint', () => checkpointsIn(out) > 0);
    assert.match(fs.readFileSync(path.join(dir, 'train.log'), 'utf8'), /step 1/);
  });

  it('the run the TRL source finds is linked to the launch: running, with control', async () => {
    const out = path.join(root, 'outputs', 'trl');
    start(out);
    await until('a checkpoint', () => checkpointsIn(out) > 0);
    const [found] = await findRuns([{ path: root, depth: 3 }]);
    assert.strictEqual(found?.source, 'trl');
    const reader = SOURCES.find((s) => s.kind === 'trl')!.open(found);
    await reader.open();
    assert.strictEqual(reader.summary.state, 'running');
    assert.strictEqual(reader.summary.capabilities.control, true);
    assert.strictEqual(reader.summary.launch?.sidecar, sidecar);
    reader.dispose();
  });

  it('pause stops every process of the group (state T), resume continues, stop ends it by SIGINT', async () => {
    const out = path.join(root, 'outputs', 'trl');
    const dir = start(out);
    await until('the child', () => groupStates(dir).length >= 3);
    let result = runCli(['pause', out], root);
    assert.strictEqual(result.code, 0, result.stderr);
    const states = await until(
      'all stopped',
      () => groupStates(dir).every((s) => s === 'T') && groupStates(dir),
    );
    assert.ok(states.length >= 3, `supervisor, trainer and its child: ${states.join(' ')}`);
    assert.strictEqual(launchView(dir)?.state, 'paused');
    const paused = checkpointsIn(out);
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.strictEqual(checkpointsIn(out), paused, 'a paused run writes nothing');
    result = runCli(['resume', dir], root);
    assert.strictEqual(result.code, 0, result.stderr);
    await until('steps again', () => checkpointsIn(out) > paused);
    assert.ok(groupStates(dir).every((s) => s !== 'T'));
    result = runCli(['stop', dir], root);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.strictEqual(result.stdout.trim(), 'stopped by SIGINT');
    const status = readStatus(dir)!;
    assert.strictEqual(status.endedBy, 'SIGINT');
    assert.strictEqual(status.exitCode, 0, 'the trainer finished its step, saved and exited');
    assert.match(fs.readFileSync(path.join(dir, 'train.log'), 'utf8'), /interrupted, saved at step/);
    assert.deepStrictEqual(groupStates(dir), []);
    const shown = JSON.parse(runCli(['status', out, '--json'], root).stdout) as Record<string, unknown>;
    assert.strictEqual(shown.state, 'stopped');
    assert.strictEqual(shown.endedBy, 'SIGINT');
    sidecar = undefined;
  });

  it('stop goes on to SIGTERM, then SIGKILL, for a command that ignores the gentler signal', async () => {
    const ignoreInt =
      'import signal,time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True: time.sleep(0.1)';
    let result = runCli(['run', '--', 'python3', '-c', ignoreInt], root);
    const first = result.stdout.trim();
    await until('running', () => readStatus(first)?.state === 'running');
    result = runCli(['stop', first, '--sigint-timeout', '1'], root);
    assert.strictEqual(result.stdout.trim(), 'stopped by SIGTERM', result.stderr);
    const ignoreBoth = ignoreInt.replace('\nwhile', '\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile');
    result = runCli(['run', '--', 'python3', '-c', ignoreBoth], root);
    const second = result.stdout.trim();
    await until('running', () => readStatus(second)?.state === 'running');
    result = runCli(['stop', second, '--sigint-timeout', '0.5', '--sigterm-timeout', '0.5'], root);
    assert.strictEqual(result.stdout.trim(), 'stopped by SIGKILL', result.stderr);
    assert.strictEqual(readStatus(second)?.endedBy, 'SIGKILL');
    assert.strictEqual(launchView(second)?.state, 'stopped');
  });

  it('--attach streams the log until the run ends and exits with its code', () => {
    const result = runCli(['run', '--attach', '--', 'python3', '-c', 'print("hello from the run")'], root);
    assert.strictEqual(result.code, 0, result.stderr);
    assert.match(result.stdout, /hello from the run/);
  });
});
