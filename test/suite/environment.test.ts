// "GRPO: Check Environment" in a real extension host, with the real interpreter of the
// test workspace, one that does not exist, one without torch and one that hangs.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import type { EnvironmentItem, EnvironmentReport } from '../../src/environment/report';

const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

function item(report: EnvironmentReport, name: string): EnvironmentItem {
  const found = report.items.find((i) => i.name === name);
  assert.ok(found, `no ${name} line in ${JSON.stringify(report.items)}`);
  return found;
}

function check(timeoutMs?: number): Thenable<EnvironmentReport> {
  return vscode.commands.executeCommand<EnvironmentReport>(
    'grpoLens.checkEnvironment',
    timeoutMs ? { timeoutMs } : undefined,
  );
}

describe('GRPO: Check Environment', function () {
  this.timeout(60_000);
  let dir: string;
  const settings = () => vscode.workspace.getConfiguration('grpoLens');
  const usePython = (p: string) => settings().update('pythonPath', p, vscode.ConfigurationTarget.Workspace);
  let original: string | undefined;

  before(async () => {
    await vscode.extensions.getExtension('grpo-lens.grpo-lens')!.activate();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-env-'));
    original = settings().inspect<string>('pythonPath')?.workspaceValue;
  });

  afterEach(() => settings().update('pythonPath', original, vscode.ConfigurationTarget.Workspace));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reports the workspace interpreter: Python, torch present, no GPU here, and the rest', async () => {
    const report = await check();
    assert.strictEqual(report.interpreter.path, '/usr/bin/python3');
    assert.strictEqual(report.interpreter.source, 'grpoLens.pythonPath');
    assert.match(report.interpreter.why, /grpoLens\.pythonPath/);
    assert.strictEqual(report.probe?.kind, 'ok');
    assert.match(item(report, 'Python').detail, /^3\.\d+\.\d+ /);
    assert.strictEqual(item(report, 'PyTorch').status, 'ok');
    assert.match(item(report, 'PyTorch').detail, /^\d+\.\d+/);
    // This machine has no GPU: the line says training runs on the CPU.
    assert.strictEqual(item(report, 'CUDA').status, 'warning');
    assert.match(item(report, 'CUDA').detail, /no GPU/);
    for (const name of ['transformers', 'peft']) {
      const line = item(report, name);
      assert.ok(line.status === 'ok' || /only the built-in tiny model/.test(line.detail), line.detail);
    }
    assert.strictEqual(
      item(report, 'onnxruntime-node').status,
      'ok',
      item(report, 'onnxruntime-node').detail,
    );
    item(report, 'torchrun');
    item(report, 'sbatch');
    const workspace = vscode.workspace.workspaceFolders![0].uri.fsPath;
    assert.ok(
      item(report, 'Disk').detail.includes(path.join(workspace, 'runs')),
      item(report, 'Disk').detail,
    );
    assert.strictEqual(report.host, vscode.env.remoteName ?? 'local');
  });

  it('says when the interpreter path does not exist, with a fix', async () => {
    const missing = path.join(dir, 'no-such-python');
    await usePython(missing);
    const report = await check();
    assert.strictEqual(report.interpreter.path, missing);
    const line = item(report, 'Python');
    assert.strictEqual(line.status, 'failed');
    assert.match(line.detail, /does not exist/);
    assert.match(line.fix!, /grpoLens\.pythonPath/);
    // The checks that need no interpreter still ran.
    item(report, 'Disk');
  });

  it('says when the interpreter has no torch', async () => {
    // The real Python without site-packages: it runs, but cannot import torch.
    const noTorch = path.join(dir, 'python-without-torch');
    fs.writeFileSync(noTorch, `#!/bin/sh\nexec ${PYTHON} -I -S "$@"\n`, { mode: 0o755 });
    await usePython(noTorch);
    const report = await check();
    assert.strictEqual(item(report, 'Python').status, 'ok');
    const torch = item(report, 'PyTorch');
    assert.strictEqual(torch.status, 'failed');
    assert.match(torch.detail, /torch/);
    assert.match(torch.fix!, /Install PyTorch/);
  });

  it('comes back within the timeout from an interpreter that hangs', async () => {
    const hanging = path.join(dir, 'python-that-hangs');
    fs.writeFileSync(hanging, '#!/bin/sh\nsleep 60\n', { mode: 0o755 });
    await usePython(hanging);
    const started = Date.now();
    const report = await check(2000);
    assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
    assert.deepStrictEqual(report.probe, { kind: 'timed-out', seconds: 2 });
    assert.match(item(report, 'Python').detail, /did not answer within 2 s/);
  });
});
