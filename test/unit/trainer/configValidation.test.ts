import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfigText } from '../../../src/trainer/configValidation';
import { STARTER_CONFIG } from '../../../src/trainer/template';

const root = path.resolve(__dirname, '../../../..');
const schema = JSON.parse(
  fs.readFileSync(path.join(root, 'trainer/grpo_lens/config.schema.json'), 'utf8'),
) as object;

describe('checking a GRPO config against the trainer schema', () => {
  it('accepts the starter template and the shipped configs (comments allowed)', () => {
    assert.deepStrictEqual(checkConfigText(STARTER_CONFIG, schema).problems, []);
    for (const name of fs.readdirSync(path.join(root, 'trainer/configs'))) {
      const text = fs.readFileSync(path.join(root, 'trainer/configs', name), 'utf8');
      assert.deepStrictEqual(checkConfigText(text, schema).problems, [], name);
    }
  });

  it('points at the value of a wrong option', () => {
    const text =
      '{\n  "model": {"type": "tiny"},\n  "task": {"name": "arithmetic"},\n  "rewards": [{"name": "accuracy"}],\n  "beta": "lots"\n}';
    const { problems } = checkConfigText(text, schema);
    assert.strictEqual(problems.length, 1);
    assert.match(problems[0].message, /"beta" must be a number/);
    assert.strictEqual(text.slice(problems[0].offset, problems[0].offset + problems[0].length), '"lots"');
  });

  it('points at the key of an unknown option and names missing ones', () => {
    const text = '{"model": {"type": "tiny"}, "task": {"name": "arithmetic"}, "rewardz": []}';
    const { problems } = checkConfigText(text, schema);
    const unknown = problems.find((p) => /unknown option "rewardz"/.test(p.message));
    assert.ok(unknown);
    assert.strictEqual(text.slice(unknown.offset, unknown.offset + unknown.length), '"rewardz"');
    assert.ok(problems.some((p) => /missing the required option "rewards"/.test(p.message)));
  });

  it('explains an enum and reports JSON syntax errors with a position', () => {
    const bad = checkConfigText(
      '{"model": {"type": "huge"}, "task": {"name": "arithmetic"}, "rewards": [{"name": "a"}]}',
      schema,
    );
    assert.match(bad.problems[0].message, /"model.type" must be one of "tiny", "hf"/);
    const syntax = checkConfigText('{"model": {"type": "tiny"},, }', schema);
    assert.ok(syntax.problems.length > 0);
    assert.match(syntax.problems[0].message, /^JSON syntax/);
  });
});
