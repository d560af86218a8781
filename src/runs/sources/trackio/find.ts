// Where Trackio keeps its databases, and the runs in one folder of them. Trackio
// (trackio/utils.py, sqlite_storage.py) stores each project in `$TRACKIO_DIR/{project}.db`
// and each run as rows of that database's `metrics` table, keyed by run_name.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { FoundRun } from '../source';
import { queryTrackio, type TrackioOptions } from './query';

/**
 * The folder Trackio uses: $TRACKIO_DIR, else `<HF_HOME>/trackio`, with HF_HOME as
 * huggingface_hub computes it ($HF_HOME, else `$XDG_CACHE_HOME/huggingface`, else
 * `~/.cache/huggingface`, then expanduser and expandvars).
 */
export function defaultTrackioDir(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  if (env.TRACKIO_DIR) return path.resolve(env.TRACKIO_DIR);
  const cache = env.XDG_CACHE_HOME || path.join(home, '.cache');
  const hfHome = env.HF_HOME || path.join(cache, 'huggingface');
  return path.resolve(expandVars(expandUser(hfHome, home), env), 'trackio');
}

function expandUser(p: string, home: string): string {
  return p === '~' || p.startsWith('~/') ? home + p.slice(1) : p;
}

/** Python's os.path.expandvars: $NAME and ${NAME}; unknown names are left as they are. */
function expandVars(p: string, env: NodeJS.ProcessEnv): string {
  return p.replace(/\$(\w+)|\$\{([^}]+)\}/g, (whole, a: string, b: string) => env[a ?? b] ?? whole);
}

/** The project name Trackio gave a database: its file name without `.db`. */
export function projectOf(db: string): string {
  return path.basename(db, '.db');
}

export function trackioRunId(db: string, runName: string): string {
  return `${db}#${runName}`;
}

/**
 * Run names per database, kept while the database and its -wal are unchanged: the
 * workspace walk asks again whenever files appear, and each answer costs a Python start.
 */
const runNamesSeen = new Map<string, { stamp: string; runs: string[] }>();

async function fileStamp(db: string): Promise<string> {
  const stat = (f: string) =>
    fs.promises.stat(f).then(
      (s) => `${s.size}:${s.mtimeMs}`,
      () => '-',
    );
  return `${await stat(db)}|${await stat(`${db}-wal`)}`;
}

async function runNames(db: string, options: TrackioOptions): Promise<string[] | undefined> {
  const stamp = await fileStamp(db);
  const seen = runNamesSeen.get(db);
  if (seen?.stamp === stamp) return seen.runs;
  const answer = await queryTrackio(db, { op: 'runs' }, () => undefined, options);
  const runs = answer.end?.runs;
  if (answer.error || !Array.isArray(runs)) return undefined;
  const names = runs.filter((r): r is string => typeof r === 'string');
  runNamesSeen.set(db, { stamp, runs: names });
  return names;
}

/** Each `*.db` with a metrics table: one run per distinct run_name. */
export async function findTrackioRuns(
  dir: string,
  entries: string[],
  options: TrackioOptions = {},
): Promise<FoundRun[]> {
  const found: FoundRun[] = [];
  for (const entry of entries.filter((e) => e.endsWith('.db')).sort()) {
    const db = path.resolve(dir, entry);
    for (const runName of (await runNames(db, options)) ?? []) {
      found.push({
        id: trackioRunId(db, runName),
        dir: path.dirname(db),
        source: 'trackio',
        name: `${projectOf(db)}/${runName}`,
        watch: [db, `${db}-wal`],
      });
    }
  }
  return found;
}

/** The database and run name behind a FoundRun id. */
export function splitTrackioRunId(id: string): { db: string; runName: string } {
  const at = id.indexOf('.db#');
  return at < 0 ? { db: id, runName: '' } : { db: id.slice(0, at + 3), runName: id.slice(at + 4) };
}
