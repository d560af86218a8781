import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { ensureBundle, ROOT, runCli, writeRun, writeSampleRun } from './harness';

describe('grpo-lens metrics and samples', function () {
  this.timeout(120_000);
  let root: string;
  before(ensureBundle);
  beforeEach(() => (root = makeTempDir('grpo-lens-cli-')));
  afterEach(() => removeDir(root));

  /** Steps 1-4, then a resume from the checkpoint at step 2: steps 3-5 again, other values. */
  function resumedRun(): string {
    return writeRun(root, 'resumed', { state: 'finished', step: 5, total_steps: 5 }, [
      { step: 1, reward: 0.1, kl: 0.01 },
      { step: 2, reward: 0.2 },
      { step: 3, reward: 0.3, kl: 0.03 },
      { step: 4, reward: 0.4 },
      { step: 3, reward: 0.33, kl: 0.033 },
      { step: 4, reward: 0.44 },
      { step: 5, reward: 0.55, kl: 0.055 },
    ]);
  }

  it('metrics --json gives one value per step after a resume, null where a step lacks the metric', () => {
    const { code, stdout } = runCli(['metrics', resumedRun(), '--json'], root);
    assert.strictEqual(code, 0);
    assert.deepStrictEqual(JSON.parse(stdout), {
      steps: [1, 2, 3, 4, 5],
      series: { reward: [0.1, 0.2, 0.33, 0.44, 0.55], kl: [0.01, null, 0.033, null, 0.055] },
    });
  });

  it('metrics prints TSV with a header, --keys picks the columns', () => {
    resumedRun();
    const all = runCli(['metrics', 'resumed'], root);
    assert.strictEqual(all.code, 0);
    assert.deepStrictEqual(all.stdout.trim().split('\n'), [
      'step\treward\tkl',
      '1\t0.1\t0.01',
      '2\t0.2\t',
      '3\t0.33\t0.033',
      '4\t0.44\t',
      '5\t0.55\t0.055',
    ]);
    const some = runCli(['metrics', 'resumed', '--keys', 'kl'], root);
    assert.strictEqual(some.stdout.trim().split('\n')[0], 'step\tkl');
    assert.strictEqual(some.stdout.trim().split('\n')[3], '3\t0.033');
  });

  it('samples without --step gives the latest step with samples, in the JSON contract', () => {
    const dir = writeSampleRun(path.join(root, 'fixture'));
    const { code, stdout } = runCli(['samples', dir, '--json'], root);
    assert.strictEqual(code, 0);
    const data = JSON.parse(stdout);
    assert.strictEqual(data.step, 200);
    assert.strictEqual(data.groups.length, 4);
    assert.deepStrictEqual(Object.keys(data.groups[0]), ['prompt', 'reference', 'completions']);
    assert.strictEqual(data.groups[2].prompt, 'Step 200, question 2: what is 2 + 2?');
    assert.strictEqual(data.groups[2].reference, '4');
    const first = data.groups[0].completions[0];
    assert.deepStrictEqual(Object.keys(first), [
      'text',
      'reward',
      'rewards',
      'advantage',
      'advantage_computed',
    ]);
    assert.deepStrictEqual(Object.keys(first.rewards), ['accuracy', 'format']);
    assert.strictEqual(first.advantage_computed, false);
  });

  it('samples --step N gives that step; text shows prompt, completions, rewards and advantages', () => {
    const dir = writeSampleRun(path.join(root, 'fixture'));
    const json = JSON.parse(runCli(['samples', dir, '--step', '10', '--json'], root).stdout);
    assert.strictEqual(json.step, 10);
    assert.strictEqual(json.groups[0].prompt, 'Step 10, question 0: what is 2 + 0?');
    const text = runCli(['samples', dir, '--step', '10'], root);
    assert.strictEqual(text.code, 0);
    assert.match(text.stdout, /^step 10: 4 groups$/m);
    assert.match(text.stdout, /^ {4}Step 10, question 3: what is 2 \+ 3\?$/m);
    const c = json.groups[0].completions[0];
    const advantage = String(Number(c.advantage.toFixed(4)));
    assert.ok(
      text.stdout.includes(
        `completion 1: reward ${c.reward} (accuracy 1, format 0.2), advantage ${advantage}`,
      ),
    );
    const none = runCli(['samples', dir, '--step', '11', '--json'], root);
    assert.deepStrictEqual(JSON.parse(none.stdout), { step: 11, groups: [] });
  });

  it('text output shows bidi overrides and control characters as visible markers; JSON keeps them', () => {
    const dir = writeRun(
      root,
      'hostile',
      { state: 'finished', step: 1 },
      [{ step: 1, reward: 1 }],
      'a\u202Eevil',
    );
    fs.copyFileSync(
      path.join(ROOT, 'test', 'fixtures', 'hostile', 'samples.jsonl'),
      path.join(dir, 'samples.jsonl'),
    );
    const text = runCli(['samples', dir], root);
    assert.strictEqual(text.code, 0);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(text.stdout, /[\u202A-\u202E\u2066-\u2069\u0000-\u0008\u001b]/);
    assert.ok(text.stdout.includes('\u27e6U+202E\u27e7txt.exe\u27e6U+202C\u27e7 bidi override'));
    assert.ok(text.stdout.includes('\u27e6U+001B\u27e7[31mred'));
    const listed = runCli(['ls'], root).stdout;
    assert.ok(listed.includes('a\u27e6U+202E\u27e7evil'), listed);
    const json = JSON.parse(runCli(['samples', dir, '--json'], root).stdout);
    const texts = json.groups[0].completions.map((c: { text: string }) => c.text);
    assert.ok(texts.includes('\u202Etxt.exe\u202C bidi override, \u2066isolate\u2069'));
  });
});
