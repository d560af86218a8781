// Finding run directories: each root's subfolders (and the root itself) that hold
// run.json or metrics.jsonl.
import * as fs from 'fs';
import * as path from 'path';
import { looksLikeRunDir } from './runFiles';

export async function findRunDirs(roots: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const root of roots) {
    for (const dir of await runDirsUnder(root)) found.add(dir);
  }
  return [...found].sort();
}

async function runDirsUnder(root: string): Promise<string[]> {
  const entries = await fs.promises.readdir(root, { withFileTypes: true }).catch(() => []);
  if (looksLikeRunDir(entries.map((e) => e.name))) return [path.resolve(root)];
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => path.resolve(root, e.name));
  const checks = await Promise.all(dirs.map(async (dir) => ((await isRunDir(dir)) ? dir : undefined)));
  return checks.filter((d): d is string => d !== undefined);
}

async function isRunDir(dir: string): Promise<boolean> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  return looksLikeRunDir(names);
}

/** The run directory and file name a watched path belongs to, relative to a root. */
export function locateInRoot(
  root: string,
  changedPath: string,
  runDirs: Set<string>,
): { runDir: string; file: string } | undefined {
  const rootAbs = path.resolve(root);
  if (runDirs.has(rootAbs)) return fileIn(rootAbs, changedPath);
  const rel = path.relative(rootAbs, changedPath).split(path.sep);
  if (rel.length < 2 || rel[0] === '..') return undefined;
  return { runDir: path.join(rootAbs, rel[0]), file: rel[1] };
}

function fileIn(runDir: string, changedPath: string): { runDir: string; file: string } | undefined {
  const rel = path.relative(runDir, changedPath).split(path.sep);
  return rel[0] && rel[0] !== '..' ? { runDir, file: rel[0] } : undefined;
}
