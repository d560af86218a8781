// Where a new run goes: <workspace>/runs/<config-name>-<yyyymmdd-hhmmss>. Pure.
import * as path from 'path';

export function configNameOf(configPath: string): string {
  const base = path
    .basename(configPath)
    .replace(/\.grpo\.jsonc?$/i, '')
    .replace(/\.jsonc?$/i, '');
  return base.replace(/[^A-Za-z0-9_.-]+/g, '-') || 'run';
}

export function timestampOf(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** A run directory path that does not exist yet (a suffix is added on a clash). */
export function newRunDir(
  runsRoot: string,
  configPath: string,
  now: Date,
  exists: (p: string) => boolean,
): string {
  const base = path.join(runsRoot, `${configNameOf(configPath)}-${timestampOf(now)}`);
  let candidate = base;
  for (let i = 2; exists(candidate); i++) candidate = `${base}-${i}`;
  return candidate;
}
