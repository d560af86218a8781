// "GRPO: Compare Configs": VS Code's own diff editor on two runs' resolved configs,
// shown as read-only virtual documents (pretty-printed, keys sorted) of our own scheme.
import * as vscode from 'vscode';
import type { RunStore } from '../runs/model';
import { distinctRunLabel } from '../views/runLabel';
import { prettyConfig } from './configDiff';

export const CONFIG_SCHEME = 'grpo-lens-config';

/** A run's config as a document: the path names it for the tab, the query carries the run id. */
export function configUri(runId: string, label: string): vscode.Uri {
  const name = label.replace(/[\\/?#%]/g, '_') || 'run';
  return vscode.Uri.from({
    scheme: CONFIG_SCHEME,
    path: `/${name}/config.json`,
    query: encodeURIComponent(runId),
  });
}

export class ConfigDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly getStore: () => Promise<RunStore>) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const store = await this.getStore();
    return prettyConfig(store.get(decodeURIComponent(uri.query))?.config);
  }
}

/** Opens the diff of two runs' configs; says so when a run logged no config (its side is empty). */
export async function openConfigDiff(store: RunStore, left: string, right: string): Promise<void> {
  const runs = store.runs();
  const label = (id: string) => distinctRunLabel(store.get(id) ?? { id, dir: id }, runs);
  const missing = [left, right].filter((id) => !store.get(id)?.config).map(label);
  if (missing.length > 0)
    void vscode.window.showWarningMessage(
      `GRPO Lens: no resolved config was found for ${missing.join(' and ')}; its side of the diff is empty.`,
    );
  await vscode.commands.executeCommand(
    'vscode.diff',
    configUri(left, label(left)),
    configUri(right, label(right)),
    `${label(left)} ↔ ${label(right)} · config`,
    { preview: false },
  );
}
