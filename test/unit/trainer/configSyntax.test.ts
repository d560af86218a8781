// The syntax of *.grpo.json is one rule for the extension and the trainer: the same cases
// are read by trainer/tests/test_config.py (test_config_syntax_is_the_extensions).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { checkConfigText } from '../../../src/trainer/configValidation';

const root = path.resolve(__dirname, '../../../..');
const { cases } = JSON.parse(
  fs.readFileSync(path.join(root, 'trainer/tests/data/config_syntax_cases.json'), 'utf8'),
) as { cases: { name: string; text: string; valid: boolean }[] };

describe('config syntax, as the trainer reads it', () => {
  // Any schema: only whether the text parses is compared here.
  const anything = {};
  for (const c of cases) {
    it(`${c.valid ? 'accepts' : 'rejects'} ${c.name}`, () => {
      const { problems } = checkConfigText(c.text, anything);
      assert.strictEqual(problems.length === 0, c.valid, JSON.stringify(problems));
    });
  }
});
