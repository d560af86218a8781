// A run that fails before it trains (here: a reward file that raises on import) is still
// a run in the explorer: the trainer writes run.json first, and the run shows as failed
// with its one-line reason (issue 11, defect 8).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { runTooltip } from '../../src/views/runItem';
import { runsApi, startRunUntil, workspaceDir, writeConfigWithUserReward } from './runsHelpers';

/** The tiny test config with one more reward, from a module that raises on import. */
function writeConfig(folder: string): string {
  const code = "raise RuntimeError('no such table: answers')\n";
  const reward = { name: 'mine', entry: 'broken_reward:score', weight: 1.0, module: 'broken_reward', code };
  return writeConfigWithUserReward(folder, 'broken-start', reward);
}

describe('a run that fails before it trains (extension host)', function () {
  this.timeout(120_000);

  it('is listed in the run explorer as failed, with the reason', async () => {
    const runs = await runsApi();
    const config = writeConfig(path.join(workspaceDir(), 'broken-start'));
    const { runDir, run } = await startRunUntil(config, ['failed'], 90_000);
    assert.match(run.error ?? '', /broken_reward/);
    assert.match(run.error ?? '', /no such table: answers/);
    assert.strictEqual(run.name, 'broken-start', 'named from run.json, written before the config loaded');
    const node = runs.tree.runNode(runDir);
    const item = runs.tree.getTreeItem(node);
    assert.match(String(item.label), /broken-start/);
    assert.match(runTooltip(run).value, /no such table: answers/, 'the tree tooltip says why');
    const runJson = JSON.parse(fs.readFileSync(path.join(runDir, 'run.json'), 'utf8')) as { config: unknown };
    assert.strictEqual(runJson.config, null);
  });
});
