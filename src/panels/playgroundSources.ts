// What the playground offers to pick: runs with an ONNX export, their checkpoints, and
// prompts (with reference answers) from the tail of the run's samples.jsonl.

import { promises as fs } from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import { exportedCheckpoints } from '../inference/exports';

/** Run directories under each workspace folder's runs/ and the grpoLens.runRoots folders. */
export async function runsWithExports(): Promise<string[]> {
  const roots = [
    ...(vscode.workspace.workspaceFolders ?? []).map((f) => path.join(f.uri.fsPath, 'runs')),
    ...vscode.workspace.getConfiguration('grpoLens').get<string[]>('runRoots', []),
  ];
  const found: string[] = [];
  for (const root of roots) {
    const names = await fs.readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      const dir = path.join(root, name);
      if ((await exportedCheckpoints(dir)).length > 0) found.push(dir);
    }
  }
  return found;
}

/** Distinct prompts of the last sample groups, newest first (reads at most the last 512 KB). */
export async function recentPrompts(
  runDir: string,
  limit = 40,
): Promise<{ prompt: string; reference?: string }[]> {
  const file = path.join(runDir, 'samples.jsonl');
  const handle = await fs.open(file, 'r').catch(() => undefined);
  if (!handle) return [];
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 512 * 1024);
    const buffer = Buffer.alloc(length);
    await handle.read(buffer, 0, length, size - length);
    const seen = new Map<string, string | undefined>();
    for (const line of buffer.toString('utf8').split('\n').reverse()) {
      const group = parse(line);
      if (group && !seen.has(group.prompt)) seen.set(group.prompt, group.reference);
      if (seen.size >= limit) break;
    }
    return [...seen].map(([prompt, reference]) => ({ prompt, reference }));
  } finally {
    await handle.close();
  }
}

function parse(line: string): { prompt: string; reference?: string } | undefined {
  try {
    const value = JSON.parse(line) as { prompt?: unknown; reference?: unknown };
    if (typeof value.prompt !== 'string') return undefined;
    return { prompt: value.prompt, reference: value.reference == null ? undefined : String(value.reference) };
  } catch {
    return undefined; // a torn first line of the window, or a bad line
  }
}
