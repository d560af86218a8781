// The runs table: one row per run, sorted, filtered, grouped and pinned here (the host
// sends rows, then only the rows that changed), so that live updates keep the user's
// sort, filter, selection and scroll. What the user chose is remembered per workspace
// (sent to the host) and across the webview's reloads (its state).
import type {
  Notification,
  RunsTableColumn,
  RunsTableRow,
  RunsTableViewState,
} from '../../src/contract/messages';
import { shownColumns } from '../../src/runsTable/columns';
import { arrangeRows, tagPrefixes, type TableItem } from '../../src/runsTable/view';
import { HostConnection } from '../common/host';
import { Grid, type RowAction } from './grid';
import { Toolbar } from './toolbar';
import './runsTable.css';

interface WebviewState extends RunsTableViewState {
  selected?: string[];
  scrollTop?: number;
}

const host = new HostConnection<WebviewState>('runsTable');
const rows = new Map<string, RunsTableRow>();
let available: RunsTableColumn[] = [];
let view: RunsTableViewState = {};
let selected = new Set<string>(host.state?.selected ?? []);
let items: TableItem[] = [];
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let headerKey = '';

const app = document.getElementById('app') as HTMLElement;
const toolbar = new Toolbar(app, {
  query: (text) => change({ query: text }),
  groupBy: (value) => change({ groupBy: value || undefined }),
  meanOf: (n) => change({ meanOf: n }),
  showColumns: (ids) => change({ columns: ids }),
  addColumn: () => host.command({ command: 'tableAddColumn' }),
  compare: () => host.command({ command: 'tableCompare', runIds: selectedIds() }),
  deleteSelected: () =>
    host.command({ command: 'tableDelete', runIds: selectedIds().filter((id) => rows.get(id)?.deletable) }),
  clearSelection: () => setSelection(new Set()),
});
const empty = document.createElement('div');
empty.className = 'empty';
empty.textContent = 'Loading runs…';
app.appendChild(empty);
const grid = new Grid(app, {
  sort: (column) =>
    change({
      sort: { column, descending: view.sort?.column === column ? !view.sort.descending : column !== 'name' },
    }),
  move: (id, before) => {
    const ids = shown()
      .map((c) => c.id)
      .filter((c) => c !== id);
    ids.splice(ids.indexOf(before), 0, id);
    change({ columns: ids });
  },
  action: (runId, action, checked) => onRowAction(runId, action, checked),
  selectAll: (checked) =>
    setSelection(checked ? new Set(items.flatMap((i) => (i.kind === 'row' ? [i.row.id] : []))) : new Set()),
  isSelected: (id) => selected.has(id),
});
grid.scroller.addEventListener('scroll', () => host.saveState({ scrollTop: grid.scroller.scrollTop }));

function selectedIds(): string[] {
  return [...selected].filter((id) => rows.has(id));
}

function shown(): RunsTableColumn[] {
  return shownColumns([...rows.values()], available, view);
}

/** A choice of the user: redraw, remember in the webview's state, tell the host (debounced). */
function change(patch: RunsTableViewState): void {
  view = { ...view, ...patch };
  host.saveState(patch);
  // A sort, filter, pin or N changes neither the column chooser nor the group-by menu: a
  // re-sort then costs the rows alone, not two menus rebuilt.
  redraw('columns' in patch || 'groupBy' in patch);
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => host.command({ command: 'tableSaveView', view }), 300);
}

function setSelection(next: Set<string>): void {
  selected = next;
  host.saveState({ selected: [...selected] });
  grid.refreshSelection();
  updateSelectionButtons();
}

function updateSelectionButtons(): void {
  const ids = selectedIds();
  toolbar.setSelectionCount(ids.length, ids.filter((id) => rows.get(id)?.deletable).length);
}

function onRowAction(runId: string, action: RowAction, checked?: boolean): void {
  if (action === 'select') {
    const next = new Set(selected);
    if (checked) next.add(runId);
    else next.delete(runId);
    setSelection(next);
  } else if (action === 'pin') {
    const pinned = new Set(view.pinned ?? []);
    if (pinned.has(runId)) pinned.delete(runId);
    else pinned.add(runId);
    change({ pinned: [...pinned] });
  } else if (action === 'tags') host.command({ command: 'tableEditTags', runId });
  else if (action === 'note') host.command({ command: 'tableEditNote', runId });
  else if (action === 'delete') host.command({ command: 'tableDelete', runIds: [runId] });
  else host.command({ command: 'tableOpen', runId, what: action });
}

function groupOptions(all: RunsTableRow[]): { value: string; label: string }[] {
  const columns = available.filter((c) => c.group === 'config' || c.id === 'source' || c.id === 'state');
  return [
    ...tagPrefixes(all).map((p) => ({ value: `tag:${p}`, label: `tag ${p}:…` })),
    ...columns.map((c) => ({ value: c.id, label: c.label })),
  ];
}

/** Arranges and draws the rows; the columns and menus too when `all`. Scroll stays where it is. */
function redraw(all: boolean): void {
  const list = [...rows.values()];
  const columns = shown();
  items = arrangeRows(list, available, view);
  // The default columns follow the runs (a config key that starts to differ appears).
  const key = JSON.stringify(columns.map((c) => c.id));
  const newColumns = key !== headerKey;
  if (newColumns) {
    headerKey = key;
    grid.setColumns(columns, view.sort);
  }
  if (all || newColumns) {
    toolbar.setColumns(
      available,
      columns.map((c) => c.id),
    );
    toolbar.setGroupOptions(groupOptions(list), view.groupBy ?? '');
  }
  grid.setSort(view.sort);
  grid.setItems(items);
  const count = items.filter((i) => i.kind === 'row').length;
  const summary = `${count} of ${rows.size} runs`;
  if (toolbar.summary.textContent !== summary) toolbar.summary.textContent = summary;
  empty.hidden = rows.size > 0;
  if (rows.size === 0)
    empty.textContent = 'No runs yet: start one, or open a folder of runs with GRPO: Open Run Folder….';
  updateSelectionButtons();
}

function onNotification(n: Notification): void {
  if (n.type === 'tableInit') {
    performance.mark('runsTable:init');
    rows.clear();
    for (const r of n.rows) rows.set(r.id, r);
    available = n.columns;
    // The host's copy wins: it saved every choice (300 ms after it was made) and adds its own
    // (columns added from its quick pick). Selection and scroll are the webview's alone.
    const scrollTop = host.state?.scrollTop;
    view = { ...n.view };
    host.saveState(view);
    toolbar.searchBox.value = view.query ?? '';
    toolbar.meanBox.value = String(view.meanOf ?? 10);
    redraw(true);
    if (scrollTop) grid.scroller.scrollTop = scrollTop;
    performance.mark('runsTable:drawn');
  } else if (n.type === 'tableUpdate') {
    for (const r of n.rows) rows.set(r.id, r);
    for (const id of n.removed) rows.delete(id);
    if (n.columns) available = n.columns;
    redraw(n.columns !== undefined || n.removed.length > 0);
  }
}

// Marks for the benchmark: the script has run, the rows arrived, the rows are drawn.
performance.mark('runsTable:ready');
host.ready(onNotification);

/** For the browser tests and the benchmark: what is shown, in order, and the baseline switch. */
(window as unknown as Record<string, unknown>).__runsTable = {
  order: () => items.map((i) => (i.kind === 'row' ? i.row.id : `[${i.label}]`)),
  rendered: () => grid.renderedRows,
  selected: () => selectedIds(),
  view: () => view,
  setVirtualized: (on: boolean) => {
    grid.virtualized = on;
    grid.renderAll();
  },
};
