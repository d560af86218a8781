// Examining a whole run on disk: every current metric row (streamed, never held),
// the run's recent events, a bounded set of sample steps, and liveness from the
// summary. Used by `grpo-lens doctor` and by the extension when it opens a run.
import type { MetricRow, RunSummary } from '../runs/model';
import type { RunSession } from '../runs/sources/source';
import { createRunDoctor } from './doctor';
import type { DoctorThresholds, Finding, RunDoctor } from './finding';

export interface ExamineOptions {
  /** For liveness (stalled): the run's state and when it last wrote. */
  summary?: RunSummary;
  thresholds?: Partial<DoctorThresholds>;
  /** Sample steps read at the end of the run (default 16). */
  lastSampleSteps?: number;
  /** Sample steps read at an even stride across the run (default 48). */
  spreadSampleSteps?: number;
  nowMs?: number;
}

const BATCH = 1024;
const RUNNING = new Set(['running', 'starting']);

export async function examineRun(session: RunSession, options: ExamineOptions = {}): Promise<Finding[]> {
  return (await examinedDoctor(session, options)).findings();
}

/** The doctor after examining the run, to keep feeding live (addMetrics, addSamples…). */
export async function examinedDoctor(session: RunSession, options: ExamineOptions = {}): Promise<RunDoctor> {
  const doctor = createRunDoctor(options.thresholds);
  // events first: a resume point must be known before the rows after it go by
  doctor.addEvents(session.recentEvents());
  const steps: number[] = [];
  let batch: MetricRow[] = [];
  await session.readAllMetrics((row) => {
    steps.push(row.step);
    batch.push(row);
    if (batch.length >= BATCH) {
      doctor.addMetrics(batch);
      batch = [];
    }
  });
  doctor.addMetrics(batch);
  await addSomeSamples(doctor, session, steps, options);
  const s = options.summary;
  if (s) doctor.checkLiveness(RUNNING.has(s.state), s.updatedAt, options.nowMs ?? Date.now());
  return doctor;
}

/**
 * Samples of a bounded set of steps: the last few (what the run does now) and an
 * even stride across it (when a problem began). Our trainer logs samples at every
 * step, so the metric steps are tried first without listing the samples (a listing
 * scans the whole samples file); a source that logs fewer steps is listed instead.
 */
async function addSomeSamples(
  doctor: RunDoctor,
  session: RunSession,
  metricSteps: number[],
  o: ExamineOptions,
) {
  const last = o.lastSampleSteps ?? 16;
  const spread = o.spreadSampleSteps ?? 48;
  let tried = 0;
  let found = 0;
  const guess = pickSampleSteps(metricSteps, last, spread);
  for (const step of guess) {
    const groups = await session.samplesAt(step);
    tried++;
    if (groups.length > 0) found++;
    doctor.addSamples(groups);
    if (tried >= 4 && found === 0) break;
  }
  if (found >= guess.length / 2) return;
  const listed = pickSampleSteps(await session.sampleSteps(), last, spread).filter((s) => !guess.includes(s));
  for (const step of listed) doctor.addSamples(await session.samplesAt(step));
}

/** The last `last` steps and `spread` steps evenly apart across all of them, ascending. */
export function pickSampleSteps(steps: number[], last: number, spread: number): number[] {
  const picked = new Set<number>(steps.slice(-last));
  if (spread > 0 && steps.length > 0) {
    const stride = Math.max(1, (steps.length - 1) / Math.max(1, spread - 1));
    for (let i = 0; i < spread && Math.round(i * stride) < steps.length; i++)
      picked.add(steps[Math.round(i * stride)]);
  }
  return [...picked].sort((a, b) => a - b);
}
