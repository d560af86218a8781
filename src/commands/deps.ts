// What the commands share: the store, the config checker, the log and the tree.
import type * as vscode from 'vscode';
import type { LazyRunStore } from '../runs/lazyStore';
import type { RunPlaces } from '../runs/roots';
import type { ConfigChecker } from '../trainer/configDiagnostics';
import type { RunNode } from '../views/runTree';

export interface CommandDeps {
  runs: LazyRunStore;
  /** Where runs are looked for (workspace, settings, opened folders). */
  places: RunPlaces;
  checker: ConfigChecker;
  log: vscode.LogOutputChannel;
  /** The folder holding the grpo_lens package shipped with the extension. */
  trainerRoot: string;
  reveal(node: RunNode): Promise<void>;
  runNode(runId: string): RunNode;
}
