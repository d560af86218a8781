// Config diagnostics follow the text: they appear when a *.grpo.json is opened or edited
// (no Start Run needed), go when the problem is fixed and when the file is closed; the
// file is JSON with comments.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { runsApi, waitFor, workspaceDir } from './runsHelpers';

const GOOD =
  '{\n  // comments are fine\n  "model": {"type": "tiny"},\n  "task": {"name": "arithmetic"},\n' +
  '  "rewards": [{"name": "accuracy"}],\n  "beta": 0.04\n}\n';

const ours = (uri: vscode.Uri) =>
  vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'GRPO Lens');

describe('config diagnostics as the user types', function () {
  this.timeout(60_000);

  before(async () => {
    await runsApi(); // activates the extension
  });

  it('opens *.grpo.json as JSON with comments', async () => {
    const file = path.join(workspaceDir(), 'lang.grpo.json');
    fs.writeFileSync(file, GOOD);
    const doc = await vscode.workspace.openTextDocument(file);
    assert.strictEqual(doc.languageId, 'jsonc');
  });

  it('shows problems on open and while typing, and clears them when fixed and on close', async () => {
    const file = path.join(workspaceDir(), 'typing.grpo.json');
    fs.writeFileSync(file, GOOD.replace('0.04', '"lots"'));
    const uri = vscode.Uri.file(file);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    await waitFor('a diagnostic on open', () => ours(uri).some((d) => d.message.includes('"beta"')), 10_000);

    const fix = doc.getText().indexOf('"lots"');
    await editor.edit((e) =>
      e.replace(new vscode.Range(doc.positionAt(fix), doc.positionAt(fix + 6)), '0.1'),
    );
    await waitFor('diagnostics cleared once fixed', () => ours(uri).length === 0, 10_000);

    // a trailing comma: the trainer rejects it, so the editor says so too
    const end = doc.getText().indexOf('0.1') + 3;
    await editor.edit((e) => e.insert(doc.positionAt(end), ','));
    await waitFor('a syntax diagnostic', () => ours(uri).some((d) => /JSON syntax/.test(d.message)), 10_000);

    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    await waitFor('diagnostics cleared on close', () => ours(uri).length === 0, 30_000);
  });
});
