// Runs the bundled command line (dist/cli.js) as a child process, building it first
// when it is missing or older than the sources (scripts/test-all.js builds it before
// the unit suite; a lone mocha run after tsc may not have).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { jsonl } from '../runs/tempDir';

export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const CLI = path.join(ROOT, 'dist', 'cli.js');

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: string[], cwd: string): CliResult {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 15_000,
    maxBuffer: 64 << 20,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

export function ensureBundle(): void {
  const built = fs.existsSync(CLI) ? fs.statSync(CLI).mtimeMs : 0;
  if (built > newestSource(path.join(ROOT, 'src')) && built > newestSource(path.join(ROOT, 'webview')))
    return;
  execFileSync(process.execPath, [path.join(ROOT, 'esbuild.js')], { cwd: ROOT, stdio: 'ignore' });
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** A run directory as our trainer writes it (docs/run-format.md); metrics lines as given. */
export function writeRun(
  root: string,
  name: string,
  status: object,
  metricLines: (object | string)[],
  runName = name,
): string {
  const dir = path.join(root, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'run.json'),
    JSON.stringify({ format: 'grpo-lens/1', name: runName, config: { max_steps: 10, beta: 0.04 } }),
  );
  fs.writeFileSync(path.join(dir, 'status.json'), JSON.stringify(status));
  const lines = metricLines.map((l) => (typeof l === 'string' ? l + '\n' : jsonl([l])));
  fs.writeFileSync(path.join(dir, 'metrics.jsonl'), lines.join(''));
  return dir;
}

/** The samples fixture's writer (test/fixtures/samples/make.js): 200 steps, samples every 10. */
export function writeSampleRun(dir: string): string {
  execFileSync(process.execPath, [path.join(ROOT, 'test', 'fixtures', 'samples', 'make.js'), dir], {
    stdio: 'ignore',
  });
  return dir;
}
