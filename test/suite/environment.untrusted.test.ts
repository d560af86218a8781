// GRPO: Check Environment in Restricted Mode: it reports what it can without running any
// interpreter the workspace could have chosen.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { EnvironmentReport } from '../../src/environment/report';

describe('checking the environment in an untrusted workspace', function () {
  this.timeout(60_000);

  it('runs no interpreter, says why, and still checks the rest', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false);
    const report = (await vscode.commands.executeCommand<EnvironmentReport>('grpoLens.checkEnvironment'))!;
    assert.strictEqual(report.probe, undefined, 'no interpreter was run');
    const python = report.items.find((i) => i.name === 'Python')!;
    assert.strictEqual(python.status, 'skipped');
    assert.match(`${python.detail} ${python.fix ?? ''}`, /[Tt]rust/);
    assert.ok(
      report.items.some((i) => i.name === 'Disk'),
      'the checks that run nothing still run',
    );
  });
});
