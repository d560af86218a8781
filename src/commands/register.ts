// Registers the run explorer, the status bar, notifications and the run commands.
// Cheap on purpose: the store starts after activation and loads runs in the background.
import * as path from 'path';
import * as vscode from 'vscode';
import { checkEnvironment, type CheckOptions } from '../environment/checkEnvironment';
import { LazyRunStore } from '../runs/lazyStore';
import { registerQueue, type QueueApi } from '../queue/register';
import type { ControlCommand, RunStore } from '../runs/model';
import { RunPlaces } from '../runs/roots';
import type { RunIndexStore } from '../runs/store';
import { ConfigChecker } from '../trainer/configDiagnostics';
import { FocusedRun } from '../views/focusedRun';
import { RunEndNotifier } from '../views/notifications';
import { RunNode, RunTreeProvider } from '../views/runTree';
import { RunStatusBar } from '../views/statusBar';
import { forceStop } from '../launch/vscode/forceStop';
import { neverWaitOnSlurm } from '../launch/slurmControl';
import { registerProfiles, startProfileNamed } from '../launch/vscode/startProfile';
import { controlRun } from './controlRun';
import type { CommandDeps } from './deps';
import { createConfigFromTemplate } from './newConfig';
import { resumeFromCheckpoint } from './resumeFromCheckpoint';
import { deleteRun, revealRun, showLog } from './runFiles';
import { openRunFolder } from './openRunFolder';
import { openDashboardOnceListed, startRun } from './startRun';

/** What the extension's API exposes of the runs side (used by host tests and panels). */
export interface RunsApi {
  /** The store once it has loaded, for panels: undefined while loading. */
  store(): RunStore | undefined;
  whenReady(): Promise<RunIndexStore>;
  tree: RunTreeProvider;
  /** The queue of runs and sweeps (src/queue). */
  queue: QueueApi;
}

export function registerRuns(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): RunsApi {
  neverWaitOnSlurm();
  const places = new RunPlaces(context.workspaceState);
  const runs = new LazyRunStore({
    roots: () => places.roots(),
    isExcluded: (p) => places.isExcluded()(p),
    log: (m) => log.info(m),
  });
  const tree = new RunTreeProvider(runs);
  const view = vscode.window.createTreeView('grpoLens.runs', {
    treeDataProvider: tree,
    showCollapseAll: true,
    // Compare Runs / Compare Configs take the selected runs: commands get (item, items[]).
    canSelectMany: true,
  });
  const checker = new ConfigChecker(
    context.asAbsolutePath(path.join('trainer', 'grpo_lens', 'config.schema.json')),
  );
  const deps: CommandDeps = {
    runs,
    places,
    checker,
    log,
    trainerRoot: context.asAbsolutePath('trainer'),
    reveal: (node) => Promise.resolve(view.reveal(node, { select: true, focus: false })),
    runNode: (id) => tree.runNode(id),
  };
  context.subscriptions.push(runs, tree, view, checker, ...checker.watch(), ...registerCommands(deps));
  context.subscriptions.push(...followRuns(runs, view, log), ...registerProfiles(deps));
  openDashboardAskedAtLaunch(deps);
  const queue = registerQueue(context, deps, (id, run) => guarded(deps, id, run));
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('grpoLens.runRoots') || e.affectsConfiguration('files.exclude'))
        void runs.get()?.refresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void runs.get()?.refresh()),
  );
  return { store: () => runs.get(), whenReady: () => runs.whenReady(), tree, queue };
}

/**
 * `GRPO_LENS_OPEN_DASHBOARD=<run dir>` in the environment VS Code starts with (npm run demo
 * sets it) shows the run explorer and opens that run's dashboard once the run is listed.
 */
function openDashboardAskedAtLaunch(deps: CommandDeps): void {
  const runDir = process.env.GRPO_LENS_OPEN_DASHBOARD;
  if (!runDir) return;
  deps.log.info(`opening the dashboard of ${runDir} (GRPO_LENS_OPEN_DASHBOARD)`);
  void vscode.commands.executeCommand('workbench.view.extension.grpoLens');
  void openDashboardOnceListed(deps, path.resolve(runDir));
}

function registerCommands(deps: CommandDeps): vscode.Disposable[] {
  const control = (command: ControlCommand) => (arg: unknown) => controlRun(deps, command, arg);
  const commands: Record<string, (...args: never[]) => unknown> = {
    'grpoLens.startRun': (arg: unknown) => startRun(deps, arg),
    'grpoLens.newConfig': (arg: unknown) => createConfigFromTemplate(arg),
    'grpoLens.pauseRun': control('pause'),
    'grpoLens.resumeRun': control('resume'),
    'grpoLens.checkpointNow': control('checkpoint'),
    'grpoLens.stopRun': control('stop'),
    'grpoLens.resumeFromCheckpoint': (arg: unknown) => resumeFromCheckpoint(deps, arg),
    'grpoLens.showLog': (arg: unknown) => showLog(deps, arg),
    'grpoLens.revealRun': (arg: unknown) => revealRun(deps, arg),
    'grpoLens.deleteRun': (arg: unknown, options?: { confirmed?: boolean }) => deleteRun(deps, arg, options),
    'grpoLens.refresh': async () => (await deps.runs.whenReady()).refresh(),
    'grpoLens.openRunFolder': (arg: unknown) => openRunFolder(deps, arg),
    'grpoLens.checkEnvironment': (options?: CheckOptions) => checkEnvironment(options),
    'grpoLens.forceStop': (arg: unknown, options?: { confirmed?: boolean }) => forceStop(deps, arg, options),
    'grpoLens.startProfile': (name: unknown) => startProfileNamed(deps, name, startRun),
  };
  return Object.entries(commands).map(([id, run]) =>
    vscode.commands.registerCommand(id, (...args: never[]) => guarded(deps, id, () => run(...args))),
  );
}

/** Bad input gets a message, never a stack trace: anything unexpected is logged and said plainly. */
async function guarded<T>(deps: CommandDeps, id: string, run: () => T): Promise<Awaited<T> | undefined> {
  try {
    return await run();
  } catch (err) {
    deps.log.error(`${id} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    const choice = await vscode.window.showErrorMessage(
      `GRPO Lens: ${id.replace('grpoLens.', '')} failed: ${err instanceof Error ? err.message : String(err)}`,
      'Show Log',
    );
    if (choice) deps.log.show();
    return undefined;
  }
}

/** Status bar and notifications follow the store once it is ready. */
function followRuns(
  runs: LazyRunStore,
  view: vscode.TreeView<RunNode>,
  log: vscode.LogOutputChannel,
): vscode.Disposable[] {
  const statusBar = new RunStatusBar();
  const focused = new FocusedRun();
  const notifier = new RunEndNotifier();
  const disposables: vscode.Disposable[] = [statusBar, focused];
  const started = Date.now();
  void runs.whenReady().then((store) => {
    log.info(`found ${store.runs().length} run(s) in ${Date.now() - started} ms`);
    const get = (id: string) => store.get(id);
    const update = () => statusBar.show(focused.current(get, () => store.runs()));
    notifier.remember(store.runs());
    disposables.push(
      store.onDidChange((changes) => {
        notifier.noteChanges(changes, get);
        focused.noteChanges(changes, get);
      }),
      focused.onDidChange(update),
      view.onDidChangeSelection((e) => focused.select(e.selection[0]?.runId)),
    );
    update();
  });
  return [{ dispose: () => disposables.forEach((d) => d.dispose()) }];
}
