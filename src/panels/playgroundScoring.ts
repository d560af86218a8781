// Rewards of playground completions from the trainer's own reward functions: the one-shot
// `python -m grpo_lens score --config F` CLI with the run's resolved config. Starting a
// process from workspace files needs a trusted workspace.

import { spawn } from 'child_process';
import { promises as fs } from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface ScoreRequest {
  python: string;
  /** The folder holding the grpo_lens package (the extension's trainer/). */
  trainerDir: string;
  /** The run's resolved config (run.json "config"). */
  config: Record<string, unknown>;
  prompt: string;
  reference?: string;
  completions: string[];
  timeoutMs?: number;
}

export interface ScoreResult {
  rewards: number[];
  components: Record<string, number>[];
  advantages: number[];
}

export class ScoreError extends Error {}

export async function scoreWithTrainer(request: ScoreRequest): Promise<ScoreResult> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'grpo-lens-score-'));
  try {
    const { config_dir: configDir, ...config } = request.config;
    const file = path.join(dir, 'run.grpo.json');
    await fs.writeFile(file, JSON.stringify(config));
    // The run's config folder stays importable, for user reward functions (module:function),
    // and is the working folder (not the host's, an accident of how VS Code was started), so a
    // reward function that opens a file next to its config finds it. The user's own
    // PYTHONPATH is kept, after ours: their reward code may import from it.
    const folder = await existingFolder(configDir);
    const pythonPath = [request.trainerDir, folder, process.env.PYTHONPATH]
      .filter(Boolean)
      .join(path.delimiter);
    const stdin = JSON.stringify({
      prompt: request.prompt,
      reference: request.reference,
      completions: request.completions,
    });
    const out = await run(
      request.python,
      ['-m', 'grpo_lens', 'score', '--config', file],
      stdin,
      pythonPath,
      folder,
      request.timeoutMs,
    );
    return JSON.parse(out) as ScoreResult;
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** The run's config folder if it still exists here (a copied run may name another machine's). */
async function existingFolder(dir: unknown): Promise<string | undefined> {
  if (typeof dir !== 'string') return undefined;
  const stat = await fs.stat(dir).catch(() => undefined);
  return stat?.isDirectory() ? dir : undefined;
}

function run(
  python: string,
  args: string[],
  stdin: string,
  pythonPath: string,
  cwd: string | undefined,
  timeoutMs = 60_000,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(python, args, {
      cwd,
      env: { ...process.env, PYTHONPATH: pythonPath },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill(), timeoutMs);
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ScoreError(
          err.code === 'ENOENT'
            ? `Python was not found at "${python}": set grpoLens.pythonPath or select an interpreter to score completions.`
            : `Could not start ${python}: ${err.message}`,
        ),
      );
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(stdout);
      else reject(new ScoreError(`Scoring failed (${python} exited with ${code}): ${lastLine(stderr)}`));
    });
    child.stdin.end(stdin);
  });
}

function lastLine(text: string): string {
  const lines = text.trim().split('\n');
  return (lines[lines.length - 1] || 'no message').slice(0, 300);
}
