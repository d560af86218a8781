// A written run store and a doctor that records what it is fed, for the doctor service's
// unit tests (pure: the service imports no vscode).
import type { Finding, RunDoctor } from '../../../src/doctor/finding';
import type { MetricRow, RunChange, RunStore, RunSummary, SampleGroup } from '../../../src/runs/model';

export function summary(id: string, state: RunSummary['state'], updatedAt?: number): RunSummary {
  return {
    id,
    dir: id,
    name: id,
    source: 'grpo-lens',
    sourceLabel: 'GRPO Lens',
    capabilities: { control: true, tokenDetails: true, resume: true },
    problems: [],
    state,
    step: 0,
    latest: {},
    checkpoints: [],
    badLines: {},
    updatedAt,
  };
}

export class FakeStore implements RunStore {
  readonly summaries = new Map<string, RunSummary>();
  readonly metrics = new Map<string, MetricRow[]>();
  readonly samples = new Map<string, SampleGroup[]>();
  private listener: ((changes: RunChange[]) => void) | undefined;
  leases = 0;

  constructor(runs: RunSummary[]) {
    for (const r of runs) this.summaries.set(r.id, r);
  }
  emit(changes: RunChange[]): void {
    this.listener?.(changes);
  }
  onDidChange(listener: (changes: RunChange[]) => void) {
    this.listener = listener;
    return { dispose: () => (this.listener = undefined) };
  }
  runs() {
    return [...this.summaries.values()];
  }
  get(runId: string) {
    return this.summaries.get(runId);
  }
  hold() {
    this.leases++;
    let gone = false;
    return {
      ready: Promise.resolve(),
      dispose: () => {
        if (!gone) this.leases--;
        gone = true;
      },
    };
  }
  recentMetrics() {
    return [];
  }
  async readAllMetrics(runId: string, onRow: (row: MetricRow) => void) {
    for (const r of this.metrics.get(runId) ?? []) onRow(r);
  }
  async sampleSteps(runId: string) {
    return [...new Set((this.samples.get(runId) ?? []).map((g) => g.step))];
  }
  async samplesAt(runId: string, step: number) {
    return (this.samples.get(runId) ?? []).filter((g) => g.step === step);
  }
  async refresh() {}
}

/** Finds `non-finite` where a row's loss is not finite, and `stalled` when told the run went quiet. */
export class RecordingDoctor implements RunDoctor {
  steps: number[] = [];
  sampleSteps: number[] = [];
  events = 0;
  liveness: [boolean, number | undefined, number][] = [];
  supersededFrom: number[] = [];

  addMetrics(rows: MetricRow[], supersededFrom?: number) {
    if (supersededFrom !== undefined) this.supersededFrom.push(supersededFrom);
    this.steps.push(...rows.map((r) => r.step));
    this.bad.push(...rows.filter((r) => r.loss !== undefined && !Number.isFinite(r.loss)).map((r) => r.step));
  }
  private readonly bad: number[] = [];
  addSamples(groups: SampleGroup[]) {
    this.sampleSteps.push(...groups.map((g) => g.step));
  }
  addEvents(events: Record<string, unknown>[]) {
    this.events += events.length;
  }
  checkLiveness(running: boolean, lastWriteMs: number | undefined, nowMs: number) {
    this.liveness.push([running, lastWriteMs, nowMs]);
  }
  findings(): Finding[] {
    const out: Finding[] = [];
    if (this.bad.length > 0) out.push(finding('non-finite', 'error', this.bad[0]));
    const last = this.liveness.at(-1);
    if (last && last[0] && last[1] !== undefined && last[2] - last[1] > 60_000)
      out.push(finding('stalled', 'error', this.steps.at(-1) ?? 0));
    return out;
  }
}

export function finding(id: Finding['id'], severity: Finding['severity'], step: number): Finding {
  return {
    id,
    severity,
    steps: [step, step],
    markSteps: [step],
    message: `${id} at step ${step}`,
    why: 'why',
    tryThis: 'try',
    evidence: {},
    metrics: ['loss'],
  };
}
