// `grpo-lens ls [DIR…]`: every run found under the folders, one per line.
import type { RunSummary } from '../runs/model';
import { runsUnder } from './findRun';
import { readSummary } from './openRun';
import { runHeading, type RunHeading } from './show';
import { columns, num, shown } from './text';

export interface ListedRun extends RunHeading {
  dir: string;
  id: string;
  reward: number | null;
}

export async function listRuns(dirs: string[]): Promise<RunSummary[]> {
  const found = await runsUnder(dirs.length > 0 ? dirs : ['.']);
  const summaries: RunSummary[] = [];
  for (const run of found) summaries.push(await readSummary(run));
  return summaries;
}

export function listedRun(s: RunSummary): ListedRun {
  return { ...runHeading(s), dir: s.dir, id: s.id, reward: s.latestReward ?? null };
}

export function runsAsText(summaries: RunSummary[]): string {
  const rows = summaries.map((s) => [
    s.sourceLabel,
    shown(s.name),
    s.state,
    s.totalSteps !== undefined ? `step ${s.step}/${s.totalSteps}` : `step ${s.step}`,
    `reward ${num(s.latestReward)}`,
  ]);
  return columns(rows);
}
