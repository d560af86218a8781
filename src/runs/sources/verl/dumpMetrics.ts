// Metrics of a run that has rollout dumps but no file-logger JSONL: what the dumps
// themselves say, one row per dump (the reward as scored, its spread within groups, and
// each extra reward field's mean). Nothing else verl logs can be recovered from them.
import * as path from 'path';
import { mean, sampleStd } from '../../../grpo/advantages';
import type { MetricRow, SampleGroup } from '../../model';
import type { MetricFeed, MetricPoll } from '../source';
import { readRolloutDump } from './rolloutDump';
import { isWholeDump, listDumpSteps, RolloutDirFeed } from './rolloutFeed';

/** Dumps can be megabytes each: the first read looks at the newest few only. */
export const DUMP_TAIL_STEPS = 50;

export function dumpRow(step: number, groups: readonly SampleGroup[]): MetricRow | undefined {
  const completions = groups.flatMap((g) => g.completions);
  if (completions.length === 0) return undefined;
  const row: MetricRow = { step, reward: mean(completions.map((c) => c.reward)) };
  const spreads = groups.map((g) => sampleStd(g.completions.map((c) => c.reward)));
  row.reward_std = mean(spreads);
  row.frac_reward_zero_std = spreads.filter((s) => s === 0).length / groups.length;
  const names = new Set(completions.flatMap((c) => Object.keys(c.rewards)));
  for (const name of names) {
    const values = completions.map((c) => c.rewards[name]).filter((v) => v !== undefined);
    row[`rewards/${name}/mean`] = mean(values);
  }
  return row;
}

export class DumpMetricFeed implements MetricFeed {
  private readonly listing: RolloutDirFeed;

  constructor(readonly dir: string) {
    this.listing = new RolloutDirFeed(dir);
  }

  async tail(maxRows: number): Promise<MetricPoll> {
    const steps = await this.listing.steps();
    return this.rowsOf(steps.slice(-Math.min(maxRows, DUMP_TAIL_STEPS)));
  }

  async poll(): Promise<MetricPoll> {
    return this.rowsOf((await this.listing.poll()).newSteps);
  }

  async readAll(onRow: (row: MetricRow) => void): Promise<void> {
    // The listing's own scan is left alone: what poll reports next must not change.
    const steps = await listDumpSteps(this.dir);
    const newest = steps[steps.length - 1];
    if (newest !== undefined && !(await isWholeDump(this.file(newest)))) steps.pop();
    for (const step of steps) {
      const row = dumpRow(step, (await readRolloutDump(this.file(step), step)).groups);
      if (row) onRow(row);
    }
  }

  private async rowsOf(steps: number[]): Promise<MetricPoll> {
    const rows: MetricRow[] = [];
    const bad: Record<string, number> = {};
    for (const step of steps) {
      const dump = await readRolloutDump(this.file(step), step);
      const row = dumpRow(step, dump.groups);
      if (row) rows.push(row);
      if (dump.bad > 0) bad[`${step}.jsonl`] = dump.bad;
    }
    return Object.keys(bad).length > 0 ? { rows, bad } : { rows };
  }

  private file(step: number): string {
    return path.join(this.dir, `${step}.jsonl`);
  }
}
