// What the launch host tests share: a command profile running the stand-in TRL trainer,
// written to the workspace's .vscode/grpo-lens.json, and the processes of a launch.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { groupProcesses } from '../../../src/launch/processGroup';
import { readStatus } from '../../../src/launch/sidecar';
import { workspaceDir } from '../runsHelpers';

export function standinPath(): string {
  const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
  return path.join(ext.extensionPath, 'test', 'fixtures', 'standin_trainer.py');
}

/** Writes .vscode/grpo-lens.json (JSON with comments) with the given profiles text. */
export function writeProfiles(body: string): string {
  const file = path.join(workspaceDir(), '.vscode', 'grpo-lens.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, body);
  return file;
}

/** A "command" profile named `name` that runs the stand-in into outputs/<name>. */
export function standinProfile(name: string): string {
  return `{
    "name": "${name}", "kind": "command", // the stand-in TRL trainer
    "command": ["python3", ${JSON.stringify(standinPath())}, "--output-dir", "outputs/${name}", "--step-seconds", "0.2"],
    "watch": ["outputs/${name}"]
  }`;
}

export function outputDir(name: string): string {
  return path.join(workspaceDir(), 'outputs', name);
}

export function groupStates(sidecar: string): string[] {
  const pgid = readStatus(sidecar)?.pgid;
  return pgid === undefined ? [] : groupProcesses(pgid).map((p) => p.state);
}
