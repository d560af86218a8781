// Runs one read of a Trackio database through Python's sqlite3 (see queryScript.ts for
// why) and hands back its records. Never throws: a missing Python, a locked database
// or a killed process come back as `error`.
import { spawn } from 'child_process';
import { QUERY_SCRIPT } from './queryScript';

export interface TrackioOptions {
  /** The Python that reads the database; any Python 3 has sqlite3. */
  python?: string;
}

export type QueryError = 'python' | 'locked' | 'no-table' | 'schema' | 'sqlite' | 'killed';

export interface QueryAnswer {
  /** What the script said at the end (`last`, `runs`, `config`…), when it got there. */
  end?: Record<string, unknown>;
  error?: QueryError;
  /** The reason in words, for the run's problems. */
  message?: string;
}

const TIME_LIMIT_MS = 120_000;

export function defaultPython(env: NodeJS.ProcessEnv = process.env): string {
  return env.GRPO_LENS_PYTHON || (process.platform === 'win32' ? 'python' : 'python3');
}

/** Runs `request` against `db`; `onRecord` gets each record line as it arrives. */
export function queryTrackio(
  db: string,
  request: Record<string, unknown>,
  onRecord: (record: Record<string, unknown>) => void,
  options: TrackioOptions = {},
): Promise<QueryAnswer> {
  const python = options.python ?? defaultPython();
  return new Promise((resolve) => {
    let answer: QueryAnswer | undefined;
    let pending = '';
    let stderr = '';
    const finish = (a: QueryAnswer) => {
      if (!answer) resolve((answer = a));
    };
    const child = spawn(python, ['-c', QUERY_SCRIPT, db, JSON.stringify(request)], {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    const timer = setTimeout(() => child.kill(), TIME_LIMIT_MS);
    const takeLine = (line: string) => {
      if (!line) return;
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return;
      }
      if ('end' in record) finish(endAnswer(record.end as Record<string, unknown>));
      else onRecord(record);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const lines = (pending + chunk).split('\n');
      pending = lines.pop() ?? '';
      lines.forEach(takeLine);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
    child.on('error', (err) => {
      clearTimeout(timer);
      finish({ error: 'python', message: `Python was not found at "${python}" (${err.message})` });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      takeLine(pending);
      const last = stderr.trim().split('\n').pop();
      finish({
        error: 'killed',
        message: `the Trackio reader stopped (exit ${code})${last ? `: ${last}` : ''}`,
      });
    });
  });
}

function endAnswer(end: Record<string, unknown> | null): QueryAnswer {
  if (!end || typeof end.error !== 'string') return { end: end ?? {} };
  const error = end.error as QueryError;
  return { error, end, message: errorMessage(error, end) };
}

function errorMessage(error: QueryError, end: Record<string, unknown>): string {
  switch (error) {
    case 'locked':
      return 'the database is locked by another process; retrying';
    case 'no-table':
      return 'the database has no metrics table';
    case 'schema':
      return `the metrics table has no column ${(end.missing as string[]).join(', ')} (has ${(end.columns as string[]).join(', ')}): a Trackio version this reader does not know`;
    default:
      return String(end.message ?? error);
  }
}
