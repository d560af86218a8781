// The host runner's conventions: which test files share a launch and in which trust state.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { globToRegExp } from '../../harness/glob';
import { planLaunches, suiteFiles } from '../../harness/hostGroups';

describe('host test grouping', () => {
  let dir: string;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-groups-'));
    const files: Record<string, string> = {
      'activation.test.js': '',
      'runs/store.test.js': '',
      'trust.untrusted.test.js': '',
      'reattach.isolated.test.js': '',
      'reload-before.driven.test.js': '',
      'fixture.test.js': '// @host-workspace test/fixtures/runs-basic\n',
      'helpers.js': '',
    };
    for (const [rel, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      fs.writeFileSync(path.join(dir, rel), text);
    }
  });

  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('matches globs with ** across folders', () => {
    assert.ok(globToRegExp('**/*.test.js').test('a.test.js'));
    assert.ok(globToRegExp('**/*.test.js').test('runs/deep/a.test.js'));
    assert.ok(!globToRegExp('*.test.js').test('runs/a.test.js'));
    assert.ok(!globToRegExp('**/*.test.js').test('helpers.js'));
  });

  it('leaves driven files to the tests that drive them', () => {
    assert.deepStrictEqual(suiteFiles(dir), [
      'activation.test.js',
      'fixture.test.js',
      'reattach.isolated.test.js',
      'runs/store.test.js',
      'trust.untrusted.test.js',
    ]);
  });

  it('plans one launch per trust state and workspace, isolated files last', () => {
    const plan = planLaunches(suiteFiles(dir), dir);
    assert.deepStrictEqual(
      plan.map((l) => [l.label, l.trusted, l.workspaceFrom, l.files]),
      [
        ['trusted', true, undefined, ['activation.test.js', 'runs/store.test.js']],
        ['trusted-runs-basic', true, 'test/fixtures/runs-basic', ['fixture.test.js']],
        ['untrusted', false, undefined, ['trust.untrusted.test.js']],
        ['reattach.isolated', true, undefined, ['reattach.isolated.test.js']],
      ],
    );
  });
});
