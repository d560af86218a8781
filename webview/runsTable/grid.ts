// The table itself: a sticky header (click to sort, drag to reorder) and rows of one
// height, of which only those in view (and a margin) are in the DOM, so that 500 runs
// open and re-sort in a few milliseconds. Clicks are handled once, on the table.
import type { RunsTableColumn, RunsTableRow } from '../../src/contract/messages';
import type { TableItem } from '../../src/runsTable/view';
import { h, icon } from '../common/dom';
import { visibleText } from '../common/text';
import { renderCell } from './cells';

export const ROW_HEIGHT = 26;
const OVERSCAN = 12;

export type RowAction =
  'dashboard' | 'samples' | 'log' | 'config' | 'tags' | 'note' | 'delete' | 'pin' | 'select';

export interface GridEvents {
  sort(columnId: string): void;
  move(columnId: string, beforeId: string): void;
  action(runId: string, action: RowAction, checked?: boolean): void;
  selectAll(checked: boolean): void;
  isSelected(runId: string): boolean;
}

const ACTIONS: [RowAction, string, string, (r: RunsTableRow) => boolean][] = [
  ['dashboard', 'graph-line', 'Open dashboard', () => true],
  ['samples', 'list-tree', 'Show samples', () => true],
  ['log', 'output', 'Show log', (r) => r.hasLog],
  ['config', 'json', 'Open config', () => true],
  ['tags', 'tag', 'Edit tags', () => true],
  ['note', 'note', 'Edit note', () => true],
  ['delete', 'trash', 'Delete run', (r) => r.deletable],
];

function width(column: RunsTableColumn): string {
  if (column.id === 'name') return 'minmax(150px, 1.2fr)';
  if (column.id === 'tags' || column.id === 'note') return 'minmax(150px, 1.5fr)';
  if (column.group === 'metric') return '104px';
  if (column.kind === 'time') return '128px';
  if (column.group === 'config' && column.kind === 'text') return 'minmax(90px, 1fr)';
  return '92px';
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
    new ResizeObserver(() => this.schedule()).observe(this.scroller);
    this.body.addEventListener('click', (e) => this.onClick(e));
    this.body.addEventListener('dblclick', (e) => {
      const id = this.rowIdOf(e.target);
      if (id && !(e.target as Element).closest('button,input')) events.action(id, 'dashboard');
    });
    this.selectAllBox.addEventListener('change', () => events.selectAll(this.selectAllBox.checked));
  }

  setColumns(columns: RunsTableColumn[], sort: { column: string; descending: boolean } | undefined): void {
    this.columns = columns;
    const template = ['28px', '24px', ...columns.map(width), '170px'].join(' ');
    this.scroller.style.setProperty('--columns', template);
    this.header.replaceChildren(
      h('div', { className: 'cell select' }, [this.selectAllBox]),
      h('div', { className: 'cell pin' }),
      ...columns.map((c) => this.headerCell(c, sort)),
      h('div', { className: 'cell actions', text: '' }),
    );
    this.renderAll();
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
    this.body.style.height = `${this.items.length * ROW_HEIGHT}px`;
    const top = Math.max(0, this.scroller.scrollTop - ROW_HEIGHT);
    const first = this.virtualized ? Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN) : 0;
    const shown = Math.ceil((this.scroller.clientHeight || 800) / ROW_HEIGHT) + 2 * OVERSCAN;
    const last = this.virtualized ? Math.min(this.items.length, first + shown) : this.items.length;
    const rows: HTMLElement[] = [];
    for (let i = first; i < last; i++) rows.push(this.renderItem(this.items[i], i));
    this.body.replaceChildren(...rows);
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
        : this.renderRow(item.row, item.pinned);
    el.style.top = `${index * ROW_HEIGHT}px`;
    return el;
  }

  private renderRow(row: RunsTableRow, pinned: boolean): HTMLElement {
    const box = h('input', {
      className: 'select-box',
      attrs: { type: 'checkbox', 'data-action': 'select', 'aria-label': `Select ${visibleText(row.name)}` },
    });
    const pin = h(
      'button',
      {
        className: `icon-button${pinned ? ' on' : ''}`,
        title: pinned ? 'Unpin' : 'Pin to the top',
        attrs: { 'data-action': 'pin', 'aria-label': pinned ? 'Unpin' : 'Pin' },
      },
      [icon(pinned ? 'pinned' : 'pin')],
    );
    const actions = h(
      'div',
      { className: 'cell actions' },
      ACTIONS.filter(([, , , fits]) => fits(row)).map(([action, codicon, label]) =>
        h(
          'button',
          { className: 'icon-button', title: label, attrs: { 'data-action': action, 'aria-label': label } },
          [icon(codicon)],
        ),
      ),
    );
    return h(
      'div',
      { className: `row run${pinned ? ' pinned' : ''}`, attrs: { role: 'row', 'data-id': row.id } },
      [
        h('div', { className: 'cell select' }, [box]),
        h('div', { className: 'cell pin' }, [pin]),
        ...this.columns.map((c) => renderCell(row, c)),
        actions,
      ],
    );
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
