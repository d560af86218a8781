// The run doctor: every detector, fed the run incrementally (see finding.ts for the
// contract). Each call costs a bounded amount: detectors keep rolling windows and
// counters, never the whole run.
import type { MetricRow, SampleGroup } from '../runs/model';
import type { Detector, DetectorFactory } from './detector';
import type { DoctorThresholds, Finding, RunDoctor, Severity } from './finding';
import { resolveThresholds } from './thresholds';
import { advantageBias } from './detectors/advantageBias';
import { highClipRatio } from './detectors/clipRatio';
import { entropyCollapse } from './detectors/entropy';
import { learningSignal } from './detectors/learningSignal';
import { lengthDrift } from './detectors/lengthDrift';
import { modeCollapse } from './detectors/modeCollapse';
import { nonFinite } from './detectors/nonFinite';
import { resumeDiscontinuity } from './detectors/resume';
import { rewardDominance } from './detectors/rewardDominance';
import { rewardHacking } from './detectors/rewardHacking';
import { gradSpike, klSpike } from './detectors/spikes';
import { stalled } from './detectors/stalled';
import { truncation } from './detectors/truncation';

const DETECTORS: DetectorFactory[] = [
  nonFinite,
  learningSignal,
  truncation,
  klSpike,
  entropyCollapse,
  modeCollapse,
  rewardHacking,
  rewardDominance,
  lengthDrift,
  highClipRatio,
  gradSpike,
  resumeDiscontinuity,
  advantageBias,
  stalled,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function createRunDoctor(thresholds: Partial<DoctorThresholds> = {}): RunDoctor {
  const t = resolveThresholds(thresholds);
  const detectors: Detector[] = DETECTORS.map((make) => make(t));
  let lastStep: number | undefined;

  function dropFrom(step: number): void {
    for (const d of detectors) d.dropFrom(step);
  }

  return {
    addMetrics(rows: MetricRow[], supersededFrom?: number) {
      if (supersededFrom !== undefined) {
        dropFrom(supersededFrom);
        lastStep = supersededFrom - 1;
      }
      for (const row of rows) {
        // a row at or before a step already seen replaces it (the run-directory rule)
        if (lastStep !== undefined && row.step <= lastStep) dropFrom(row.step);
        lastStep = row.step;
        for (const d of detectors) d.onRow?.(row);
      }
    },
    addSamples(groups: SampleGroup[]) {
      const byStep = new Map<number, SampleGroup[]>();
      for (const g of groups) {
        if (!g || !Array.isArray(g.completions)) continue;
        const list = byStep.get(g.step) ?? [];
        list.push(g);
        byStep.set(g.step, list);
      }
      for (const step of [...byStep.keys()].sort((a, b) => a - b))
        for (const d of detectors) d.onSamples?.(step, byStep.get(step) ?? []);
    },
    addEvents(events: Record<string, unknown>[]) {
      for (const event of events)
        if (event && typeof event === 'object') for (const d of detectors) d.onEvent?.(event);
    },
    checkLiveness(running: boolean, lastWriteMs: number | undefined, nowMs: number) {
      for (const d of detectors) d.onLiveness?.(running, lastWriteMs, nowMs);
    },
    findings(): Finding[] {
      return detectors
        .flatMap((d) => d.findings())
        .sort((a, b) => RANK[a.severity] - RANK[b.severity] || a.steps[0] - b.steps[0]);
    },
  };
}
