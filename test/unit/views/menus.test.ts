// The run context menus (package.json) read the tree item's context value: run.<state>,
// plus ".checkpoints" when the run has a checkpoint.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const pkg = JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../package.json'), 'utf8'));
const menus: { command: string; when: string }[] = pkg.contributes.menus['view/item/context'];

/** Whether some menu entry of `command` shows for an item with this context value. */
function offered(command: string, contextValue: string): boolean {
  return menus
    .filter((m) => m.command === command)
    .some((m) => {
      const regex = /viewItem =~ \/(.*?)\/(?: |$)/.exec(m.when);
      if (regex) return new RegExp(regex[1]).test(contextValue);
      return new RegExp(`viewItem == ${contextValue.replace(/\./g, '\\.')}( |$)`).test(m.when);
    });
}

describe('run context menus', () => {
  it('offer Resume from Checkpoint only for a run with a checkpoint', () => {
    assert.ok(offered('grpoLens.resumeFromCheckpoint', 'run.stopped.checkpoints'));
    assert.ok(offered('grpoLens.resumeFromCheckpoint', 'run.failed.checkpoints'));
    assert.ok(!offered('grpoLens.resumeFromCheckpoint', 'run.stopped'));
    assert.ok(!offered('grpoLens.resumeFromCheckpoint', 'run.stale'));
    assert.ok(offered('grpoLens.resumeFromCheckpoint', 'checkpoint'));
  });

  it('offer the other run commands with or without checkpoints', () => {
    for (const suffix of ['', '.checkpoints']) {
      assert.ok(offered('grpoLens.pauseRun', `run.running${suffix}`));
      assert.ok(offered('grpoLens.resumeRun', `run.paused${suffix}`));
      assert.ok(offered('grpoLens.checkpointNow', `run.paused${suffix}`));
      assert.ok(offered('grpoLens.stopRun', `run.running${suffix}`));
      assert.ok(offered('grpoLens.deleteRun', `run.stopped${suffix}`));
      assert.ok(offered('grpoLens.openDashboard', `run.stopped${suffix}`));
      assert.ok(!offered('grpoLens.deleteRun', `run.running${suffix}`));
    }
  });
});

describe("menus of another trainer's run that a launch of ours controls", () => {
  it('offer pause, resume and stop through its processes, but not Checkpoint Now or Show Log', () => {
    assert.ok(offered('grpoLens.pauseRun', 'launched.running'));
    assert.ok(offered('grpoLens.resumeRun', 'launched.paused'));
    assert.ok(offered('grpoLens.stopRun', 'launched.running'));
    assert.ok(offered('grpoLens.openDashboard', 'launched.running'));
    assert.ok(offered('grpoLens.showSamples', 'launched.running'));
    assert.ok(!offered('grpoLens.checkpointNow', 'launched.running'));
    assert.ok(!offered('grpoLens.checkpointNow', 'launched.paused'));
    assert.ok(!offered('grpoLens.showLog', 'launched.running'));
    assert.ok(offered('grpoLens.checkpointNow', 'run.running'), 'our own trainer keeps it');
  });
});

describe('compare menus', () => {
  it('offer Compare Runs, Compare Configs and Samples Side by Side on runs of every source', () => {
    for (const command of ['grpoLens.compareRuns', 'grpoLens.compareConfigs', 'grpoLens.compareSamples']) {
      assert.ok(offered(command, 'run.finished'), command);
      assert.ok(offered(command, 'foreign.idle'), command);
      assert.ok(offered(command, 'launched.running'), command);
      assert.ok(!offered(command, 'checkpoint'), command);
    }
  });
});
