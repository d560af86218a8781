// A RunDoctor wrapper that remembers what it was fed, so that rows read from disk by the
// first examination and rows a live session reports are never counted twice. No vscode.
import type { MetricRow, SampleGroup } from '../../runs/model';
import type { Finding, RunDoctor } from '../finding';

export class FedDoctor implements RunDoctor {
  /** The last metric step fed (rows at or before it are dropped). */
  lastStep = -Infinity;
  private readonly sampleSteps = new Set<number>();

  constructor(private readonly inner: RunDoctor) {}

  addMetrics(rows: MetricRow[], supersededFrom?: number): void {
    if (supersededFrom !== undefined) this.lastStep = Math.min(this.lastStep, supersededFrom - 1);
    const fresh = rows.filter((r) => r.step > this.lastStep);
    if (fresh.length === 0 && supersededFrom === undefined) return;
    this.inner.addMetrics(fresh, supersededFrom);
    if (fresh.length > 0) this.lastStep = Math.max(this.lastStep, fresh[fresh.length - 1].step);
  }

  addSamples(groups: SampleGroup[]): void {
    const fresh = groups.filter((g) => !this.sampleSteps.has(g.step));
    if (fresh.length === 0) return;
    this.inner.addSamples(fresh);
    for (const g of fresh) this.sampleSteps.add(g.step);
    // only recent steps matter for de-duplication: keep the set small on long runs
    if (this.sampleSteps.size > 64) this.sampleSteps.delete(Math.min(...this.sampleSteps));
  }

  addEvents(events: Record<string, unknown>[]): void {
    if (events.length > 0) this.inner.addEvents(events);
  }

  checkLiveness(running: boolean, lastWriteMs: number | undefined, nowMs: number): void {
    this.inner.checkLiveness(running, lastWriteMs, nowMs);
  }

  findings(): Finding[] {
    return this.inner.findings();
  }
}
