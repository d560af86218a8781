// The table itself: a sticky header (click to sort, drag to reorder) and rows of one
// height, of which only those in view (and a margin) are in the DOM, so that 500 runs
// open and re-sort in tens of milliseconds (bench/runs_table.ts). Clicks are handled once.
import type { RunsTableColumn, RunsTableRow } from '../../src/contract/messages';
import type { TableItem } from '../../src/runsTable/view';
import { h, icon } from '../common/dom';
import { visibleText } from '../common/text';
import { columnWidth, EDGES, renderRunRow, type RowAction } from './rows';

export type { RowAction };

export const ROW_HEIGHT = 26;
/** Rows built past either edge of the view: enough for a frame of scrolling, few enough that a re-sort lays out little. */
const OVERSCAN = 4;

export interface GridEvents {
  sort(columnId: string): void;
  move(columnId: string, beforeId: string): void;
  action(runId: string, action: RowAction, checked?: boolean): void;
  selectAll(checked: boolean): void;
  isSelected(runId: string): boolean;
}

export class Grid {
  readonly scroller: HTMLElement;
  private readonly header = h('div', { className: 'row header', attrs: { role: 'row' } });
  private readonly body = h('div', { className: 'body', attrs: { role: 'rowgroup' } });
  private readonly selectAllBox = h('input', {
    attrs: { type: 'checkbox', 'aria-label': 'Select all shown runs' },
  });
  private columns: RunsTableColumn[] = [];
  private items: TableItem[] = [];
  private frame = 0;
  private dragged: string | undefined;
  /** Rows already built, by row object (a changed run is a new object): a re-sort moves them. */
  private built = new WeakMap<RunsTableRow, { pinned: boolean; el: HTMLElement }>();
  /** The scroller's height, kept by a ResizeObserver so that rendering never forces a layout. */
  private viewHeight = 800;
  /** false renders every row (the benchmark's baseline). */
  virtualized = true;

  constructor(
    parent: HTMLElement,
    private readonly events: GridEvents,
  ) {
    this.scroller = h('div', { className: 'table', attrs: { role: 'grid', tabindex: '0' } }, [
      this.header,
      this.body,
    ]);
    parent.appendChild(this.scroller);
    this.scroller.addEventListener('scroll', () => this.schedule());
    new ResizeObserver((entries) => {
      this.viewHeight = entries[0]?.contentRect.height || this.viewHeight;
      this.schedule();
    }).observe(this.scroller);
    this.body.addEventListener('click', (e) => this.onClick(e));
    this.body.addEventListener('dblclick', (e) => {
      const id = this.rowIdOf(e.target);
      if (id && !(e.target as Element).closest('button,input')) events.action(id, 'dashboard');
    });
    this.selectAllBox.addEventListener('change', () => events.selectAll(this.selectAllBox.checked));
  }

  setColumns(columns: RunsTableColumn[], sort: { column: string; descending: boolean } | undefined): void {
    if (JSON.stringify(columns) !== JSON.stringify(this.columns)) this.built = new WeakMap();
    this.columns = columns;
    const widths = [EDGES.select, EDGES.pin, ...columns.map(columnWidth), EDGES.actions];
    const template = widths.map((w) => `${w}px`).join(' ');
    // Setting a variable restyles every row below: only when the columns changed.
    if (this.scroller.style.getPropertyValue('--columns') !== template) {
      this.scroller.style.setProperty('--columns', template);
      this.scroller.style.setProperty('--table-width', `${widths.reduce((a, b) => a + b, 0)}px`);
    }
    this.header.replaceChildren(
      h('div', { className: 'cell select' }, [this.selectAllBox]),
      h('div', { className: 'cell pin' }),
      ...columns.map((c) => this.headerCell(c, sort)),
      h('div', { className: 'cell actions', text: '' }),
    );
  }

  /** Marks the sorted column in place (rebuilding the header would lay out the table again). */
  setSort(sort: { column: string; descending: boolean } | undefined): void {
    for (const cell of this.header.querySelectorAll<HTMLElement>('.cell.head')) {
      const sorted = sort?.column === cell.dataset.column;
      const state = sorted ? (sort!.descending ? 'descending' : 'ascending') : 'none';
      if (cell.getAttribute('aria-sort') === state) continue;
      cell.setAttribute('aria-sort', state);
      cell.classList.toggle('sorted', sorted);
      cell.querySelector('.codicon')?.remove();
      if (sorted) cell.appendChild(icon(sort!.descending ? 'arrow-down' : 'arrow-up'));
    }
  }

  setItems(items: TableItem[]): void {
    this.items = items;
    this.renderAll();
  }

  /** Row elements in the DOM now (tests check virtualisation). */
  get renderedRows(): number {
    return this.body.childElementCount;
  }

  refreshSelection(): void {
    const rows = this.items.filter((i) => i.kind === 'row');
    this.selectAllBox.checked =
      rows.length > 0 && rows.every((i) => i.kind === 'row' && this.events.isSelected(i.row.id));
    for (const el of this.body.querySelectorAll<HTMLElement>('.row[data-id]')) {
      const selected = this.events.isSelected(el.dataset.id!);
      el.classList.toggle('selected', selected);
      (el.querySelector('input.select-box') as HTMLInputElement).checked = selected;
    }
  }

  private headerCell(
    column: RunsTableColumn,
    sort: { column: string; descending: boolean } | undefined,
  ): HTMLElement {
    const sorted = sort?.column === column.id;
    const cell = h(
      'div',
      {
        className: `cell head ${column.kind}${sorted ? ' sorted' : ''}`,
        title: `${column.id} — click to sort, drag to move`,
        attrs: {
          role: 'columnheader',
          draggable: 'true',
          'data-column': column.id,
          'aria-sort': sorted ? (sort!.descending ? 'descending' : 'ascending') : 'none',
        },
      },
      [
        h('span', { className: 'label', text: visibleText(column.label) }),
        sorted ? icon(sort!.descending ? 'arrow-down' : 'arrow-up') : undefined,
      ],
    );
    cell.addEventListener('click', () => this.events.sort(column.id));
    cell.addEventListener('dragstart', () => (this.dragged = column.id));
    cell.addEventListener('dragover', (e) => e.preventDefault());
    cell.addEventListener('drop', (e) => {
      e.preventDefault();
      if (this.dragged && this.dragged !== column.id) this.events.move(this.dragged, column.id);
      this.dragged = undefined;
    });
    return cell;
  }

  private schedule(): void {
    if (this.frame || !this.virtualized) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.renderAll();
    });
  }

  /** Renders the rows in view (all of them when not virtualized); the scroll position is left alone. */
  renderAll(): void {
    // Read before writing: a read after a write would lay the page out in the middle.
    const top = Math.max(0, this.scroller.scrollTop - ROW_HEIGHT);
    this.body.style.height = `${this.items.length * ROW_HEIGHT}px`;
    const first = this.virtualized ? Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN) : 0;
    const shown = Math.ceil(this.viewHeight / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = this.virtualized ? Math.min(this.items.length, first + shown) : this.items.length;
    const wanted = new Set<HTMLElement>();
    for (let i = first; i < last; i++) wanted.add(this.renderItem(this.items[i], i));
    // Rows that stay are moved, not detached: a re-attached row is styled and laid out again.
    for (const el of [...(this.body.children as HTMLCollectionOf<HTMLElement>)])
      if (!wanted.has(el)) el.remove();
    for (const el of wanted) if (el.parentElement !== this.body) this.body.appendChild(el);
    this.refreshSelection();
  }

  private renderItem(item: TableItem, index: number): HTMLElement {
    const el =
      item.kind === 'group'
        ? h('div', { className: 'row group', attrs: { role: 'row' } }, [
            icon(item.key === 'pinned' ? 'pinned' : 'folder'),
            h('span', { className: 'group-label', text: visibleText(item.label) }),
            h('span', { className: 'count', text: String(item.count) }),
          ])
        : this.rowElement(item.row, item.pinned);
    const top = `${index * ROW_HEIGHT}px`;
    if (el.style.top !== top) el.style.top = top;
    return el;
  }

  private rowElement(row: RunsTableRow, pinned: boolean): HTMLElement {
    const known = this.built.get(row);
    if (this.virtualized && known && known.pinned === pinned) return known.el;
    const el = renderRunRow(row, pinned, this.columns);
    // The baseline (every row, nothing kept) builds every row each time, as a naive table would.
    if (this.virtualized) this.built.set(row, { pinned, el });
    return el;
  }

  private rowIdOf(target: EventTarget | null): string | undefined {
    return (target as Element | null)?.closest<HTMLElement>('.row[data-id]')?.dataset.id;
  }

  private onClick(e: MouseEvent): void {
    const target = e.target as Element;
    const control = target.closest<HTMLElement>('[data-action]');
    const id = this.rowIdOf(target);
    if (!id) return;
    if (control) {
      const action = control.dataset.action as RowAction;
      this.events.action(id, action, action === 'select' ? (control as HTMLInputElement).checked : undefined);
      return;
    }
    // A click anywhere else on a row toggles its selection, as in a list.
    if (!target.closest('button')) this.events.action(id, 'select', !this.events.isSelected(id));
  }
}
