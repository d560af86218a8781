// GRPO: Start Run — pick a config, check it, find Python with torch, spawn the trainer.
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { lockedMessage, lockHolderAfter } from '../launch/runLock';
import type { WorkspaceProfile } from '../launch/vscode/profileFile';
import { readProfiles, startProfile } from '../launch/vscode/startProfile';
import { runsFolderFor } from '../runs/roots';
import { launchTrainer } from '../trainer/launch';
import { pythonWithTorch } from '../trainer/pythonCheck';
import { newRunDir } from '../trainer/runDirName';
import { refuseIfUntrusted } from '../trainer/trust';
import { expectRunEnd } from '../views/notifications';
import type { CommandDeps } from './deps';
import { createConfigFromTemplate } from './newConfig';

const NEW_CONFIG = 'New config from template…';

/** Starts a run; resolves with its run directory, or undefined if nothing was started. */
export async function startRun(
  deps: CommandDeps,
  arg: unknown,
  launcher?: string[],
): Promise<string | undefined> {
  if (refuseIfUntrusted('start a training run')) return undefined;
  const picked = configUriFrom(arg) ?? (await pickConfig());
  if (!picked) return undefined;
  if (!(picked instanceof vscode.Uri)) return startProfile(deps, picked, startRun);
  const configUri = picked;
  const document = await vscode.workspace.openTextDocument(configUri);
  if (!configIsValid(deps, document)) return undefined;
  if (document.isDirty) await document.save();
  const python = await pythonWithTorch(configUri);
  if (!python) return undefined;
  const runDir = newRunDir(runsFolderFor(configUri), configUri.fsPath, new Date(), fs.existsSync);
  const started = await launch(deps, {
    python,
    configPath: configUri.fsPath,
    runDir,
    cwd: cwdFor(configUri),
    launcher,
  });
  if (started && vscode.workspace.getConfiguration('grpoLens').get<boolean>('openDashboardOnStart', true))
    void openDashboardOnceListed(deps, started);
  return started;
}

/**
 * Opens the dashboard of a run just started (grpoLens.openDashboardOnStart) as soon as the
 * store lists it: the trainer writes its run directory a moment after it is spawned.
 */
export async function openDashboardOnceListed(
  deps: CommandDeps,
  runId: string,
  timeoutMs = 120_000,
): Promise<boolean> {
  const store = await deps.runs.whenReady();
  if (!store.get(runId)) {
    const listed = await new Promise<boolean>((resolve) => {
      const done = (value: boolean) => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(value);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      const subscription = store.onDidChange(() => {
        if (store.get(runId)) done(true);
      });
    });
    if (!listed) {
      deps.log.warn(`run ${runId} did not appear within ${timeoutMs} ms; its dashboard was not opened`);
      return false;
    }
  }
  try {
    await vscode.commands.executeCommand('grpoLens.openDashboard', { runId });
    return true;
  } catch (err) {
    deps.log.error(`could not open the dashboard of ${runId}: ${String(err)}`);
    return false;
  }
}

export async function launch(
  deps: CommandDeps,
  request: {
    python: string;
    configPath?: string;
    runDir: string;
    resumeFrom?: string;
    cwd: string;
    launcher?: string[];
  },
): Promise<string | undefined> {
  const holder = await lockHolderAfter(request.runDir, 10_000);
  if (holder) {
    void vscode.window.showErrorMessage(
      `GRPO Lens did not start the trainer: ${lockedMessage(request.runDir, holder)}`,
    );
    return undefined;
  }
  try {
    const trainer = await launchTrainer({ ...request, trainerRoot: deps.trainerRoot });
    deps.log.info(`started trainer pid ${trainer.pid}: ${request.python} for ${request.runDir}`);
    expectRunEnd(request.runDir);
    void trainer.exited.then((code) => reportEarlyExit(deps, request.runDir, code));
  } catch (err) {
    deps.log.error(String(err));
    void vscode.window.showErrorMessage(`GRPO Lens could not start the trainer: ${(err as Error).message}`);
    return undefined;
  }
  const store = await deps.runs.whenReady();
  await store.refresh();
  if (store.get(request.runDir)) await deps.reveal(deps.runNode(request.runDir)).catch(() => undefined);
  return request.runDir;
}

/** A trainer that died before writing its run directory leaves only train.log: say so. */
async function reportEarlyExit(deps: CommandDeps, runDir: string, code: number | null): Promise<void> {
  deps.log.info(`trainer for ${runDir} exited with code ${code}`);
  if (code === 0 || fs.existsSync(path.join(runDir, 'status.json'))) return;
  const log = path.join(runDir, 'train.log');
  const choice = await vscode.window.showErrorMessage(
    `The GRPO trainer exited (code ${code}) before it started the run in ${path.basename(runDir)}. train.log says why.`,
    'Open Log',
  );
  if (choice) await vscode.window.showTextDocument(vscode.Uri.file(log), { preview: false });
}

function configIsValid(deps: CommandDeps, document: vscode.TextDocument): boolean {
  const { problems } = deps.checker.check(document);
  if (problems.length === 0) return true;
  const name = vscode.workspace.asRelativePath(document.uri);
  deps.log.warn(`config ${name} has ${problems.length} problem(s); nothing started`);
  void vscode.window
    .showErrorMessage(
      `GRPO Lens did not start a run: ${name} has ${problems.length} problem${problems.length === 1 ? '' : 's'} ` +
        `(first: ${problems[0].message}). Fix them and start again.`,
      'Show Problems',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.actions.view.problems'));
  return false;
}

function configUriFrom(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg.length > 0) return vscode.Uri.file(arg);
  return undefined;
}

/** A config, or a launch profile of .vscode/grpo-lens.json (src/launch/vscode/). */
async function pickConfig(): Promise<vscode.Uri | WorkspaceProfile | undefined> {
  const configs = await vscode.workspace.findFiles('**/*.grpo.json', '**/{node_modules,runs,.git}/**', 200);
  const { profiles } = await readProfiles();
  const items: {
    label: string;
    uri?: vscode.Uri;
    profile?: WorkspaceProfile;
    iconPath: vscode.ThemeIcon;
    description?: string;
  }[] = [
    ...profiles.map((profile) => ({
      label: profile.profile.name,
      description: `launch profile · ${profile.profile.kind}`,
      profile,
      iconPath: new vscode.ThemeIcon('rocket'),
    })),
    ...configs
      .sort((a, b) => a.fsPath.localeCompare(b.fsPath))
      .map((uri) => ({
        label: vscode.workspace.asRelativePath(uri),
        uri,
        iconPath: new vscode.ThemeIcon('json'),
      })),
    { label: NEW_CONFIG, uri: undefined, iconPath: new vscode.ThemeIcon('new-file') },
  ];
  const picked = await vscode.window.showQuickPick(items, {
    title: 'GRPO: Start Run',
    placeHolder: 'Pick a config',
    // Run from the walkthrough, the picker would close when the walkthrough takes the focus back.
    ignoreFocusOut: true,
  });
  if (picked?.label === NEW_CONFIG) {
    await createConfigFromTemplate(undefined);
    return undefined;
  }
  return picked?.profile ?? picked?.uri;
}

export function cwdFor(uri: vscode.Uri): string {
  return (
    (vscode.workspace.getWorkspaceFolder(uri) ?? vscode.workspace.workspaceFolders?.[0])?.uri.fsPath ??
    process.cwd()
  );
}
