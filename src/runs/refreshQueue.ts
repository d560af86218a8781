// The one path by which the store refreshes: file events mark work, a debounce
// gathers it, and one locked pass does it. No other timers in the store.

export interface RefreshWork {
  rescan: boolean;
  /** Run directory -> names of its files that changed. */
  files: Map<string, Set<string>>;
  liveness: boolean;
}

export class RefreshQueue {
  private work: RefreshWork = emptyWork();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private livenessTimer: NodeJS.Timeout | undefined;
  private recheckTimer: NodeJS.Timeout | undefined;
  private recheckFiles = new Map<string, Set<string>>();
  private disposed = false;

  constructor(
    private readonly process: (work: RefreshWork) => Promise<void>,
    private readonly debounceMs: number,
    private readonly onError: (err: unknown) => void,
  ) {}

  markFile(runDir: string, file: string): void {
    const files = this.work.files.get(runDir) ?? new Set<string>();
    files.add(file);
    this.work.files.set(runDir, files);
    this.schedule();
  }

  /**
   * Looks at a file again a little later. The watcher drops a change whose mtime
   * equals the last one (timestamps are coarse), so after a file changed we check
   * once more; that check schedules another only if it found something new.
   */
  recheckLater(runDir: string, file: string, afterMs: number): void {
    const files = this.recheckFiles.get(runDir) ?? new Set<string>();
    files.add(file);
    this.recheckFiles.set(runDir, files);
    if (this.recheckTimer || this.disposed) return;
    this.recheckTimer = setTimeout(() => {
      this.recheckTimer = undefined;
      const due = this.recheckFiles;
      this.recheckFiles = new Map();
      for (const [dir, names] of due) for (const name of names) this.markFile(dir, name);
    }, afterMs);
  }

  markRescan(): void {
    this.work.rescan = true;
    this.schedule();
  }

  /** Re-check process liveness every `everyMs` while `wanted()` says so. */
  keepCheckingLiveness(everyMs: number, wanted: () => boolean): void {
    if (this.livenessTimer || this.disposed || !wanted()) return;
    this.livenessTimer = setTimeout(() => {
      this.livenessTimer = undefined;
      this.work.liveness = true;
      this.schedule();
      this.keepCheckingLiveness(everyMs, wanted);
    }, everyMs);
  }

  /** Runs any pending work now and resolves when the queue is idle. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    while (this.running || hasWork(this.work)) {
      if (this.running) await this.running;
      else await this.runOnce();
    }
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.timer);
    clearTimeout(this.livenessTimer);
    clearTimeout(this.recheckTimer);
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.running) return void this.running.then(() => this.schedule());
      void this.runOnce();
    }, this.debounceMs);
  }

  private async runOnce(): Promise<void> {
    const work = this.work;
    this.work = emptyWork();
    this.running = this.process(work).catch(this.onError);
    try {
      await this.running;
    } finally {
      this.running = undefined;
    }
  }
}

function emptyWork(): RefreshWork {
  return { rescan: false, files: new Map(), liveness: false };
}

function hasWork(work: RefreshWork): boolean {
  return work.rescan || work.liveness || work.files.size > 0;
}
