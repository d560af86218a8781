// Which Python runs the trainer: the Python extension's active environment (only
// if that extension is installed), else the grpoLens.pythonPath setting, else python3.
import * as vscode from 'vscode';

export interface Interpreter {
  path: string;
  /** Where the choice came from, for messages. */
  source: 'Python extension' | 'grpoLens.pythonPath' | 'default';
}

export async function findInterpreter(resource: vscode.Uri | undefined): Promise<Interpreter> {
  const fromExtension = await fromPythonExtension(resource).catch(() => undefined);
  if (fromExtension) return { path: fromExtension, source: 'Python extension' };
  const setting = vscode.workspace
    .getConfiguration('grpoLens', resource)
    .get<string>('pythonPath', '')
    .trim();
  if (setting) return { path: setting, source: 'grpoLens.pythonPath' };
  return { path: 'python3', source: 'default' };
}

async function fromPythonExtension(resource: vscode.Uri | undefined): Promise<string | undefined> {
  if (!vscode.extensions.getExtension('ms-python.python')) return undefined;
  const { PythonExtension } = await import('@vscode/python-extension');
  const api = await PythonExtension.api();
  const active = api.environments.getActiveEnvironmentPath(resource);
  const resolved = await api.environments.resolveEnvironment(active);
  return resolved?.executable.uri?.fsPath ?? active?.path;
}
