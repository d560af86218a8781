// What the queue host tests share: the shipped tiny-test config, made to finish in a few steps.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { workspaceDir } from '../runsHelpers';

/** Writes <workspace>/<name>.grpo.json: tiny-test, two steps. */
export function writeQuickConfig(name: string): string {
  const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
  const text = fs
    .readFileSync(path.join(ext.extensionPath, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"max_steps":\s*\d+/, '"max_steps": 2')
    .replace(/"steps": 40/, '"steps": 0');
  const file = path.join(workspaceDir(), `${name}.grpo.json`);
  fs.writeFileSync(file, text);
  return file;
}
