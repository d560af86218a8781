// A list that keeps only the rows in view (plus a margin) in the DOM. Rows have
// different heights: each is measured once rendered and the offsets are recomputed.
export interface VirtualListOptions<T> {
  key: (item: T) => string;
  render: (item: T, index: number) => HTMLElement;
  estimate: (item: T) => number;
  overscanPx?: number;
}

export class VirtualList<T> {
  private items: T[] = [];
  private readonly heights = new Map<string, number>();
  private offsets: number[] = [0];
  private readonly spacer: HTMLElement;
  private readonly rendered = new Map<number, HTMLElement>();
  private frame = 0;

  constructor(
    readonly scroller: HTMLElement,
    private readonly options: VirtualListOptions<T>,
  ) {
    this.spacer = document.createElement('div');
    this.spacer.className = 'vlist-spacer';
    this.spacer.style.position = 'relative';
    scroller.appendChild(this.spacer);
    scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver(() => this.schedule()).observe(scroller);
  }

  setItems(items: T[]): void {
    this.items = items;
    this.rerenderAll();
  }

  /** Re-renders every row (their content changed, e.g. expanded). */
  rerenderAll(): void {
    for (const el of this.rendered.values()) el.remove();
    this.rendered.clear();
    this.layout();
    this.update();
  }

  invalidate(key: string): void {
    this.heights.delete(key);
    this.rerenderAll();
  }

  get length(): number {
    return this.items.length;
  }

  /** Number of row elements currently in the DOM (tests check virtualisation). */
  get renderedCount(): number {
    return this.rendered.size;
  }

  scrollToIndex(index: number): void {
    const top = this.offsets[index] ?? 0;
    const bottom = this.offsets[index + 1] ?? top;
    const view = this.scroller;
    if (top < view.scrollTop) view.scrollTop = top;
    else if (bottom > view.scrollTop + view.clientHeight) view.scrollTop = bottom - view.clientHeight;
    this.update();
  }

  elementAt(index: number): HTMLElement | undefined {
    return this.rendered.get(index);
  }

  private heightOf(i: number): number {
    const item = this.items[i];
    return this.heights.get(this.options.key(item)) ?? this.options.estimate(item);
  }

  private layout(): void {
    const offsets = new Array<number>(this.items.length + 1);
    offsets[0] = 0;
    for (let i = 0; i < this.items.length; i++) offsets[i + 1] = offsets[i] + this.heightOf(i);
    this.offsets = offsets;
    this.spacer.style.height = `${offsets[this.items.length]}px`;
  }

  private schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.update();
    });
  }

  private firstVisible(top: number): number {
    let lo = 0;
    let hi = this.items.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.offsets[mid] <= top) lo = mid;
      else hi = mid - 1;
    }
    return Math.max(0, lo);
  }

  /**
   * Renders the rows in view, measures them, and re-lays out if a height changed. Rows
   * shorter than estimated leave the viewport's bottom uncovered, so after re-measuring,
   * which rows are in view is worked out again (a few rounds: each measures more rows).
   */
  update(): void {
    for (let round = 0; round < 8 && this.renderVisible(); round++);
    for (const [i, el] of this.rendered) el.style.top = `${this.offsets[i]}px`;
  }

  /** One round of update(); true when a measured height changed the layout. */
  private renderVisible(): boolean {
    const margin = this.options.overscanPx ?? 400;
    const top = Math.max(0, this.scroller.scrollTop - margin);
    const bottom = this.scroller.scrollTop + (this.scroller.clientHeight || 800) + margin;
    const first = this.firstVisible(top);
    const wanted = new Set<number>();
    for (let i = first; i < this.items.length && this.offsets[i] < bottom; i++) wanted.add(i);
    for (const [i, el] of this.rendered) {
      if (!wanted.has(i)) {
        el.remove();
        this.rendered.delete(i);
      }
    }
    let changed = false;
    for (const i of wanted) {
      let el = this.rendered.get(i);
      if (!el) {
        el = this.options.render(this.items[i], i);
        el.style.position = 'absolute';
        el.style.left = '0';
        el.style.right = '0';
        this.spacer.appendChild(el);
        this.rendered.set(i, el);
      }
      const key = this.options.key(this.items[i]);
      const h = el.offsetHeight;
      if (h > 0 && this.heights.get(key) !== h) {
        this.heights.set(key, h);
        changed = true;
      }
    }
    if (changed) this.layout();
    return changed;
  }
}
