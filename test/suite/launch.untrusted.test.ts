// In Restricted Mode no launch profile starts anything.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { standinProfile, writeProfiles } from './launch/launchHost';
import { runsApi, workspaceDir } from './runsHelpers';

describe('launch profiles in an untrusted workspace', function () {
  this.timeout(60_000);

  it('refuses to start a command profile, and spawns nothing', async () => {
    await runsApi();
    assert.strictEqual(vscode.workspace.isTrusted, false);
    writeProfiles(`{ "profiles": [ ${standinProfile('untrusted')} ] }`);
    const result = await vscode.commands.executeCommand('grpoLens.startProfile', 'untrusted');
    assert.strictEqual(result, undefined);
    await new Promise((r) => setTimeout(r, 1000));
    assert.ok(!fs.existsSync(path.join(workspaceDir(), 'outputs')), 'no sidecar, no output');
  });
});
