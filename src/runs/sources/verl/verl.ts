// The verl source: runs found by find.ts, read from the `file` logger's JSONL (metrics)
// and the rollout dumps (samples). Wired into FeedRun by the run index.
import * as fs from 'fs';
import * as path from 'path';
import type { FeedParts, FoundRun, RunFacts } from '../source';
import { AdvantageConventionProbe } from './advantageConvention';
import { defaultCheckpointDir, readCheckpoints } from './checkpoints';
import { DumpMetricFeed } from './dumpMetrics';
import { FileLoggerFeed } from './fileLoggerFeed';
import { verlRunFiles } from './find';
import { listDumpSteps, RolloutDirFeed } from './rolloutFeed';

export { findVerlRuns } from './find';

async function mtime(p: string): Promise<number | undefined> {
  return fs.promises.stat(p).then(
    (s) => s.mtimeMs,
    () => undefined,
  );
}

/** Newest write among the metrics file, the dumps folder (a new dump) and the newest dump. */
async function lastWrite(
  metricsFile: string | undefined,
  dumpsDir: string | undefined,
): Promise<number | undefined> {
  const paths: string[] = metricsFile ? [metricsFile] : [];
  if (dumpsDir) {
    const steps = await listDumpSteps(dumpsDir);
    paths.push(dumpsDir);
    if (steps.length > 0) paths.push(path.join(dumpsDir, `${steps[steps.length - 1]}.jsonl`));
  }
  const times = (await Promise.all(paths.map(mtime))).filter((t): t is number => t !== undefined);
  return times.length > 0 ? Math.max(...times) : undefined;
}

export function verlParts(run: FoundRun): FeedParts {
  const { metricsFile, dumpsDir } = verlRunFiles(run);
  const facts = async (): Promise<RunFacts> =>
    metricsFile
      ? {
          name: run.name,
          checkpoints: await readCheckpoints(defaultCheckpointDir(metricsFile)),
          // the run doctor's findings show on it in the Problems panel
          mainFile: metricsFile,
        }
      : { name: run.name };
  const probe = new AdvantageConventionProbe();
  return {
    metrics: metricsFile
      ? new FileLoggerFeed(metricsFile, (row) => probe.note(row))
      : new DumpMetricFeed(dumpsDir ?? run.dir),
    samples: dumpsDir ? new RolloutDirFeed(dumpsDir, probe.choose) : undefined,
    facts,
    lastWrite: () => lastWrite(metricsFile, dumpsDir),
    // verl runs in its own processes (Ray): no control mailbox, no token log-probs in its files.
    capabilities: { control: false, tokenDetails: false, resume: false },
  };
}
