// The extension loads in a real extension host, activates, and registers every command
// its manifest contributes.
import * as assert from 'assert';
import * as vscode from 'vscode';

const extensionId = 'grpo-lens.grpo-lens';

interface Manifest {
  activationEvents?: string[];
  contributes?: { commands?: { command: string }[] };
}

describe('activation', () => {
  it('finds GRPO Lens among the installed extensions', () => {
    const ext = vscode.extensions.getExtension(extensionId);
    assert.ok(
      ext,
      `${extensionId} is not loaded; loaded: ${vscode.extensions.all.map((e) => e.id).join(', ')}`,
    );
  });

  it('activates without throwing', async function () {
    this.timeout(60_000);
    const ext = vscode.extensions.getExtension(extensionId)!;
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('registers every command that package.json contributes', async () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    await ext.activate();
    const contributed = ((ext.packageJSON as Manifest).contributes?.commands ?? []).map((c) => c.command);
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    assert.ok(
      contributed.every((c) => c.startsWith('grpoLens.')),
      'every command is named grpoLens.*',
    );
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepStrictEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  it('activates for workspaces with GRPO configs or runs', () => {
    const ext = vscode.extensions.getExtension(extensionId)!;
    const events = (ext.packageJSON as Manifest).activationEvents ?? [];
    assert.ok(events.includes('workspaceContains:**/*.grpo.json'), events.join(', '));
  });
});
