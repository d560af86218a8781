import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { readTags, tagRun, TAGS_FILE } from '../../../src/queue/tags';

describe('tags of a queued run', () => {
  it('adds the sweep tags to those the run has, once each, in a sidecar of ours', () => {
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tags-'));
    assert.deepStrictEqual(readTags(runDir), []);
    tagRun(runDir, ['sweep:lr', 'learning_rate=0.001']);
    tagRun(runDir, ['sweep:lr', 'mine']);
    assert.deepStrictEqual(readTags(runDir), ['sweep:lr', 'learning_rate=0.001', 'mine']);
    assert.deepStrictEqual(fs.readdirSync(runDir), [TAGS_FILE], 'no temp file left');
    fs.writeFileSync(path.join(runDir, TAGS_FILE), '{"tags": ["a"'); // torn
    assert.deepStrictEqual(readTags(runDir), []);
  });
});
