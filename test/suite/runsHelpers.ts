// Shared by the run-explorer host tests: the extension's API, a long-running config
// and a wait that polls.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { RunsApi } from '../../src/commands/register';
import type { RunSummary } from '../../src/runs/model';
import { configWithUserReward, type UserReward } from '../fixtures/writers/userRewardConfig';

export async function runsApi(): Promise<RunsApi> {
  const ext = vscode.extensions.getExtension<{ runs: RunsApi }>('grpo-lens.grpo-lens')!;
  const api = await ext.activate();
  await api.runs.whenReady();
  return api.runs;
}

/** Writes <workspace>/<name>.grpo.json: the tiny-test config, but long enough to control. */
export function writeLongConfig(workspace: string, name = 'long-test'): string {
  const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
  const text = fs
    .readFileSync(path.join(ext.extensionPath, 'trainer/configs/tiny-test.grpo.json'), 'utf8')
    .replace(/"\$schema":[^\n]*\n/, '')
    .replace(/"name":\s*"[^"]*"/, `"name": "${name}"`)
    .replace(/"max_steps":\s*\d+/, '"max_steps": 100000')
    .replace(/"checkpoint_every":\s*\d+/, '"checkpoint_every": 0');
  const file = path.join(workspace, `${name}.grpo.json`);
  fs.writeFileSync(file, text);
  return file;
}

/**
 * Writes <folder>/<name>.grpo.json: the tiny-test config with one more reward first, the
 * user's own function from `module`.py written next to it.
 */
export function writeConfigWithUserReward(
  folder: string,
  name: string,
  reward: UserReward & { module: string; code: string },
): string {
  const ext = vscode.extensions.getExtension('grpo-lens.grpo-lens')!;
  fs.mkdirSync(folder, { recursive: true });
  fs.writeFileSync(path.join(folder, `${reward.module}.py`), reward.code);
  const config = path.join(folder, `${name}.grpo.json`);
  fs.writeFileSync(config, configWithUserReward(ext.extensionPath, name, reward));
  return config;
}

export async function waitFor<T>(
  what: string,
  probe: () => T | undefined | false,
  timeoutMs = 60_000,
  /** What was seen instead, for the failure message. */
  seen?: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) {
      const instead = seen ? `; saw ${seen()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${instead}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Starts a run of `config` as GRPO: Start Run does and waits until it is in one of `states`;
 * a timeout says which state it was in instead, and what status.json held.
 */
export async function startRunUntil(
  config: string,
  states: string[],
  timeoutMs: number,
): Promise<{ runDir: string; run: RunSummary }> {
  const runs = await runsApi();
  const runDir = (await vscode.commands.executeCommand<string>(
    'grpoLens.startRun',
    vscode.Uri.file(config),
  ))!;
  if (!runDir) throw new Error(`Start Run of ${config} returned no run directory`);
  const current = () => runs.store()?.get(runDir);
  const run = await waitFor(
    `the run to be ${states.join(' or ')}`,
    () => {
      const r = current();
      return r && states.includes(r.state) ? r : undefined;
    },
    timeoutMs,
    () => {
      const status = path.join(runDir, 'status.json');
      const onDisk = fs.existsSync(status) ? fs.readFileSync(status, 'utf8') : 'no status.json';
      return `state ${current()?.state ?? '(not listed)'}; ${onDisk}`;
    },
  );
  return { runDir, run };
}

export function workspaceDir(): string {
  return vscode.workspace.workspaceFolders![0].uri.fsPath;
}
