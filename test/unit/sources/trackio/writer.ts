// Drives test/fixtures/writers/trackio.py: a Python process that writes a Trackio
// project database the way Trackio does, command by command, and keeps a connection
// open so that what it writes stays in the -wal file until it closes.
import { spawn, type ChildProcessWithoutNullStreams } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as readline from 'readline';

export const PYTHON = process.env.GRPO_LENS_PYTHON ?? '/usr/bin/python3';
const SCRIPT = path.resolve(__dirname, '../../../../../test/fixtures/writers/trackio.py');

export interface Answer {
  ok: boolean;
  error?: string;
  rows?: number;
  db?: string;
}

export class TrackioWriter {
  readonly db: string;
  private readonly waiting: ((a: Answer) => void)[] = [];
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    readonly dir: string,
    project: string,
  ) {
    this.db = path.join(dir, `${project}.db`);
    readline
      .createInterface({ input: child.stdout })
      .on('line', (line) => this.waiting.shift()?.(JSON.parse(line)));
  }

  /** A writer on a new database `<dir>/<project>.db`: Trackio's current schema or pre-0.24's; WAL or rollback journal. */
  static async start(
    dir: string,
    project = 'proj',
    schema: 'current' | 'legacy' = 'current',
    journal = 'wal',
  ): Promise<TrackioWriter> {
    const env = { ...process.env, TRACKIO_SQLITE_JOURNAL_MODE: journal };
    const child = spawn(PYTHON, [SCRIPT, dir, project, schema], { env });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const writer = new TrackioWriter(child, dir, project);
    const exited = new Promise<Answer>((resolve) => child.once('exit', () => resolve({ ok: false })));
    const ready = await Promise.race([writer.next(), exited]);
    if (!ready.ok) throw new Error(`writer did not start: ${stderr}`);
    return writer;
  }

  async send(command: Record<string, unknown>): Promise<Answer> {
    const answer = this.next();
    this.child.stdin.write(JSON.stringify(command) + '\n');
    const a = await answer;
    if (!a.ok) throw new Error(`writer: ${a.error}`);
    return a;
  }

  /** TRL's log calls for these global steps: a metrics record, then (table) a completions table. */
  log(run: string, steps: number[], table = true, groups = 2, size = 4): Promise<Answer> {
    return this.send({ op: 'log', run, steps, table, groups, size });
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.on('exit', r));
    await this.send({ op: 'close' });
    await exited;
  }

  kill(): void {
    this.child.kill();
  }

  private next(): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      this.child.once('error', reject);
    });
  }
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'trackio-test-'));
}

/** Every file in a folder with its size and mtime: what "nothing was written" compares. */
export function listing(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of fs.readdirSync(dir).sort()) {
    const stat = fs.statSync(path.join(dir, name));
    out[name] = `${stat.size} bytes, mtime ${stat.mtimeMs}`;
  }
  return out;
}
