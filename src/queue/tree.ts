// The Queue view of the GRPO Lens container: every queued run, in order, with its state.
import * as vscode from 'vscode';
import type { QueueRunner } from './runner';
import type { EntryState, QueueEntry } from './state';

export interface QueueNode {
  entryId: string;
}

const ICONS: Record<EntryState, [string, string?]> = {
  pending: ['clock'],
  running: ['sync~spin', 'charts.blue'],
  done: ['pass', 'charts.green'],
  failed: ['error', 'charts.red'],
  cancelled: ['circle-slash'],
};

export class QueueTreeProvider implements vscode.TreeDataProvider<QueueNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly queue: QueueRunner) {
    this.subscription = queue.onDidChange(() => this.changed.fire(undefined));
  }

  getChildren(node?: QueueNode): QueueNode[] {
    return node ? [] : this.queue.entries().map((e) => ({ entryId: e.id }));
  }

  getTreeItem(node: QueueNode): vscode.TreeItem {
    const entry = this.queue.entries().find((e) => e.id === node.entryId);
    return entry ? queueItem(entry) : new vscode.TreeItem(node.entryId);
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

export function queueItem(entry: QueueEntry): vscode.TreeItem {
  const item = new vscode.TreeItem(entry.name, vscode.TreeItemCollapsibleState.None);
  item.id = entry.id;
  const detail = entry.detail ? ` · ${entry.detail}` : '';
  item.description = `${entry.state}${detail}`;
  const [icon, colour] = ICONS[entry.state];
  item.iconPath = new vscode.ThemeIcon(icon, colour ? new vscode.ThemeColor(colour) : undefined);
  const ended = entry.state !== 'pending' && entry.state !== 'running';
  item.contextValue = `queue.${ended ? 'ended' : entry.state}${entry.runDir ? '.run' : ''}`;
  item.accessibilityInformation = { label: `${entry.name}, ${entry.state}${detail}` };
  item.tooltip = tooltip(entry);
  if (entry.runDir && entry.state !== 'pending')
    item.command = {
      title: 'Open Dashboard',
      command: 'grpoLens.openDashboard',
      arguments: [{ runId: entry.runDir }],
    };
  return item;
}

function tooltip(entry: QueueEntry): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const { target } = entry;
  const what =
    target.kind === 'config'
      ? `config: ${target.configPath}`
      : `launch profile: ${target.profileName} (${target.profileKind})`;
  md.appendText(`${entry.name} — ${entry.state}\n\n${what}\n`);
  if (entry.sweep) {
    const overrides = entry.sweep.overrides.map((o) => `${o.key}=${JSON.stringify(o.value)}`).join(', ');
    md.appendText(`\nsweep ${entry.sweep.name}: ${overrides || 'no overrides'}\n`);
  }
  if (entry.runDir) md.appendText(`\nrun: ${entry.runDir}\n`);
  if (entry.detail) md.appendText(`\n${entry.detail}\n`);
  return md;
}
