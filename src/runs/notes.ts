// A run's note (Markdown) and tags, kept in sidecar files of ours so that they survive
// reloads and travel with the run (see docs/experiments.md):
//   our runs:     <run dir>/note.md and <run dir>/tags.json (our run directory, our files)
//   other runs:   <parent of the run's folder>/.grpo-lens/<stem>.note.md and <stem>.tags.json,
//                 never inside the folder another trainer writes.
// No vscode here: the queue (sweep tags) and the command line use it too.
import { EventEmitter } from 'events';
import * as fs from 'fs';
import * as path from 'path';
import type { Disposable, SourceKind } from './model';

/** What locating a run's sidecar needs; a RunSummary is one. */
export interface RunNoteTarget {
  id: string;
  dir: string;
  source: SourceKind;
}

export interface RunNotes {
  tags: string[];
  /** The Markdown note, '' when there is none. */
  note: string;
  /** The tags file could not be read (said on the run; the file is left as it is). */
  problem?: string;
}

export interface NotesLocation {
  noteFile: string;
  tagsFile: string;
}

export const TAGS_FORMAT = 'grpo-lens-tags/1';
/** The folder, next to another trainer's run folder, that holds our sidecars. */
export const SIDECAR_FOLDER = '.grpo-lens';
const MAX_TAG_LENGTH = 100;

const changes = new EventEmitter();

/** Fired with the run's id whenever this process wrote its tags or note. */
export function onDidChangeRunNotes(listener: (runId: string) => void): Disposable {
  changes.on('change', listener);
  return { dispose: () => changes.off('change', listener) };
}

export function announceNotesChanged(runId: string): void {
  changes.emit('change', runId);
}

/**
 * A run given by its folder only (the queue knows the run directory it launches into):
 * ours when it holds run.json or status.json, or does not exist yet (our trainer creates it).
 */
export function targetOf(run: RunNoteTarget | string): RunNoteTarget {
  if (typeof run !== 'string') return run;
  const dir = path.resolve(run);
  const ours =
    !fs.existsSync(dir) ||
    fs.existsSync(path.join(dir, 'run.json')) ||
    fs.existsSync(path.join(dir, 'status.json'));
  return { id: dir, dir, source: ours ? 'grpo-lens' : 'tensorboard' };
}

/** Characters no file name may hold on some system, and path separators. */
function fileSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[<>:"/\\|?*\u0000-\u001f]/g, '_');
}

export function notesLocation(run: RunNoteTarget): NotesLocation {
  if (run.source === 'grpo-lens') {
    return { noteFile: path.join(run.dir, 'note.md'), tagsFile: path.join(run.dir, 'tags.json') };
  }
  // The run's folder is the other trainer's: the sidecar goes next to it, named after it,
  // plus what tells apart several runs of one folder (a verl log file, a Trackio run).
  const dir = path.resolve(run.dir);
  const rest = path.resolve(run.id) === dir ? '' : path.relative(dir, run.id);
  const stem = rest ? path.join(fileSafe(path.basename(dir)), fileSafe(rest)) : fileSafe(path.basename(dir));
  const base = path.join(path.dirname(dir), SIDECAR_FOLDER, stem);
  return { noteFile: `${base}.note.md`, tagsFile: `${base}.tags.json` };
}

/** Trimmed, without commas or line breaks, at most 100 characters, each once, in order. */
export function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const tag = String(raw)
      .replace(/[,\r\n]+/g, ' ')
      .trim()
      .slice(0, MAX_TAG_LENGTH);
    if (tag && !out.includes(tag)) out.push(tag);
  }
  return out;
}

/** Tags typed as one line: "baseline, beta=0.1, sweep:beta". */
export function parseTagList(text: string): string[] {
  return normalizeTags(text.split(','));
}

export async function readRunNotes(run: RunNoteTarget | string): Promise<RunNotes> {
  const where = notesLocation(targetOf(run));
  const [tags, note] = await Promise.all([readTags(where.tagsFile), readText(where.noteFile)]);
  return { tags: tags.tags, note: note ?? '', problem: tags.problem };
}

async function readText(file: string): Promise<string | undefined> {
  try {
    return await fs.promises.readFile(file, 'utf8');
  } catch {
    return undefined;
  }
}

async function readTags(file: string): Promise<{ tags: string[]; problem?: string }> {
  const text = await readText(file);
  if (text === undefined) return { tags: [] };
  try {
    const value = JSON.parse(text) as { tags?: unknown };
    if (!Array.isArray(value?.tags)) throw new Error('it has no "tags" list');
    return { tags: normalizeTags(value.tags.filter((t): t is string => typeof t === 'string')) };
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    return { tags: [], problem: `${path.basename(file)} could not be read (${why}); fix or delete it.` };
  }
}

/** Replaces the run's tags; returns them as stored. The file is replaced atomically. */
export async function setRunTags(run: RunNoteTarget | string, tags: readonly string[]): Promise<string[]> {
  const target = targetOf(run);
  const stored = normalizeTags(tags);
  const { tagsFile } = notesLocation(target);
  await writeAtomically(tagsFile, JSON.stringify({ format: TAGS_FORMAT, tags: stored }, null, 2) + '\n');
  announceNotesChanged(target.id);
  return stored;
}

/** Adds tags to those the run has (the queue's sweep tags); returns all of them. */
export async function addRunTags(run: RunNoteTarget | string, tags: readonly string[]): Promise<string[]> {
  const current = await readRunNotes(run);
  if (current.problem) throw new Error(current.problem);
  return setRunTags(run, [...current.tags, ...tags]);
}

/** Replaces the run's note (editors save the file themselves; this is for everything else). */
export async function writeRunNote(run: RunNoteTarget | string, markdown: string): Promise<void> {
  const target = targetOf(run);
  await writeAtomically(notesLocation(target).noteFile, markdown);
  announceNotesChanged(target.id);
}

/** Creates the note file (empty) if missing, so that an editor can open it; returns its path. */
export async function ensureNoteFile(run: RunNoteTarget): Promise<string> {
  const { noteFile } = notesLocation(run);
  await fs.promises.mkdir(path.dirname(noteFile), { recursive: true });
  const handle = await fs.promises.open(noteFile, 'a');
  await handle.close();
  return noteFile;
}

async function writeAtomically(file: string, text: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${Date.now()}.tmp`;
  const handle = await fs.promises.open(temp, 'w');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await fs.promises.rename(temp, file);
}
