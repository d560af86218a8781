// "GRPO: Check Environment": what a first run needs, checked in a few seconds, on the
// machine the extension host runs on (the remote one in a Remote-SSH window).
import * as path from 'path';
import * as vscode from 'vscode';
import { runsFolderFor } from '../runs/roots';
import { findInterpreter, type Interpreter } from '../trainer/interpreter';
import { diskItem, onnxItem, pathItems } from './machine';
import { runProbe } from './probe';
import { formatReport, pythonItems, type EnvironmentItem, type EnvironmentReport } from './report';

export interface CheckOptions {
  /** How long the interpreter may take to answer; tests shorten it. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 15_000;
let channel: vscode.OutputChannel | undefined;

/** Runs every check, shows the report in its output channel and returns it. */
export async function checkEnvironment(options: CheckOptions = {}): Promise<EnvironmentReport> {
  const started = Date.now();
  const timeoutMs =
    typeof options.timeoutMs === 'number' && options.timeoutMs > 0 ? options.timeoutMs : DEFAULT_TIMEOUT_MS;
  const resource = vscode.workspace.workspaceFolders?.[0]?.uri;
  const interpreter = await findInterpreter(resource);
  const python = vscode.workspace.isTrusted ? runProbe(interpreter.path, timeoutMs) : undefined;
  const [probe, paths, disk] = await Promise.all([python, pathItems(), diskItem(runsFolder())]);
  const items: EnvironmentItem[] = [
    ...(probe ? pythonItems(interpreter.path, probe) : [untrustedItem(interpreter)]),
    onnxItem(),
    ...paths,
    disk,
  ];
  const report: EnvironmentReport = {
    interpreter: { path: interpreter.path, source: interpreter.source, why: whyChosen(interpreter) },
    probe,
    items,
    host: vscode.env.remoteName ?? 'local',
    durationMs: Date.now() - started,
  };
  show(report);
  return report;
}

function whyChosen(interpreter: Interpreter): string {
  if (interpreter.source === 'Python extension')
    return "the Python extension's active interpreter for this workspace";
  if (interpreter.source === 'grpoLens.pythonPath') return 'from the grpoLens.pythonPath setting';
  return 'the default (no Python extension interpreter and no grpoLens.pythonPath setting)';
}

// An untrusted workspace may name any program as its interpreter: nothing is run.
function untrustedItem(interpreter: Interpreter): EnvironmentItem {
  return {
    name: 'Python',
    status: 'skipped',
    detail: `not run: the workspace is not trusted, and "${interpreter.path}" could come from its settings.`,
    fix: 'Trust the workspace (Manage Workspace Trust) to check Python, PyTorch and CUDA.',
  };
}

/** Where new runs go: runs/ of the first workspace folder, as Start Run puts them. */
function runsFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? runsFolderFor(folder) : path.join(process.cwd(), 'runs');
}

function show(report: EnvironmentReport): void {
  channel ??= vscode.window.createOutputChannel('GRPO Lens: Environment');
  channel.clear();
  channel.appendLine(formatReport(report).join('\n'));
  channel.show(true);
}
