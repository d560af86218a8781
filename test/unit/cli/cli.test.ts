import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { CLI, ensureBundle, runCli, writeRun } from './harness';

describe('grpo-lens ls and show', function () {
  this.timeout(120_000);
  let root: string;
  before(ensureBundle);
  beforeEach(() => (root = makeTempDir('grpo-lens-cli-')));
  afterEach(() => removeDir(root));

  function twoRuns(): void {
    writeRun(root, 'a', { state: 'finished', step: 3, total_steps: 10 }, [
      { step: 1, reward: 0.1 },
      { step: 2, reward: 0.2 },
      { step: 3, reward: 0.25 },
    ]);
    writeRun(path.join(root, 'runs', 'deep'), 'b', { state: 'stopped', step: 1 }, [{ step: 1, reward: 0.5 }]);
    // four levels down: below the depth the extension scans a workspace folder to
    writeRun(path.join(root, 'w', 'x', 'y', 'z'), 'too-deep', { state: 'finished', step: 1 }, [{ step: 1 }]);
    fs.mkdirSync(path.join(root, 'not-a-run'));
  }

  it('ls lists every run under the current folder, one per line, three levels down', () => {
    twoRuns();
    const { code, stdout, stderr } = runCli(['ls'], root);
    assert.strictEqual(code, 0, stderr);
    const lines = stdout.trim().split('\n');
    assert.strictEqual(lines.length, 2, stdout);
    assert.match(lines[0], /^GRPO Lens\s+a\s+finished\s+step 3\/10\s+reward 0\.25$/);
    assert.match(lines[1], /^GRPO Lens\s+b\s+stopped\s+step 1\/10\s+reward 0\.5$/);
  });

  it('ls --json gives source, name, dir, id, state, step, total_steps and reward for the DIRs named', () => {
    twoRuns();
    const { code, stdout } = runCli(['ls', path.join(root, 'runs'), '--json'], '/');
    assert.strictEqual(code, 0);
    const dir = path.join(root, 'runs', 'deep', 'b');
    assert.deepStrictEqual(JSON.parse(stdout), [
      {
        source: 'grpo-lens',
        name: 'b',
        dir,
        id: dir,
        state: 'stopped',
        step: 1,
        total_steps: 10,
        reward: 0.5,
      },
    ]);
  });

  it('show --json gives state, config, the last value of each metric, bad lines and problems', () => {
    const dir = writeRun(root, 'c', { state: 'running', pid: 2 ** 22 + 4321, step: 2, total_steps: 10 }, [
      { step: 1, time: 1700000000, reward: 0.1, kl: 0.01 },
      'not json {',
      { step: 2, time: 1700000002, reward: 0.3 },
    ]);
    const { code, stdout } = runCli(['show', dir, '--json'], root);
    assert.strictEqual(code, 0);
    assert.deepStrictEqual(JSON.parse(stdout), {
      source: 'grpo-lens',
      name: 'c',
      state: 'stale',
      step: 2,
      total_steps: 10,
      config: { max_steps: 10, beta: 0.04 },
      metrics: { kl: 0.01, reward: 0.3 },
      bad_lines: { 'metrics.jsonl': 1 },
      problems: [],
    });
  });

  it('show prints a readable summary for a relative folder', () => {
    writeRun(root, 'd', { state: 'finished', step: 3, total_steps: 3 }, [{ step: 3, reward: 0.75 }]);
    const { code, stdout } = runCli(['show', 'd'], root);
    assert.strictEqual(code, 0);
    assert.match(stdout, /^d \(GRPO Lens\)$/m);
    assert.match(stdout, /state\s+finished/);
    assert.match(stdout, /step\s+3\/3/);
    assert.match(stdout, /reward\s+0\.75/);
  });

  it('a folder that is not a run, a missing path and a bad option exit 2 with one line, no stack', () => {
    fs.mkdirSync(path.join(root, 'empty'));
    const cases: [string[], RegExp][] = [
      [['show', 'empty'], /^grpo-lens: empty is not a run folder GRPO Lens can read \(.*\)\n$/],
      [['samples', 'missing'], /^grpo-lens: missing does not exist\n$/],
      [['ls', 'missing'], /^grpo-lens: missing does not exist\n$/],
      [['metrics', 'empty', '--frobnicate'], /^grpo-lens: Unknown option '--frobnicate'\n$/],
      [['samples', 'empty', '--step', 'last'], /^grpo-lens: --step needs a step number, got 'last'\n$/],
      [['show'], /^grpo-lens: show needs a RUN/],
      [['pause', 'empty'], /^grpo-lens: empty is not a launch of GRPO Lens \(no sidecar names it\)\n$/],
      [['run', 'python3'], /^grpo-lens: run needs the command after --/],
    ];
    for (const [args, message] of cases) {
      const { code, stdout, stderr } = runCli(args, root);
      assert.strictEqual(code, 2, args.join(' '));
      assert.strictEqual(stdout, '', args.join(' '));
      assert.match(stderr, message);
    }
  });

  it('--help and no arguments print the usage of the commands that exist', () => {
    for (const args of [[], ['--help'], ['show', '--help']]) {
      const { code, stdout } = runCli(args, root);
      assert.strictEqual(code, 0);
      assert.match(stdout, /^Usage: grpo-lens/);
      for (const command of ['ls', 'show', 'metrics', 'samples', 'doctor', 'run', 'pause', 'stop', 'status'])
        assert.match(stdout, new RegExp(`^  ${command} `, 'm'));
      assert.doesNotMatch(stdout, /^ +_supervise\b/m);
    }
  });

  it('the bundle reaches neither vscode nor onnxruntime-node', () => {
    const bundle = fs.readFileSync(CLI, 'utf8');
    assert.ok(bundle.startsWith('#!/usr/bin/env node\n'));
    assert.doesNotMatch(bundle, /require\(["']vscode["']\)/);
    assert.doesNotMatch(bundle, /onnxruntime/);
  });
});
