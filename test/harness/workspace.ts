// Throw-away workspaces for host and UI tests.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pythonPath, repoRoot } from './paths';

export interface WorkspaceOptions {
  /** A folder (absolute, or relative to the repository) whose contents are copied in. */
  from?: string;
  /** Files to write: relative path -> text (objects are written as JSON). */
  files?: Record<string, string | object>;
  /** Workspace settings merged over the default { "grpoLens.pythonPath": "/usr/bin/python3" }. */
  settings?: Record<string, unknown>;
}

/** Default workspace settings: the trainer's interpreter is Debian's, which has torch. */
export function defaultWorkspaceSettings(): Record<string, unknown> {
  return { 'grpoLens.pythonPath': pythonPath };
}

/** Writes .vscode/settings.json in dir, merged over what is there and the defaults. */
export function writeWorkspaceSettings(dir: string, settings: Record<string, unknown> = {}): void {
  const file = path.join(dir, '.vscode', 'settings.json');
  let existing: Record<string, unknown> = {};
  if (fs.existsSync(file)) existing = JSON.parse(fs.readFileSync(file, 'utf8'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(
    file,
    JSON.stringify({ ...defaultWorkspaceSettings(), ...existing, ...settings }, null, 2),
  );
}

/** Makes a fresh workspace folder under the OS temp dir and returns its path. */
export function makeWorkspace(options: WorkspaceOptions = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'grpo-lens-ws-'));
  if (options.from) {
    const from = path.isAbsolute(options.from) ? options.from : path.join(repoRoot, options.from);
    fs.cpSync(from, dir, { recursive: true });
  }
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
  writeWorkspaceSettings(dir, options.settings);
  return dir;
}
