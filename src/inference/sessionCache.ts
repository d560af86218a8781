// A small LRU of loaded models keyed by file path: at most `capacity` live at once, and
// any not used for `idleMs` is released, so an inspected run does not pin memory.

export interface Releasable {
  release(): Promise<void> | void;
}

interface Entry<T> {
  value: Promise<T>;
  lastUsed: number;
}

export class SessionCache<T extends Releasable> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(
    private readonly capacity: number,
    private readonly idleMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  keys(): string[] {
    return [...this.entries.keys()];
  }

  /** The cached value for key, or the one `load` makes (a failed load is not cached). */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit) {
      this.entries.delete(key); // re-insert: Map order is the LRU order
      hit.lastUsed = this.now();
      this.entries.set(key, hit);
      return hit.value;
    }
    const value = load();
    this.entries.set(key, { value, lastUsed: this.now() });
    value.catch(() => this.entries.get(key)?.value === value && this.entries.delete(key));
    this.evictOverCapacity();
    return value;
  }

  /** Releases entries idle for longer than idleMs; returns how many. */
  evictIdle(): number {
    const cutoff = this.now() - this.idleMs;
    const idle = [...this.entries].filter(([, e]) => e.lastUsed < cutoff).map(([k]) => k);
    idle.forEach((key) => this.delete(key));
    return idle.length;
  }

  clear(): void {
    this.keys().forEach((key) => this.delete(key));
  }

  /** Releases everything and waits for it (before a worker thread ends). */
  async releaseAll(): Promise<void> {
    const values = [...this.entries.values()].map((e) => e.value);
    this.entries.clear();
    await Promise.all(values.map((v) => v.then((x) => x.release()).catch(() => undefined)));
  }

  private evictOverCapacity(): void {
    while (this.entries.size > this.capacity) this.delete(this.entries.keys().next().value as string);
  }

  private delete(key: string): void {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    entry?.value.then(
      (v) => v.release(),
      () => undefined,
    );
  }
}
