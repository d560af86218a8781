// Where the panels, the tree and the Problems panel read the run doctor's findings:
// the doctor service publishes each run's list here, listeners hear which runs changed.
// A module-level hub, so that panels (src/panels/) need no handle on the service. No vscode.
import type { FindingView } from '../../contract/messages';
import type { Finding } from '../finding';

type Listener = (runIds: string[]) => void;

export class FindingsHub {
  private readonly byRun = new Map<string, Finding[]>();
  private readonly listeners = new Set<Listener>();

  get(runId: string): Finding[] {
    return this.byRun.get(runId) ?? [];
  }

  runIds(): string[] {
    return [...this.byRun.keys()];
  }

  /** Replaces a run's findings ([] or undefined forgets the run) and tells the listeners. */
  publish(changed: Map<string, Finding[] | undefined>): void {
    if (changed.size === 0) return;
    for (const [runId, findings] of changed) {
      if (findings && findings.length > 0) this.byRun.set(runId, findings);
      else this.byRun.delete(runId);
    }
    const ids = [...changed.keys()];
    for (const listener of [...this.listeners]) listener(ids);
  }

  onDidChange(listener: Listener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  clear(): void {
    this.publish(new Map(this.runIds().map((id) => [id, undefined])));
  }
}

/** The one hub of the extension. */
export const doctorFindings = new FindingsHub();

/** What a panel needs of a finding (the evidence stays on the host). */
export function toFindingView(f: Finding): FindingView {
  return {
    id: f.id,
    severity: f.severity,
    steps: [f.steps[0], f.steps[1]],
    markSteps: f.markSteps.slice(0, 50),
    message: f.message,
    why: f.why,
    tryThis: f.tryThis,
    metrics: f.metrics,
    groups: f.groups?.slice(0, 200),
  };
}

/** The worst severity among findings, if any. */
export function worstSeverity(findings: Finding[]): Finding['severity'] | undefined {
  if (findings.some((f) => f.severity === 'error')) return 'error';
  if (findings.some((f) => f.severity === 'warning')) return 'warning';
  return findings.length > 0 ? 'info' : undefined;
}
