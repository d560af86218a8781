import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from '../../../src/cli/args';
import { resolveRun } from '../../../src/cli/findRun';
import type { FoundRun, RunSource } from '../../../src/runs/sources/source';
import { makeTempDir, removeDir } from '../runs/tempDir';

/** A database-shaped source: each `*.db` file holds runs named one per line, ids `<db>#<name>`. */
const dbSource: RunSource = {
  kind: 'trackio',
  label: 'Database',
  find(dir, entries) {
    const runs: FoundRun[] = [];
    for (const file of entries.filter((e) => e.endsWith('.db'))) {
      const db = path.join(dir, file);
      for (const name of fs.readFileSync(db, 'utf8').split('\n').filter(Boolean))
        runs.push({ id: `${db}#${name}`, dir, source: 'trackio', name, watch: [db] });
    }
    return Promise.resolve(runs);
  },
  open: () => {
    throw new Error('not opened in these tests');
  },
};
const options = { sources: [dbSource], fallbacks: [] };

describe('resolving RUN to one run', () => {
  let root: string;
  let cwd: string;
  beforeEach(() => {
    root = makeTempDir('grpo-lens-cli-');
    fs.mkdirSync(path.join(root, 'store'));
    fs.writeFileSync(path.join(root, 'store', 'project.db'), 'first\nsecond#2\n');
    cwd = process.cwd();
    process.chdir(root);
  });
  afterEach(() => {
    process.chdir(cwd);
    removeDir(root);
  });

  it('finds a run by `<db>#<run>`, the db relative or absolute, a # inside the run name included', async () => {
    const db = path.join(root, 'store', 'project.db');
    assert.strictEqual((await resolveRun('store/project.db#first', options)).id, `${db}#first`);
    assert.strictEqual((await resolveRun(`${db}#second#2`, options)).name, 'second#2');
  });

  it('says which runs there are when the id names none or a folder or db holds several', async () => {
    await assert.rejects(resolveRun('store/project.db#third', options), (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.match(err.message, /no run with this id in .*project\.db \(ids: .*#first, .*#second#2\)/);
      return true;
    });
    await assert.rejects(resolveRun('store', options), /store holds 2 runs; name one by its id/);
    await assert.rejects(resolveRun('store/project.db', options), /holds 2 runs/);
    await assert.rejects(resolveRun('elsewhere.db#first', options), /elsewhere\.db#first does not exist/);
  });

  it('a folder with one run is that run; a folder with none is not a run folder', async () => {
    fs.writeFileSync(path.join(root, 'store', 'project.db'), 'only\n');
    assert.strictEqual((await resolveRun('store', options)).name, 'only');
    fs.mkdirSync(path.join(root, 'empty'));
    await assert.rejects(resolveRun('empty', options), (err: Error) => {
      assert.ok(err instanceof UsageError);
      assert.strictEqual(
        err.message,
        'empty is not a run folder GRPO Lens can read (looked for runs of: Database; ' +
          '`grpo-lens ls empty` lists the runs below it)',
      );
      return true;
    });
  });
});
