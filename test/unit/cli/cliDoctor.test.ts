// grpo-lens doctor: the bundled command over written runs of ours and of other trainers.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { EventFileWriter } from '../../fixtures/writers/tfevents';
import { TrlRunWriter } from '../../fixtures/writers/trlRun';
import { makeTempDir, removeDir, jsonl } from '../runs/tempDir';
import { stepData, writeVerl } from '../sources/verl/verlWriter';
import { ensureBundle, runCli, writeRun } from './harness';

/** A metrics line as our trainer writes it, healthy, with `change` applied. */
function line(step: number, change: Record<string, number> = {}): object {
  const wobble = Math.sin(step * 12.9898) * 0.5;
  return {
    step,
    time: 1_700_000_000 + step,
    reward: 0.3 + 0.05 * wobble,
    frac_reward_zero_std: 0.3 + 0.1 * wobble,
    kl: 0.02 + 0.004 * wobble,
    loss: 0.01,
    grad_norm: 0.5 + 0.1 * wobble,
    ...change,
  };
}

describe('grpo-lens doctor', function () {
  this.timeout(120_000);
  let root: string;
  before(ensureBundle);
  beforeEach(() => (root = makeTempDir('grpo-lens-cli-')));
  afterEach(() => removeDir(root));

  function spikyRun(): string {
    const lines = Array.from({ length: 100 }, (_, i) => line(i + 1, i + 1 === 80 ? { kl: 4.1 } : {}));
    return writeRun(root, 'spiky', { state: 'finished', step: 100, total_steps: 100 }, lines);
  }

  it('--json gives id, severity, steps, message and evidence; a warning alone exits 0', () => {
    const { code, stdout, stderr } = runCli(['doctor', spikyRun(), '--json'], root);
    assert.strictEqual(code, 0, stderr);
    const out = JSON.parse(stdout) as { findings: Record<string, unknown>[] };
    assert.strictEqual(out.findings.length, 1, stdout);
    const [f] = out.findings;
    assert.deepStrictEqual(Object.keys(f), ['id', 'severity', 'steps', 'message', 'evidence']);
    assert.deepStrictEqual([f.id, f.severity, f.steps], ['kl-spike', 'warning', [80, 80]]);
    assert.match(String(f.message), /^KL jumped to 4\.1 at step 80 \(recent median 0\.02\d*\)$/);
    assert.strictEqual((f.evidence as Record<string, number>).kl, 4.1);
  });

  it('--fail-on warning exits 1 on that warning; a wrong level is a usage error', () => {
    spikyRun();
    assert.strictEqual(runCli(['doctor', 'spiky', '--fail-on', 'warning'], root).code, 1);
    const bad = runCli(['doctor', 'spiky', '--fail-on', 'info'], root);
    assert.strictEqual(bad.code, 2);
    assert.match(bad.stderr, /--fail-on needs warning or error, got 'info'/);
  });

  it('text: severity, id, steps, message, why and try; an error exits 1', () => {
    const lines = Array.from({ length: 40 }, (_, i) => line(i + 1, { frac_reward_zero_std: 1 }));
    const dir = writeRun(root, 'flat', { state: 'finished', step: 40 }, lines);
    const { code, stdout } = runCli(['doctor', dir], root);
    assert.strictEqual(code, 1);
    const text = stdout.split('\n');
    assert.strictEqual(text[0], '1 error, 1 warning');
    assert.deepStrictEqual(text.slice(2, 4), [
      'ERROR  no-learning-signal  (steps 1–40)',
      '  No learning signal for 40 steps (1–40): 100% of groups gave every completion the same reward',
    ]);
    assert.match(text[4], /^ {2}why: GRPO learns only from differences within a group/);
    assert.match(text[5], /^ {2}try: /);
    assert.match(stdout, /WARNING {2}zero-std-groups/);
  });

  it('a healthy run: "No problems found." and exit 0', () => {
    const dir = writeRun(
      root,
      'fine',
      { state: 'finished', step: 60 },
      Array.from({ length: 60 }, (_, i) => line(i + 1)),
    );
    const { code, stdout } = runCli(['doctor', dir], root);
    assert.deepStrictEqual([code, stdout.trim()], [0, 'No problems found.']);
  });

  it('strings from the run are shown with control and bidi characters made visible', () => {
    const dir = writeRun(root, 'failed', { state: 'failed', step: 3 }, [line(1), line(2), line(3)]);
    const failure = { time: 1, event: 'failed', message: 'loss is nan \u202eevil\u001b[31m' };
    fs.writeFileSync(path.join(dir, 'events.jsonl'), jsonl([failure]));
    const { code, stdout } = runCli(['doctor', dir], root);
    assert.strictEqual(code, 1);
    assert.match(stdout, /ERROR {2}non-finite {2}\(step 3\)/);
    assert.ok(!stdout.includes('\u202e') && !stdout.includes('\u001b'), stdout);
  });

  it('a running run that has written nothing for an hour is stalled (error)', () => {
    const now = Date.now() / 1000;
    const lines = Array.from({ length: 30 }, (_, i) => line(i + 1, { time: now - 3600 - (30 - i) * 2 }));
    const dir = writeRun(root, 'hung', { state: 'running', pid: 1, step: 30, updated: now - 3600 }, lines);
    const { code, stdout } = runCli(['doctor', dir, '--json'], root);
    assert.strictEqual(code, 1, stdout);
    const [f] = (JSON.parse(stdout) as { findings: { id: string; message: string }[] }).findings;
    assert.strictEqual(f.id, 'stalled');
    assert.match(
      f.message,
      /^The run has written nothing for 60 min after step 30; a step usually takes 2 s$/,
    );
  });

  it('verl: a KL spike in actor/kl_loss; the metrics verl does not log give no finding', () => {
    const file = path.join(root, 'gsm8k', 'exp.jsonl');
    const lines = Array.from({ length: 60 }, (_, i) => ({
      step: i + 1,
      data: stepData(i + 1, { 'actor/kl_loss': i + 1 === 55 ? 2.5 : 0.01 + 0.001 * Math.sin(i) }),
    }));
    writeVerl({ op: 'log', path: file, writer: 'json', lines });
    const { code, stdout } = runCli(['doctor', file, '--json'], root);
    assert.strictEqual(code, 0, stdout);
    const found = (JSON.parse(stdout) as { findings: { id: string; steps: number[] }[] }).findings;
    assert.deepStrictEqual(
      found.map((f) => [f.id, f.steps]),
      [['kl-spike', [55, 55]]],
    );
  });

  it('TRL: a run as TRL writes it (metrics and completions with advantages) gives no false finding', () => {
    const dir = path.join(root, 'outputs', 'qwen');
    const writer = new TrlRunWriter(dir, {
      rewardFuncs: ['accuracy_reward'],
      numGenerations: 4,
      promptsPerStep: 2,
      maxSteps: 30,
    });
    writer.steps(30);
    writer.finish();
    const { code, stdout } = runCli(['doctor', dir, '--json'], root);
    assert.strictEqual(code, 0, stdout);
    assert.deepStrictEqual(JSON.parse(stdout), { findings: [] });
  });

  it('TensorBoard: a grad norm spike in train/grad_norm; nothing from the metrics it lacks', () => {
    const writer = new EventFileWriter(path.join(root, 'tb', 'run1'));
    for (let step = 1; step <= 60; step++) {
      writer.addScalar('train/loss', 0.5 - step / 200, step);
      writer.addScalar('train/grad_norm', step === 45 ? 30 : 0.8 + 0.1 * Math.sin(step), step);
    }
    const { code, stdout } = runCli(['doctor', path.join(root, 'tb', 'run1'), '--json'], root);
    assert.strictEqual(code, 0, stdout);
    const found = (JSON.parse(stdout) as { findings: { id: string; steps: number[] }[] }).findings;
    assert.deepStrictEqual(
      found.map((f) => [f.id, f.steps]),
      [['grad-spike', [45, 45]]],
    );
  });
});
