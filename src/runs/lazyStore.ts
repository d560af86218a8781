// The run store, started after activation so that activating stays cheap.
import type { RunDirectoryStore, StoreOptions } from './store';

export class LazyRunStore {
  private store: RunDirectoryStore | undefined;
  private starting: Promise<RunDirectoryStore> | undefined;

  constructor(private readonly options: StoreOptions) {}

  /** The store if it has finished its first scan. */
  get(): RunDirectoryStore | undefined {
    return this.store;
  }

  /** Starts the store on first call; resolves once runs have been found. */
  whenReady(): Promise<RunDirectoryStore> {
    this.starting ??= this.start();
    return this.starting;
  }

  dispose(): void {
    this.store?.dispose();
    void this.starting?.then((s) => s.dispose());
  }

  private async start(): Promise<RunDirectoryStore> {
    const { RunDirectoryStore } = await import('./store');
    const store = new RunDirectoryStore(this.options);
    await store.start();
    this.store = store;
    return store;
  }
}
