// One table cell as DOM: numbers, times, durations, tags and states, every text from a
// run through textContent with hidden characters made visible.
import type { RunsTableColumn, RunsTableRow } from '../../src/contract/messages';
import { cellValue } from '../../src/runsTable/columns';
import { h, icon } from '../common/dom';
import { formatDuration, formatNumber, visibleText } from '../common/text';

const STATE_ICONS: Record<string, string> = {
  running: 'sync',
  starting: 'loading',
  checkpointing: 'save',
  stopping: 'loading',
  paused: 'debug-pause',
  finished: 'pass',
  failed: 'error',
  stopped: 'debug-stop',
  stale: 'warning',
  idle: 'circle-outline',
  unknown: 'question',
};

export function formatTime(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The cell's text as shown (also its tooltip, since columns are narrow). */
export function cellText(row: RunsTableRow, column: RunsTableColumn): string {
  const value = cellValue(row, column.id);
  if (value === undefined) return row.statsPending && /:(best|mean)$/.test(column.id) ? '…' : '';
  if (typeof value === 'number') {
    if (column.kind === 'time') return formatTime(value);
    if (column.kind === 'duration') return formatDuration(value);
    if (column.id === 'steps' && row.totalSteps) return `${value}/${row.totalSteps}`;
    return formatNumber(value, 4);
  }
  return visibleText(value);
}

export function renderCell(row: RunsTableRow, column: RunsTableColumn): HTMLElement {
  const cell = h('div', {
    className: `cell ${column.kind}`,
    attrs: { role: 'gridcell', 'data-column': column.id },
  });
  if (column.id === 'state') {
    cell.append(icon(STATE_ICONS[row.state] ?? 'circle-outline'), h('span', { text: row.state }));
    cell.classList.add(`state-${row.state}`);
    return cell;
  }
  if (column.id === 'findings') {
    // The run doctor's findings: their count with the worst one's icon; nothing when none.
    const count = row.findings ?? 0;
    if (count > 0) {
      const severity = row.findingsSeverity ?? 'info';
      cell.append(icon(severity), h('span', { text: String(count) }));
      cell.classList.add(`findings-${severity}`);
      cell.title = `${count} finding${count === 1 ? '' : 's'} of the run doctor (the run's Problems in the Runs view)`;
    }
    return cell;
  }
  if (column.id === 'tags') {
    for (const tag of row.tags) cell.append(h('span', { className: 'tag', text: visibleText(tag) }));
    cell.title = row.tags.map(visibleText).join(', ');
    return cell;
  }
  if (column.id === 'name') {
    if (row.problems.length) {
      const warn = icon('warning');
      warn.classList.add('problem');
      cell.append(warn);
    }
    cell.append(h('span', { className: 'name-text', text: visibleText(row.name) }));
    if (row.note)
      cell.append(
        h('span', { className: 'codicon codicon-note has-note', attrs: { 'aria-label': 'has a note' } }),
      );
    cell.title = [
      visibleText(row.id),
      ...row.problems.map(visibleText),
      row.note ? visibleText(row.note.slice(0, 300)) : '',
    ]
      .filter(Boolean)
      .join('\n');
    return cell;
  }
  const text = cellText(row, column);
  cell.textContent = text;
  if (text) cell.title = column.id === 'note' ? visibleText(row.note.slice(0, 500)) : text;
  return cell;
}
