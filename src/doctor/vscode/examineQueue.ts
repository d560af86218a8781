// One run examined at a time: a workspace with 100 runs must not open 100 sessions at
// once. A run queued twice is examined once; a run queued while it is being examined is
// examined again after (its history changed under the first pass). No vscode.

export class ExamineQueue {
  private readonly waiting: string[] = [];
  private readonly again = new Set<string>();
  private current: string | undefined;
  private running: Promise<void> | undefined;
  private disposed = false;

  constructor(
    private readonly examine: (runId: string) => Promise<void>,
    private readonly onError: (runId: string, err: unknown) => void,
  ) {}

  add(runId: string): void {
    if (this.disposed) return;
    if (this.current === runId) this.again.add(runId);
    else if (!this.waiting.includes(runId)) this.waiting.push(runId);
    this.running ??= this.drain();
  }

  /** Forgets a run that went away (it stays examined if it is being examined now). */
  drop(runId: string): void {
    const at = this.waiting.indexOf(runId);
    if (at >= 0) this.waiting.splice(at, 1);
    this.again.delete(runId);
  }

  isQueued(runId: string): boolean {
    return this.current === runId || this.waiting.includes(runId);
  }

  /** Resolves when nothing is queued (tests, the host's `whenIdle`). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  dispose(): void {
    this.disposed = true;
    this.waiting.length = 0;
  }

  private async drain(): Promise<void> {
    while (this.waiting.length > 0 && !this.disposed) {
      const runId = this.waiting.shift() as string;
      this.current = runId;
      try {
        await this.examine(runId);
      } catch (err) {
        this.onError(runId, err);
      }
      this.current = undefined;
      if (this.again.delete(runId)) this.waiting.push(runId);
    }
    this.running = undefined;
  }
}
