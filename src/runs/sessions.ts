// Sessions: what an open run needs beyond its summary (a window of recent rows,
// followers, sample access). A panel holds its run's session; a command that only
// reads samples gets one that closes by itself when nothing used it for a while.
// An idle run therefore costs only its summary.
import type { SessionLease } from './model';
import type { RunReader, RunSession, SessionChange } from './sources/source';

export type { SessionLease };

interface Entry {
  session: RunSession;
  ready: Promise<void>;
  opened: boolean;
  holds: number;
  closeTimer?: NodeJS.Timeout;
}

export class SessionPool {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly lingerMs = 30_000) {}

  /** Keeps the run's session open until the lease is disposed. */
  hold(runId: string, reader: RunReader): SessionLease {
    const entry = this.entry(runId, reader);
    entry.holds++;
    this.cancelClose(entry);
    let released = false;
    return {
      ready: entry.ready,
      dispose: () => {
        if (released) return;
        released = true;
        entry.holds--;
        if (entry.holds === 0) this.closeLater(runId, entry);
      },
    };
  }

  /** The run's session, opened if needed; it closes itself when unused. */
  async use(runId: string, reader: RunReader): Promise<RunSession> {
    const entry = this.entry(runId, reader);
    if (entry.holds === 0) this.closeLater(runId, entry);
    await entry.ready;
    return entry.session;
  }

  /** The session if one is open and has read its window. */
  get(runId: string): RunSession | undefined {
    const entry = this.entries.get(runId);
    return entry?.opened ? entry.session : undefined;
  }

  isOpen(runId: string): boolean {
    return this.entries.has(runId);
  }

  openCount(): number {
    return this.entries.size;
  }

  async update(runId: string, changed: string[]): Promise<SessionChange | undefined> {
    const entry = this.entries.get(runId);
    if (!entry) return undefined;
    await entry.ready;
    return entry.session.update(changed);
  }

  close(runId: string): void {
    const entry = this.entries.get(runId);
    if (!entry) return;
    this.cancelClose(entry);
    this.entries.delete(runId);
    entry.session.dispose();
  }

  dispose(): void {
    for (const runId of [...this.entries.keys()]) this.close(runId);
  }

  private entry(runId: string, reader: RunReader): Entry {
    const existing = this.entries.get(runId);
    if (existing) return existing;
    const session = reader.openSession();
    const entry: Entry = { session, ready: Promise.resolve(), opened: false, holds: 0 };
    entry.ready = session.open().then(
      () => void (entry.opened = true),
      () => void (entry.opened = true), // a session that could not read shows what it has
    );
    this.entries.set(runId, entry);
    return entry;
  }

  private closeLater(runId: string, entry: Entry): void {
    this.cancelClose(entry);
    entry.closeTimer = setTimeout(() => {
      if (this.entries.get(runId) === entry && entry.holds === 0) this.close(runId);
    }, this.lingerMs);
    entry.closeTimer.unref?.();
  }

  private cancelClose(entry: Entry): void {
    if (entry.closeTimer) clearTimeout(entry.closeTimer);
    entry.closeTimer = undefined;
  }
}
