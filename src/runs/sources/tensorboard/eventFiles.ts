// Finding a logdir's event files. SummaryWriter names each file
// events.out.tfevents.<unix seconds, %010d>.<host>.<pid>.<uid>
// (tensorboard/summary/writer/event_file_writer.py); a new process start writes a new
// file, sometimes in a new subfolder (TRL: output_dir/runs/<date_host>/).
import * as fs from 'fs';
import * as path from 'path';

export const EVENT_FILE_PREFIX = 'events.out.tfevents.';

export function isEventFileName(name: string): boolean {
  return name.startsWith(EVENT_FILE_PREFIX);
}

/** Folder levels below a logdir searched by default. */
export const DEFAULT_DEPTH = 3;

/** Event files under the logdirs, oldest first (by the time in their names, then uid, then path). */
export async function listEventFiles(logdirs: string[], depth = DEFAULT_DEPTH): Promise<string[]> {
  const found: string[] = [];
  for (const dir of logdirs) await collect(dir, depth, found);
  return [...new Set(found)].sort(byWriteOrder);
}

async function collect(dir: string, depth: number, into: string[]): Promise<void> {
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isFile() && isEventFileName(entry.name)) into.push(full);
    else if (entry.isDirectory() && depth > 0) await collect(full, depth - 1, into);
  }
}

/** Event files in the order they were written: by the time in their names, then uid, then path. */
export function byWriteOrder(a: string, b: string): number {
  const [ta, ua] = nameOrder(path.basename(a));
  const [tb, ub] = nameOrder(path.basename(b));
  return ta - tb || ua - ub || a.localeCompare(b);
}

/** [seconds, uid] from the file name; 0 for names some other writer made. */
function nameOrder(name: string): [number, number] {
  const parts = name.slice(EVENT_FILE_PREFIX.length).split('.');
  const seconds = Number(parts[0]);
  const uid = Number(parts.at(-1));
  return [Number.isFinite(seconds) ? seconds : 0, Number.isFinite(uid) ? uid : 0];
}

/** Newest modification time (ms) of the event files, undefined if there are none. */
export async function newestWrite(files: string[]): Promise<number | undefined> {
  let newest: number | undefined;
  for (const file of files) {
    const stat = await fs.promises.stat(file).catch(() => undefined);
    if (stat) newest = Math.max(newest ?? 0, stat.mtimeMs);
  }
  return newest;
}
