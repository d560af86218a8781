// The queue's file (<workspace>/.grpo-lens/queue.json): replaced atomically (temp file,
// fsync, rename), so a crash leaves the old queue or the new one, never half of one. A
// file that is still unreadable (torn by a tool, edited by hand) is kept aside, not lost.
import * as fs from 'fs';
import * as path from 'path';
import { emptyQueue, type QueueEntry, type QueueState, type QueueTarget } from './state';

export interface LoadedQueue {
  state: QueueState;
  /** Said to the user when the file could not be read as it was. */
  problem?: string;
}

const STATES = new Set(['pending', 'running', 'done', 'failed', 'cancelled']);
const PROFILE_KINDS = new Set(['builtin', 'command', 'slurm']);

export function loadQueue(file: string): LoadedQueue {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { state: emptyQueue() };
    return { state: emptyQueue(), problem: `cannot read ${file}: ${(err as Error).message}` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { state: emptyQueue(), problem: `${file} was not valid JSON; it was kept as ${keepAside(file)}` };
  }
  const raw = (parsed as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(raw))
    return {
      state: emptyQueue(),
      problem: `${file} has no list of entries; it was kept as ${keepAside(file)}`,
    };
  const entries = raw.filter(isEntry);
  const dropped = raw.length - entries.length;
  const problem =
    dropped > 0 ? `${dropped} unreadable entr${dropped === 1 ? 'y' : 'ies'} in ${file} left out` : undefined;
  return { state: { version: 1, entries }, problem };
}

function isEntry(e: unknown): e is QueueEntry {
  const o = e as Partial<QueueEntry> | null;
  return (
    typeof o === 'object' &&
    o !== null &&
    typeof o.id === 'string' &&
    typeof o.name === 'string' &&
    STATES.has(String(o.state)) &&
    isTarget(o.target)
  );
}

function isTarget(t: Partial<QueueTarget> | undefined): boolean {
  if (t?.kind === 'config') return typeof t.configPath === 'string';
  return (
    t?.kind === 'profile' &&
    typeof t.profileName === 'string' &&
    typeof t.folder === 'string' &&
    PROFILE_KINDS.has(String(t.profileKind)) &&
    (t.sidecar === undefined || typeof t.sidecar === 'string')
  );
}

function keepAside(file: string): string {
  const aside = `${file}.unreadable-${Date.now()}`;
  try {
    fs.renameSync(file, aside);
    return path.basename(aside);
  } catch {
    return `${path.basename(file)} (could not be moved)`;
  }
}

export function saveQueue(file: string, state: QueueState): void {
  writeFileAtomically(file, `${JSON.stringify(state, null, 2)}\n`);
  // The queue is this machine's: keep it out of the repository.
  const ignore = path.join(path.dirname(file), '.gitignore');
  if (!fs.existsSync(ignore)) fs.writeFileSync(ignore, '*\n');
}

export function writeFileAtomically(file: string, text: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = fs.openSync(temp, 'w');
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  fs.renameSync(temp, file);
}
