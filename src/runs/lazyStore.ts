// The run store, started after activation so that activating stays cheap.
import type { RunIndexStore, StoreOptions } from './store';

export class LazyRunStore {
  private store: RunIndexStore | undefined;
  private starting: Promise<RunIndexStore> | undefined;

  constructor(private readonly options: StoreOptions) {}

  /** The store if it has finished its first scan. */
  get(): RunIndexStore | undefined {
    return this.store;
  }

  /** Starts the store on first call; resolves once runs have been found. */
  whenReady(): Promise<RunIndexStore> {
    this.starting ??= this.start();
    return this.starting;
  }

  dispose(): void {
    this.store?.dispose();
    void this.starting?.then((s) => s.dispose());
  }

  private async start(): Promise<RunIndexStore> {
    const { RunIndexStore } = await import('./store');
    const store = new RunIndexStore(this.options);
    await store.start();
    this.store = store;
    return store;
  }
}
