// How findings look in the run explorer: a "Problems" child under a run, one item per
// finding below it (icon by severity, the message as label, why and what to try in the
// tooltip; a click opens the dashboard at the finding's step).
import * as vscode from 'vscode';
import { visibleText } from '../../contract/visibleText';
import type { Finding, Severity } from '../finding';
import { worstSeverity } from './findingsHub';

export const OPEN_AT_STEP_COMMAND = 'grpoLens.openDashboardAtStep';

const SEVERITY_ICONS: Record<Severity, [string, string]> = {
  error: ['error', 'problemsErrorIcon.foreground'],
  warning: ['warning', 'problemsWarningIcon.foreground'],
  info: ['info', 'problemsInfoIcon.foreground'],
};

export function severityIcon(severity: Severity): vscode.ThemeIcon {
  const [id, color] = SEVERITY_ICONS[severity];
  return new vscode.ThemeIcon(id, new vscode.ThemeColor(color));
}

/** "2 errors, 1 warning": what the Problems child says about its findings. */
export function countLine(findings: Finding[]): string {
  const parts: string[] = [];
  for (const severity of ['error', 'warning', 'info'] as const) {
    const n = findings.filter((f) => f.severity === severity).length;
    if (n > 0) parts.push(`${n} ${severity === 'info' ? 'note' : severity}${n === 1 ? '' : 's'}`);
  }
  return parts.join(', ');
}

export function problemsTreeItem(runId: string, findings: Finding[]): vscode.TreeItem {
  const item = new vscode.TreeItem('Problems', vscode.TreeItemCollapsibleState.Expanded);
  item.id = `${runId}::problems`;
  item.description = countLine(findings);
  item.iconPath = severityIcon(worstSeverity(findings) ?? 'info');
  item.contextValue = 'runProblems';
  item.tooltip = `Run doctor: ${countLine(findings)}`;
  item.accessibilityInformation = { label: `Problems, ${countLine(findings)}` };
  return item;
}

/** The step the dashboard opens at: the first marked step, else where the finding starts. */
export function findingStep(finding: Finding): number {
  return finding.markSteps[0] ?? finding.steps[0];
}

export function findingTreeItem(runId: string, finding: Finding, index: number): vscode.TreeItem {
  const item = new vscode.TreeItem(visibleText(finding.message), vscode.TreeItemCollapsibleState.None);
  item.id = `${runId}::finding::${index}::${finding.id}`;
  item.description = stepsText(finding);
  item.iconPath = severityIcon(finding.severity);
  item.contextValue = 'runFinding';
  item.tooltip = findingTooltip(finding);
  item.accessibilityInformation = {
    label: `${finding.severity}: ${visibleText(finding.message)}, ${stepsText(finding)}`,
  };
  item.command = {
    command: OPEN_AT_STEP_COMMAND,
    title: 'Open Dashboard at Step',
    arguments: [{ runId, step: findingStep(finding), findingId: finding.id }],
  };
  return item;
}

export function stepsText(finding: Finding): string {
  const [first, last] = finding.steps;
  return `${finding.id} · ${first === last ? `step ${first}` : `steps ${first}–${last}`}`;
}

export function findingTooltip(finding: Finding): vscode.MarkdownString {
  const md = new vscode.MarkdownString(undefined, false);
  md.isTrusted = false;
  md.supportHtml = false;
  md.appendMarkdown(`**${finding.severity}** \`${finding.id}\` — ${escape(stepsText(finding))}\n\n`);
  md.appendMarkdown(`${escape(finding.message)}\n\n`);
  md.appendMarkdown(`**Why it matters:** ${escape(finding.why)}\n\n`);
  md.appendMarkdown(`**Try:** ${escape(finding.tryThis)}`);
  return md;
}

function escape(text: string): string {
  return visibleText(text).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
