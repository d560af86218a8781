// What the launcher's tests share: the stand-in trainer, the bundled CLI, and waiting.
import * as fs from 'fs';
import * as path from 'path';
import { groupProcesses } from '../../../src/launch/processGroup';
import { readStatus } from '../../../src/launch/sidecar';
import { ROOT } from '../cli/harness';

export const STANDIN = path.join(ROOT, 'test', 'fixtures', 'standin_trainer.py');

/** The stand-in trainer's command line, writing a TRL output_dir at `out`. */
export function standin(out: string, stepSeconds = 0.2): string[] {
  return ['python3', STANDIN, '--output-dir', out, '--step-seconds', String(stepSeconds)];
}

export async function until<T>(
  what: string,
  test: () => T | undefined | false,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = test();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** /proc states of every process in the launch's group (supervisor, command, its child). */
export function groupStates(sidecar: string): string[] {
  const pgid = readStatus(sidecar)?.pgid;
  return pgid === undefined ? [] : groupProcesses(pgid).map((p) => p.state);
}

export function checkpointsIn(out: string): number {
  return fs.existsSync(out) ? fs.readdirSync(out).filter((n) => n.startsWith('checkpoint-')).length : 0;
}
