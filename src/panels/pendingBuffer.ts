// What a panel holds back while its webview is not ready or hidden (VS Code drops
// postMessage to a hidden webview). Only the latest notification of each type is kept;
// live points are merged so none is lost, up to a bound past which a fresh series is
// cheaper than the points. Pure.
import type { LivePoint, Notification } from '../contract/messages';

export const MAX_BUFFERED_POINTS = 2000;

type Append = Extract<Notification, { type: 'append' }>;

export class PendingBuffer {
  private readonly latest = new Map<string, Notification>();
  /** Set when appended points overflowed: the owner should resend a series instead. */
  overflowed = false;

  put(n: Notification): void {
    if (n.type === 'series') {
      this.latest.delete('append');
      this.overflowed = false;
    }
    if (n.type === 'append') {
      this.putAppend(n);
      return;
    }
    const held = this.latest.get('sampleSteps');
    if (n.type === 'sampleSteps' && n.append && held?.type === 'sampleSteps') {
      this.latest.set('sampleSteps', { ...held, steps: [...held.steps, ...n.steps] });
      return;
    }
    this.latest.delete(n.type);
    this.latest.set(n.type, n);
  }

  private putAppend(n: Append): void {
    const prev = this.latest.get('append') as Append | undefined;
    let points: LivePoint[] = prev ? prev.points : [];
    let supersededFrom = prev?.supersededFrom;
    if (n.supersededFrom !== undefined) {
      points = points.filter((p) => p.step < (n.supersededFrom as number));
      supersededFrom = Math.min(supersededFrom ?? Infinity, n.supersededFrom);
    }
    points = points.concat(n.points);
    if (points.length > MAX_BUFFERED_POINTS) {
      this.overflowed = true;
      this.latest.delete('append');
      return;
    }
    this.latest.delete('append');
    this.latest.set('append', { ...n, points, supersededFrom });
  }

  get size(): number {
    return this.latest.size;
  }

  /** Everything held, oldest first, and empties the buffer. */
  take(): Notification[] {
    const out = [...this.latest.values()];
    this.latest.clear();
    return out;
  }

  clear(): void {
    this.latest.clear();
    this.overflowed = false;
  }
}
