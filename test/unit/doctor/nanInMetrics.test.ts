// A NaN loss as our trainer writes it (null in metrics.jsonl, by grpo_lens.run_dir) reaches
// the doctor through the run store's readers as a non-finite value at its step, not only
// through the failed event that follows it. The run: test/fixtures/doctor/make.py.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { makeTempDir, removeDir } from '../runs/tempDir';
import { examine, listed } from './trainerRuns';

const fixture = path.join(__dirname, '../../../../test/fixtures/doctor/runs/provoked');

describe('the run doctor on a NaN loss written by our trainer', () => {
  let dir: string;
  before(() => {
    dir = path.join(makeTempDir(), 'provoked');
    fs.cpSync(fixture, dir, { recursive: true });
    // without the failed event: the metrics alone must say it
    const events = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n');
    fs.writeFileSync(
      path.join(dir, 'events.jsonl'),
      events.filter((l) => !l.includes('"failed"')).join('\n'),
    );
  });
  after(() => removeDir(path.dirname(dir)));

  it('finds non-finite at step 55 from the null loss', async () => {
    assert.match(fs.readFileSync(path.join(dir, 'metrics.jsonl'), 'utf8'), /"step":55,.*"loss":null/);
    const findings = await examine(dir);
    const nan = findings.find((f) => f.id === 'non-finite');
    assert.ok(nan, listed(findings));
    assert.deepStrictEqual(nan.steps, [55, 55]);
    assert.strictEqual(nan.evidence.metrics, 'loss');
  });
});
