// What the table shows, in order: pinned runs first (whatever the filter), then the
// runs the filter keeps, sorted by the chosen column, optionally grouped by a config
// value or a tag prefix (`tag:sweep` groups runs tagged `sweep:<name>`). Pure.
import type { CellValue, RunsTableColumn, RunsTableRow, RunsTableViewState } from '../contract/messages';
import { cellValue } from './columns';
import { matchesQuery, parseQuery, searchText } from './query';

export type TableItem =
  | { kind: 'group'; key: string; label: string; count: number }
  | { kind: 'row'; row: RunsTableRow; pinned: boolean };

const NONE = '(none)';

/** Missing values sort last in either direction; numbers as numbers, text naturally. */
export function compareCells(a: CellValue, b: CellValue, descending: boolean): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  const order =
    typeof a === 'number' && typeof b === 'number'
      ? a - b
      : String(a).localeCompare(String(b), undefined, { numeric: true, sensitivity: 'base' });
  return descending ? -order : order;
}

export function sortRows(rows: readonly RunsTableRow[], sort: RunsTableViewState['sort']): RunsTableRow[] {
  const column = sort?.column ?? 'created';
  const descending = sort?.descending ?? true;
  // Each cell once, not once per comparison: 500 runs re-sort in well under a frame.
  const keyed = rows.map((row) => ({ row, value: cellValue(row, column) }));
  keyed.sort(
    (x, y) =>
      compareCells(x.value, y.value, descending) ||
      compareCells(x.row.created, y.row.created, true) ||
      x.row.id.localeCompare(y.row.id),
  );
  return keyed.map((k) => k.row);
}

const searchCache = new WeakMap<RunsTableRow, string>();

function cachedSearchText(row: RunsTableRow): string {
  let text = searchCache.get(row);
  if (text === undefined) {
    text = searchText(row);
    searchCache.set(row, text);
  }
  return text;
}

export function filterRows(
  rows: readonly RunsTableRow[],
  query: string | undefined,
  columns: readonly RunsTableColumn[],
): RunsTableRow[] {
  if (!query?.trim()) return [...rows];
  const parsed = parseQuery(query, columns);
  return rows.filter((row) => matchesQuery(row, parsed, cachedSearchText(row)));
}

/** The group a run falls in: a column's value, or the value of its `<prefix>:<value>` tag. */
export function groupKey(row: RunsTableRow, groupBy: string): string {
  const tagPrefix = /^tag:(.+)$/.exec(groupBy);
  if (tagPrefix) {
    const prefix = `${tagPrefix[1]}:`;
    const tag = row.tags.find((t) => t.startsWith(prefix));
    return tag ? tag.slice(prefix.length) : NONE;
  }
  const value = cellValue(row, groupBy);
  return value === undefined ? NONE : String(value);
}

/** Tag prefixes the runs use (`sweep` for `sweep:beta-grid`), for the group-by menu. */
export function tagPrefixes(rows: readonly RunsTableRow[]): string[] {
  const found = new Set<string>();
  for (const row of rows)
    for (const tag of row.tags) {
      const match = /^([^:=\s]+):./.exec(tag);
      if (match) found.add(match[1]);
    }
  return [...found].sort();
}

export function arrangeRows(
  rows: readonly RunsTableRow[],
  columns: readonly RunsTableColumn[],
  view: RunsTableViewState,
): TableItem[] {
  const pinnedIds = new Set(view.pinned ?? []);
  const sorted = sortRows(rows, view.sort);
  const pinned = sorted.filter((r) => pinnedIds.has(r.id));
  const rest = filterRows(
    sorted.filter((r) => !pinnedIds.has(r.id)),
    view.query,
    columns,
  );
  const items: TableItem[] = [];
  if (pinned.length > 0) {
    items.push({ kind: 'group', key: 'pinned', label: 'Pinned', count: pinned.length });
    items.push(...pinned.map((row) => ({ kind: 'row' as const, row, pinned: true })));
  }
  if (!view.groupBy) {
    if (pinned.length > 0 && rest.length > 0)
      items.push({ kind: 'group', key: 'all', label: 'Runs', count: rest.length });
    items.push(...rest.map((row) => ({ kind: 'row' as const, row, pinned: false })));
    return items;
  }
  const groups = new Map<string, RunsTableRow[]>();
  for (const row of rest) {
    const key = groupKey(row, view.groupBy);
    const members = groups.get(key);
    if (members) members.push(row);
    else groups.set(key, [row]);
  }
  const keys = [...groups.keys()].sort((a, b) =>
    a === NONE ? 1 : b === NONE ? -1 : compareCells(numberOr(a), numberOr(b), false),
  );
  for (const key of keys) {
    const members = groups.get(key)!;
    items.push({ kind: 'group', key: `group:${key}`, label: key, count: members.length });
    items.push(...members.map((row) => ({ kind: 'row' as const, row, pinned: false })));
  }
  return items;
}

function numberOr(text: string): CellValue {
  const n = Number(text);
  return text.trim() !== '' && Number.isFinite(n) ? n : text;
}
