// The tags of a run the queue started (its sweep's name and overrides), in a sidecar of
// ours inside the run directory of our own trainer. The one place that writes them: the
// notes/tags module of the runs table takes this over when it lands.
import * as fs from 'fs';
import * as path from 'path';
import { writeFileAtomically } from './queueFile';

export const TAGS_FILE = 'grpo-lens.tags.json';

/** Adds tags to the run (keeping those it has), written atomically. */
export function tagRun(runDir: string, tags: string[]): void {
  const file = path.join(runDir, TAGS_FILE);
  const known = readTags(runDir);
  const all = [...known, ...tags.filter((t) => !known.includes(t))];
  writeFileAtomically(file, `${JSON.stringify({ tags: all }, null, 2)}\n`);
}

export function readTags(runDir: string): string[] {
  try {
    const parsed = JSON.parse(fs.readFileSync(path.join(runDir, TAGS_FILE), 'utf8')) as { tags?: unknown };
    return Array.isArray(parsed.tags) ? parsed.tags.filter((t): t is string => typeof t === 'string') : [];
  } catch {
    return [];
  }
}
