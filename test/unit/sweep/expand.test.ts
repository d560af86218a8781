import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { expandSweep, sweepTags } from '../../../src/sweep/expand';

const root = path.resolve(__dirname, '../../../..');
const configSchema = JSON.parse(
  fs.readFileSync(path.join(root, 'trainer/grpo_lens/config.schema.json'), 'utf8'),
) as object;
const BASE = path.join(root, 'trainer/configs/tiny-test.grpo.json');
const SWEEP = path.join(root, 'trainer/configs/demo.sweep.json'); // never written: the base is found relative to it

function expand(text: string, readText = (f: string) => fs.readFileSync(f, 'utf8')) {
  return expandSweep({ text, sweepPath: SWEEP, readText, configSchema });
}

/** The text a problem points at. */
function pointed(text: string, p: { offset: number; length: number }): string {
  return text.slice(p.offset, p.offset + p.length);
}

describe('expanding a sweep into run configs', () => {
  it('combines a grid, last key fastest, and names runs <sweep>-<i>', () => {
    const text = `{
      // JSON with comments
      "base": "tiny-test.grpo.json",
      "grid": {"beta": [0, 0.04], "model.n_layer": [1, 2, 3]}
    }`;
    const sweep = expand(text);
    assert.deepStrictEqual(sweep.problems, []);
    assert.strictEqual(sweep.name, 'demo');
    assert.strictEqual(sweep.basePath, BASE);
    assert.deepStrictEqual(
      sweep.runs.map((r) => [r.name, r.config.beta, (r.config.model as { n_layer: number }).n_layer]),
      [
        ['demo-1', 0, 1],
        ['demo-2', 0, 2],
        ['demo-3', 0, 3],
        ['demo-4', 0.04, 1],
        ['demo-5', 0.04, 2],
        ['demo-6', 0.04, 3],
      ],
    );
    // everything else comes from the base; the run's name is the config's name
    const run = sweep.runs[4];
    assert.strictEqual(run.config.name, 'demo-5');
    assert.strictEqual((run.config.model as { n_head: number }).n_head, 2);
    assert.strictEqual(run.config.max_steps, 200);
    assert.ok(!('$schema' in run.config));
    assert.deepStrictEqual(run.overrides, [
      { key: 'beta', value: 0.04 },
      { key: 'model.n_layer', value: 2 },
    ]);
  });

  it('takes a list of overrides with dotted keys into objects and lists, and names from the overrides', () => {
    const text = `{"name": "rw", "base": "tiny-test.grpo.json", "naming": "overrides", "maxParallel": 2,
      "runs": [{"rewards.0.weight": 2, "loss_type": "dr_grpo"}, {"warm_start.steps": 0}, {"name": "mine", "beta": 0.1}]}`;
    const sweep = expand(text);
    assert.deepStrictEqual(sweep.problems, []);
    assert.strictEqual(sweep.maxParallel, 2);
    assert.deepStrictEqual(
      sweep.runs.map((r) => r.name),
      ['rw-rewards.0.weight=2-loss_type=dr_grpo', 'rw-warm_start.steps=0', 'mine'],
    );
    const rewards = sweep.runs[0].config.rewards as { name: string; weight: number }[];
    assert.deepStrictEqual(rewards[0], { name: 'accuracy', weight: 2 });
    assert.strictEqual(rewards[1].weight, 0.1, 'the other items stay');
    assert.strictEqual((sweep.runs[1].config.warm_start as { steps: number }).steps, 0);
    assert.strictEqual((sweep.runs[1].config.warm_start as { batch_size: number }).batch_size, 16);
    assert.deepStrictEqual(sweepTags('rw', sweep.runs[0].overrides), [
      'sweep:rw',
      'rewards.0.weight=2',
      'loss_type=dr_grpo',
    ]);
  });

  it('refuses an unknown key, pointing at it, and gives no run', () => {
    const text = '{"base": "tiny-test.grpo.json", "grid": {"beta": [0.1], "model.n_layers": [2]}}';
    const sweep = expand(text);
    assert.strictEqual(sweep.runs.length, 0);
    assert.strictEqual(sweep.problems.length, 1);
    assert.match(sweep.problems[0].message, /"model.n_layers" is not an option of the GRPO config/);
    assert.strictEqual(pointed(text, sweep.problems[0]), '"model.n_layers"');
  });

  it('refuses keys below a single value or into a list without an index', () => {
    const text = '{"base": "tiny-test.grpo.json", "runs": [{"beta.low": 1}, {"rewards.weight": 1}]}';
    const messages = expand(text).problems.map((p) => p.message);
    assert.deepStrictEqual(messages, [
      '"beta" is a single value: it has no "low".',
      '"rewards" is a list: its items are numbered ("rewards.0").',
    ]);
  });

  it('refuses an empty grid, a key without values, and an empty list of runs', () => {
    for (const [text, message] of [
      ['{"base": "tiny-test.grpo.json", "grid": {}}', /grid is empty/],
      ['{"base": "tiny-test.grpo.json", "grid": {"beta": []}}', /grid "beta" has no values/],
      ['{"base": "tiny-test.grpo.json", "runs": []}', /"runs" is empty/],
      ['{"base": "tiny-test.grpo.json"}', /needs a "grid".*or "runs"/],
    ] as const) {
      const sweep = expand(text);
      assert.strictEqual(sweep.runs.length, 0, text);
      assert.match(sweep.problems.map((p) => p.message).join('\n'), message, text);
    }
  });

  it('shows a value the config schema refuses once, on that value', () => {
    const text = '{"base": "tiny-test.grpo.json", "grid": {"beta": [0.1, -1], "seed": [1, 2]}}';
    const sweep = expand(text);
    assert.strictEqual(sweep.runs.length, 0);
    assert.strictEqual(sweep.problems.length, 1);
    assert.match(sweep.problems[0].message, /^Run demo-3: "beta" must be >= 0/);
    assert.strictEqual(pointed(text, sweep.problems[0]), '-1');
  });

  it('says when the base config is missing or broken, on "base"', () => {
    const missing = '{"base": "nope.grpo.json", "grid": {"beta": [0.1]}}';
    const a = expand(missing);
    assert.match(a.problems[0].message, /Cannot read the base config nope.grpo.json/);
    assert.strictEqual(pointed(missing, a.problems[0]), '"nope.grpo.json"');
    const b = expand('{"base": "tiny-test.grpo.json", "grid": {"beta": [0.1]}}', () => '{"model": 1}');
    assert.match(b.problems[0].message, /The base config tiny-test.grpo.json has \d problem/);
  });

  it('refuses unknown sweep fields, bad JSON and trailing commas', () => {
    assert.match(
      expand('{"base": "x", "grid": {"beta": [1]}, "parallel": 2}').problems[0].message,
      /unknown field "parallel"/,
    );
    assert.match(expand('{"base": "x",}').problems[0].message, /JSON syntax/);
    assert.match(expand('[1]').problems[0].message, /must be a JSON object/);
  });

  it('makes a relative task.path absolute against the base config (the run has its own copy)', () => {
    const base =
      '{"model": {"type": "tiny"}, "task": {"name": "gsm8k", "path": "data/q.jsonl"}, "rewards": [{"name": "accuracy"}]}';
    const sweep = expand('{"base": "sub/b.grpo.json", "grid": {"beta": [0]}}', () => base);
    assert.deepStrictEqual(sweep.problems, []);
    const task = sweep.runs[0].config.task as { path: string };
    assert.strictEqual(task.path, path.join(path.dirname(SWEEP), 'sub/data/q.jsonl'));
  });

  it('ships a schema that lists the same fields the expansion reads', () => {
    const schema = JSON.parse(
      fs.readFileSync(path.join(root, 'trainer/grpo_lens/sweep.schema.json'), 'utf8'),
    );
    assert.deepStrictEqual(Object.keys(schema.properties).sort(), [
      '$schema',
      'base',
      'grid',
      'maxParallel',
      'name',
      'naming',
      'runs',
    ]);
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.ok(
      pkg.contributes.jsonValidation.some((v: { fileMatch: string }) => v.fileMatch === '*.sweep.json'),
    );
  });

  it('expands the examples of docs/queue.md as they are written', () => {
    const doc = fs.readFileSync(path.join(root, 'docs/queue.md'), 'utf8');
    const examples = [...doc.matchAll(/```jsonc\n([\s\S]*?)```/g)].map((m) => m[1]);
    assert.deepStrictEqual(
      examples.map((text) => {
        const sweep = expand(text);
        assert.deepStrictEqual(sweep.problems, [], text);
        return sweep.runs.map((r) => r.name);
      }),
      [
        [
          'beta-lr-1',
          'beta-lr-2',
          'beta-lr-3',
          'beta-lr-4',
          'beta-lr-5',
          'beta-lr-6',
          'beta-lr-7',
          'beta-lr-8',
        ],
        ['demo-1', 'dr-grpo'],
      ],
    );
  });
});
