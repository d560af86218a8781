// How a run and a checkpoint look in the tree: icon by state, step and reward,
// a tooltip that summarises config and timing. contextValue drives the menus.
import * as path from 'path';
import * as vscode from 'vscode';
import { visibleText } from '../contract/visibleText';
import type { CheckpointInfo, RunState, RunSummary } from '../runs/model';
import { launchedForeign } from '../runs/checkpointOnRequest';
import type { RunNotes } from '../runs/notes';
import { runLabel } from './runLabel';

export { runLabel };

const ICONS: Record<RunState, [string, string?]> = {
  starting: ['loading~spin'],
  running: ['sync~spin', 'charts.blue'],
  paused: ['debug-pause', 'charts.yellow'],
  checkpointing: ['sync~spin', 'charts.blue'],
  stopping: ['loading~spin'],
  finished: ['pass', 'testing.iconPassed'],
  failed: ['error', 'testing.iconFailed'],
  stopped: ['debug-stop'],
  stale: ['warning', 'list.warningForeground'],
  idle: ['circle-outline'],
  unknown: ['question'],
};

export function stateIcon(state: RunState): vscode.ThemeIcon {
  const [id, color] = ICONS[state];
  return new vscode.ThemeIcon(id, color ? new vscode.ThemeColor(color) : undefined);
}

/** Menus key on this: control commands only for runs GRPO Lens can control. */
export function runContextValue(run: RunSummary): string {
  // ".checkpoints" offers Resume from Checkpoint only where there is one to resume from.
  const checkpoints = run.capabilities.resume && run.checkpoints.length > 0 ? '.checkpoints' : '';
  // "launched": another trainer's run that a launch of ours controls (no Checkpoint Now, no train.log)
  const kind = !run.capabilities.control ? 'foreign' : launchedForeign(run) ? 'launched' : 'run';
  return `${kind}.${run.state}${checkpoints}`;
}

export function badLineCount(run: RunSummary): number {
  return Object.values(run.badLines).reduce((a, b) => a + b, 0);
}

export function runDescription(run: RunSummary): string {
  const parts: string[] = run.source === 'grpo-lens' ? [] : [run.sourceLabel];
  if (run.step === 0 && run.warmupStep !== undefined && !['finished', 'failed'].includes(run.state)) {
    parts.push(`warm-up ${run.warmupStep}`);
  } else {
    parts.push(run.totalSteps ? `${run.step}/${run.totalSteps}` : `step ${run.step}`);
  }
  if (run.latestReward !== undefined) parts.push(`reward ${formatNumber(run.latestReward)}`);
  const bad = badLineCount(run);
  if (bad > 0) parts.push(`${bad} bad line${bad === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  return Math.abs(value) >= 100 || value === 0 ? value.toFixed(0) : value.toPrecision(3);
}

/** The run's tags after its description, so that they are seen (and searched by the tree's filter). */
export function notesDescription(notes: RunNotes | undefined): string {
  if (!notes) return '';
  const parts = notes.tags.map((t) => `#${visibleText(t)}`);
  if (notes.note.trim()) parts.push('✎');
  return parts.join(' ');
}

export function runTreeItem(run: RunSummary, notes?: RunNotes): vscode.TreeItem {
  const item = new vscode.TreeItem(
    runLabel(run),
    run.checkpoints.length > 0
      ? vscode.TreeItemCollapsibleState.Collapsed
      : vscode.TreeItemCollapsibleState.None,
  );
  item.id = run.id;
  item.description = [runDescription(run), notesDescription(notes)].filter(Boolean).join(' · ');
  item.iconPath = stateIcon(run.state);
  item.contextValue = runContextValue(run);
  item.accessibilityInformation = { label: `${runLabel(run)}, ${run.state}, ${item.description}` };
  item.tooltip = runTooltip(run, notes);
  item.resourceUri = vscode.Uri.file(run.dir);
  return item;
}

export function checkpointTreeItem(run: RunSummary, checkpoint: CheckpointInfo): vscode.TreeItem {
  const item = new vscode.TreeItem(`step ${checkpoint.step}`, vscode.TreeItemCollapsibleState.None);
  item.id = `${run.id}::${checkpoint.path}`;
  item.iconPath = new vscode.ThemeIcon('save');
  // Another trainer's checkpoint is shown, never resumed by us.
  item.contextValue = run.capabilities.resume ? 'checkpoint' : 'foreignCheckpoint';
  item.description =
    // status.json names it relative to the run's folder (checkpoints/step-NNNNNN).
    run.lastCheckpoint && path.resolve(run.dir, run.lastCheckpoint) === checkpoint.path ? 'latest' : '';
  item.tooltip = checkpoint.path;
  return item;
}

/** A Markdown summary of the run; untrusted, with every value escaped. */
export function runTooltip(run: RunSummary, notes?: RunNotes): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${escape(runLabel(run))}** — ${run.state}\n\n`);
  for (const line of tooltipLines(run)) md.appendMarkdown(`${line}  \n`);
  appendNotes(md, notes);
  return md;
}

/** Tags, and the note as the Markdown it is (untrusted: no HTML, no command links), cut to a few lines. */
function appendNotes(md: vscode.MarkdownString, notes: RunNotes | undefined): void {
  if (notes?.tags.length)
    md.appendMarkdown(
      `\n\nTags: ${notes.tags.map((t) => `\`${visibleText(t).replace(/`/g, "'")}\``).join(' ')}`,
    );
  if (notes?.problem) md.appendMarkdown(`\n\n${escape(notes.problem)}`);
  const note = notes?.note.trim();
  if (!note) return;
  const lines = note.split('\n');
  md.appendMarkdown('\n\n---\n\n');
  md.appendMarkdown(visibleText(lines.slice(0, 12).join('\n')) + (lines.length > 12 ? '\n\n…' : ''));
}

export function tooltipLines(run: RunSummary): string[] {
  const config = run.config ?? {};
  const model = config.model as Record<string, unknown> | undefined;
  const task = config.task as Record<string, unknown> | undefined;
  const lines = [
    `Step ${run.step}${run.totalSteps ? ` of ${run.totalSteps}` : ''}`,
    run.latestReward !== undefined ? `Reward ${formatNumber(run.latestReward)}` : undefined,
    model
      ? `Model: ${escape(String(model.type ?? ''))}${model.path ? ` ${escape(String(model.path))}` : ''}`
      : undefined,
    task ? `Task: ${escape(String(task.name ?? ''))}` : undefined,
    config.num_generations !== undefined
      ? [
          `G = ${escape(String(config.num_generations))}`,
          config.beta !== undefined ? `beta = ${escape(String(config.beta))}` : undefined,
          config.loss_type !== undefined ? `loss ${escape(String(config.loss_type))}` : undefined,
        ]
          .filter(Boolean)
          .join(', ')
      : undefined,
    run.startedAt ? `Started ${new Date(run.startedAt).toLocaleString()}` : undefined,
    run.updatedAt ? `Updated ${new Date(run.updatedAt).toLocaleString()}` : undefined,
    run.pid ? `Process ${run.pid}` : undefined,
    run.checkpoints.length > 0 ? `${run.checkpoints.length} checkpoint(s)` : undefined,
    run.error ? `Error: ${escape(run.error)}` : undefined,
    run.source !== 'grpo-lens'
      ? `Read from ${escape(run.sourceLabel)} files (not controlled by GRPO Lens)`
      : undefined,
    ...run.problems.map((p) => escape(p)),
    ...Object.entries(run.badLines).map(([file, n]) => `${n} unreadable line(s) skipped in ${escape(file)}`),
    escape(run.dir),
  ];
  return lines.filter((l): l is string => l !== undefined);
}

/** Markdown-escaped, and hidden characters made visible as in the panels. */
function escape(text: string): string {
  return visibleText(text).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
