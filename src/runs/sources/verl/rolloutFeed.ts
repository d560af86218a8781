// The sample groups of a verl run: a folder of rollout dumps, `<global_step>.jsonl`.
// Steps come from the listing; a step's file is parsed only when that step is asked for.
import * as fs from 'fs';
import * as path from 'path';
import type { SampleGroup } from '../../model';
import type { SampleFeed } from '../source';
import { type ConventionChoice, readRolloutDump } from './rolloutDump';

const DUMP = /^(\d+)\.jsonl$/;

/** The step of a rollout dump's file name, or undefined. */
export function dumpStep(name: string): number | undefined {
  const match = DUMP.exec(name);
  return match ? Number(match[1]) : undefined;
}

/** Steps of the dumps in a folder, ascending ([] when it cannot be read). */
export async function listDumpSteps(dir: string): Promise<number[]> {
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return [];
  }
  return names
    .map(dumpStep)
    .filter((s): s is number => s !== undefined)
    .sort((a, b) => a - b);
}

/**
 * verl opens a dump, then writes it in one call: an empty file, or one not yet ending in a
 * newline, is still being written.
 */
export async function isWholeDump(file: string): Promise<boolean> {
  const handle = await fs.promises.open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const { size } = await handle.stat();
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    await handle.close();
  }
}

export class RolloutDirFeed implements SampleFeed {
  private readonly known = new Set<number>();
  private bad: Record<string, number> = {};

  constructor(
    readonly dir: string,
    private readonly convention?: ConventionChoice,
  ) {}

  async steps(): Promise<number[]> {
    await this.scan();
    return [...this.known].sort((a, b) => a - b);
  }

  async at(step: number): Promise<SampleGroup[]> {
    const name = `${step}.jsonl`;
    const dump = await readRolloutDump(path.join(this.dir, name), step, this.convention);
    if (dump.bad > 0) this.bad[name] = dump.bad;
    return dump.groups;
  }

  async poll(): Promise<{ newSteps: number[]; bad?: Record<string, number> }> {
    const newSteps = await this.scan();
    const bad = this.bad;
    this.bad = {};
    return Object.keys(bad).length > 0 ? { newSteps, bad } : { newSteps };
  }

  /** Steps whose dumps appeared since the last scan. Only the newest can still be in progress. */
  private async scan(): Promise<number[]> {
    const all = await listDumpSteps(this.dir);
    const newest = all[all.length - 1];
    const fresh: number[] = [];
    for (const step of all) {
      if (this.known.has(step)) continue;
      if (step === newest && !(await isWholeDump(path.join(this.dir, `${step}.jsonl`)))) continue;
      this.known.add(step);
      fresh.push(step);
    }
    return fresh;
  }
}
