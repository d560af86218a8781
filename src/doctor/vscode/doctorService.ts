// The run doctor over every run of the store: one RunDoctor per run, its history examined
// once when the run appears (one run at a time, a bounded read), examined again when a
// resume supersedes steps, fed live while the run trains, and asked about liveness on a
// timer. Findings go to the FindingsHub. No vscode: the extension wires it (register.ts).
//
// Following a live run: the index's changes carry only summaries and events; metric rows
// and sample steps come from a run's session. The service holds a session lease while a
// run is running (the dashboard of a live run usually holds one anyway), so each new step
// costs one doctor update and no disk read; the lease is let go as soon as the run stops,
// so an idle or finished run costs its findings only (docs/benchmarks.md, index memory).
import type { Disposable, MetricRow, RunChange, RunStore, RunSummary, SessionLease } from '../../runs/model';
import type { Finding, RunDoctor } from '../finding';
import { ExamineQueue } from './examineQueue';
import { FedDoctor } from './fedDoctor';
import type { FindingsHub } from './findingsHub';

export interface DoctorServiceOptions {
  store: RunStore;
  hub: FindingsHub;
  /** A fresh doctor with the current thresholds. */
  createDoctor: () => RunDoctor;
  /** A doctor fed a bounded read of the run's history (the core's examinedDoctor). */
  examine: (runId: string) => Promise<Examined>;
  /** How often running runs are asked whether they stalled. */
  livenessMs?: number;
  /** At most this many of the newest sample steps are read per live change. */
  liveSampleSteps?: number;
  now?: () => number;
  log?: (message: string) => void;
}

export interface Examined {
  doctor: RunDoctor;
  /** The last metric step the examination fed: live rows up to it are not fed again. */
  lastStep: number;
}

interface Entry {
  doctor: FedDoctor;
  lease?: SessionLease;
  /** Live rows and events held back while the history is being examined. */
  held?: { rows: MetricRow[]; events: Record<string, unknown>[] };
  signature: string;
}

/** States in which a run is writing: followed live, asked about liveness. */
export function isTraining(run: RunSummary | undefined): boolean {
  return run !== undefined && ['starting', 'running', 'checkpointing'].includes(run.state);
}

export class DoctorService implements Disposable {
  private readonly entries = new Map<string, Entry>();
  private readonly queue: ExamineQueue;
  private subscription: Disposable | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: DoctorServiceOptions) {
    this.queue = new ExamineQueue(
      (runId) => this.examine(runId),
      (runId, err) => options.log?.(`doctor: examining ${runId} failed: ${String(err)}`),
    );
  }

  start(): void {
    this.subscription = this.options.store.onDidChange((changes) => this.noteChanges(changes));
    for (const run of this.options.store.runs()) this.track(run.id);
    this.timer = setInterval(() => this.checkLiveness(), this.options.livenessMs ?? 10_000);
    this.timer.unref?.();
  }

  findings(runId: string): Finding[] {
    return this.options.hub.get(runId);
  }

  /** Every run examined and nothing queued (tests). */
  whenIdle(): Promise<void> {
    return this.queue.idle();
  }

  /** Examine every run again (thresholds changed). */
  reexamineAll(): void {
    for (const runId of this.entries.keys()) this.queue.add(runId);
  }

  /** Sessions held for live runs (tests: memory stays bounded). */
  heldSessions(): number {
    return [...this.entries.values()].filter((e) => e.lease).length;
  }

  noteChanges(changes: RunChange[]): void {
    for (const change of changes) {
      if (change.removed) this.forget(change.runId);
      else if (!this.entries.has(change.runId)) this.track(change.runId);
      else this.feed(change);
    }
  }

  checkLiveness(): void {
    const now = (this.options.now ?? Date.now)();
    for (const [runId, entry] of this.entries) {
      const run = this.options.store.get(runId);
      if (!run) continue;
      entry.doctor.checkLiveness(run.state === 'running', run.updatedAt, now);
      this.publishIfChanged(runId, entry);
    }
  }

  private track(runId: string): void {
    const entry: Entry = { doctor: new FedDoctor(this.options.createDoctor()), signature: '' };
    this.entries.set(runId, entry);
    this.followIfTraining(runId, entry);
    this.queue.add(runId);
  }

  private forget(runId: string): void {
    const entry = this.entries.get(runId);
    if (!entry) return;
    entry.lease?.dispose();
    this.entries.delete(runId);
    this.queue.drop(runId);
    this.options.hub.publish(new Map([[runId, undefined]]));
  }

  /** A fresh doctor reads the history; live changes meanwhile are held and fed after. */
  private async examine(runId: string): Promise<void> {
    const entry = this.entries.get(runId);
    if (!entry) return;
    entry.held = { rows: [], events: [] };
    let examined: Examined;
    try {
      examined = await this.options.examine(runId);
    } catch (err) {
      entry.held = undefined; // live rows keep going to the doctor the run had
      throw err;
    }
    const held = entry.held;
    entry.held = undefined;
    const doctor = new FedDoctor(examined.doctor);
    doctor.lastStep = examined.lastStep;
    entry.doctor = doctor;
    doctor.addMetrics(held.rows);
    doctor.addEvents(held.events);
    const run = this.options.store.get(runId);
    if (run) doctor.checkLiveness(run.state === 'running', run.updatedAt, (this.options.now ?? Date.now)());
    this.publishIfChanged(runId, entry);
  }

  private feed(change: RunChange): void {
    const entry = this.entries.get(change.runId) as Entry;
    if (change.summary) this.followIfTraining(change.runId, entry);
    if (change.supersededFrom !== undefined) {
      // a resume replaced steps: the rolling windows cannot unlearn them, so read again
      this.queue.add(change.runId);
      return;
    }
    if (entry.held) {
      entry.held.rows.push(...(change.newMetrics ?? []));
      entry.held.events.push(...(change.newEvents ?? []));
      return;
    }
    entry.doctor.addMetrics(change.newMetrics ?? []);
    entry.doctor.addEvents(change.newEvents ?? []);
    if (change.newSampleSteps?.length) void this.feedSamples(change.runId, entry, change.newSampleSteps);
    this.publishIfChanged(change.runId, entry);
  }

  private async feedSamples(runId: string, entry: Entry, steps: number[]): Promise<void> {
    const latest = [...steps].sort((a, b) => a - b).slice(-(this.options.liveSampleSteps ?? 2));
    try {
      for (const step of latest) entry.doctor.addSamples(await this.options.store.samplesAt(runId, step));
    } catch (err) {
      this.options.log?.(`doctor: reading samples of ${runId} failed: ${String(err)}`);
    }
    if (this.entries.get(runId) === entry) this.publishIfChanged(runId, entry);
  }

  /** Holds the run's session while it trains (live rows), lets it go when it stops. */
  private followIfTraining(runId: string, entry: Entry): void {
    const training = isTraining(this.options.store.get(runId));
    if (training && !entry.lease) entry.lease = this.options.store.hold(runId);
    if (!training && entry.lease) {
      entry.lease.dispose();
      entry.lease = undefined;
    }
  }

  private publishIfChanged(runId: string, entry: Entry): void {
    const findings = entry.doctor.findings();
    const signature = JSON.stringify(findings.map((f) => [f.id, f.severity, f.steps, f.message]));
    if (signature === entry.signature) return;
    entry.signature = signature;
    this.options.hub.publish(new Map([[runId, findings]]));
  }

  dispose(): void {
    clearInterval(this.timer);
    this.subscription?.dispose();
    this.queue.dispose();
    for (const entry of this.entries.values()) entry.lease?.dispose();
    const ids = [...this.entries.keys()];
    this.entries.clear();
    this.options.hub.publish(new Map(ids.map((id) => [id, undefined])));
  }
}
