// The notes and tags of the runs shown, read once and kept, for the tree (which draws a
// run synchronously) and the runs table. A run's entry is read again when this process
// writes it (onDidChangeRunNotes), when its note is saved in an editor, or on request.
import type { Disposable } from './model';
import { onDidChangeRunNotes, readRunNotes, type RunNoteTarget, type RunNotes } from './notes';

type Listener = (runIds: string[]) => void;

export class RunNotesIndex implements Disposable {
  private readonly known = new Map<string, RunNotes>();
  private readonly reading = new Map<string, Promise<RunNotes>>();
  private readonly targets = new Map<string, RunNoteTarget>();
  private readonly listeners = new Set<Listener>();
  private readonly subscription: Disposable;

  constructor() {
    this.subscription = onDidChangeRunNotes((runId) => void this.reload(runId));
  }

  /** What is known now (undefined until read: the caller asks `ensure` and hears `onDidChange`). */
  get(runId: string): RunNotes | undefined {
    return this.known.get(runId);
  }

  /** Reads the run's notes unless known; fires onDidChange when they turned out non-empty. */
  ensure(run: RunNoteTarget): Promise<RunNotes> {
    this.targets.set(run.id, { id: run.id, dir: run.dir, source: run.source });
    const known = this.known.get(run.id);
    if (known) return Promise.resolve(known);
    return this.read(run.id, (notes) => notes.tags.length > 0 || notes.note !== '' || !!notes.problem);
  }

  /** Reads every given run's notes (again), a few at a time; resolves when all are known. */
  async ensureAll(runs: readonly RunNoteTarget[], fresh = false): Promise<void> {
    const todo = runs.filter((r) => fresh || !this.known.has(r.id));
    for (const run of todo) this.targets.set(run.id, { id: run.id, dir: run.dir, source: run.source });
    for (let i = 0; i < todo.length; i += 16) {
      await Promise.all(
        todo.slice(i, i + 16).map((r) => this.read(r.id, (n) => changed(this.known.get(r.id), n))),
      );
    }
  }

  /** Reads one run's notes again (its files changed). */
  reload(runId: string): Promise<RunNotes> | undefined {
    if (!this.targets.has(runId)) return undefined;
    // A read under way may have started before the write: read once more after it.
    const pending = this.reading.get(runId) ?? Promise.resolve();
    return pending.then(() => this.read(runId, (n) => changed(this.known.get(runId), n)));
  }

  /** The run whose note file this is, if it is one of the runs known here. */
  runOfNoteFile(file: string, noteFileOf: (run: RunNoteTarget) => string): string | undefined {
    for (const run of this.targets.values()) if (noteFileOf(run) === file) return run.id;
    return undefined;
  }

  onDidChange(listener: Listener): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  dispose(): void {
    this.subscription.dispose();
    this.listeners.clear();
  }

  private read(runId: string, worthTelling: (notes: RunNotes) => boolean): Promise<RunNotes> {
    const pending = this.reading.get(runId);
    if (pending) return pending;
    const target = this.targets.get(runId)!;
    const promise = readRunNotes(target).then((notes) => {
      this.reading.delete(runId);
      const tell = worthTelling(notes);
      this.known.set(runId, notes);
      if (tell) for (const l of [...this.listeners]) l([runId]);
      return notes;
    });
    this.reading.set(runId, promise);
    return promise;
  }
}

function changed(before: RunNotes | undefined, after: RunNotes): boolean {
  if (!before) return after.tags.length > 0 || after.note !== '' || !!after.problem;
  return JSON.stringify(before) !== JSON.stringify(after);
}
