// One run's row as DOM (checkbox, pin, cells, buttons) and the columns' fixed widths.
import type { RunsTableColumn, RunsTableRow } from '../../src/contract/messages';
import { h, icon } from '../common/dom';
import { visibleText } from '../common/text';
import { renderCell } from './cells';

export type RowAction =
  'dashboard' | 'samples' | 'log' | 'config' | 'tags' | 'note' | 'delete' | 'pin' | 'select';

const ACTIONS: [RowAction, string, string, (r: RunsTableRow) => boolean][] = [
  ['dashboard', 'graph-line', 'Open dashboard', () => true],
  ['samples', 'list-tree', 'Show samples', () => true],
  ['log', 'output', 'Show log', (r) => r.hasLog],
  ['config', 'json', 'Open config', () => true],
  ['tags', 'tag', 'Edit tags', () => true],
  ['note', 'note', 'Edit note', () => true],
  ['delete', 'trash', 'Delete run', (r) => r.deletable],
];

/** Fixed widths: every row then lays out alone, the same, and cheaply (no intrinsic sizes). */
export function columnWidth(column: RunsTableColumn): number {
  if (column.id === 'name') return 200;
  if (column.id === 'tags' || column.id === 'note') return 180;
  if (column.kind === 'time') return 140;
  if (column.group === 'metric') return 104;
  if (column.group === 'config' && column.kind === 'text') return 120;
  return 92;
}

export const EDGES = { select: 28, pin: 24, actions: 170 };

export function renderRunRow(row: RunsTableRow, pinned: boolean, columns: RunsTableColumn[]): HTMLElement {
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
      ...columns.map((c) => renderCell(row, c)),
      actions,
    ],
  );
}
