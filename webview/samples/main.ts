// The samples panel: pick a step (slider, latest, follow), see each group's prompt,
// reference and its G completions sorted by reward; filter, search, navigate with the
// keyboard, inspect a completion in an editor.
import type {
  CompletionView,
  GroupView,
  Notification,
  PanelState,
  RunHeader,
} from '../../src/contract/messages';
import { ce, clear, h, icon, slotted } from '../common/dom';
import { HostConnection } from '../common/host';
import { registerToolkit } from '../common/toolkit';
import { VirtualList } from '../common/virtualList';
import {
  componentNames,
  filterRows,
  namedGroupKeys,
  namedSteps,
  NO_FILTER,
  parseBound,
  type Row,
  type SampleFilter,
} from './filter';
import { renderRow, type RowActions } from './rows';
import '../common/cards.css';
import './samples.css';

registerToolkit();
const host = new HostConnection<PanelState>('samples');

let runId = '';
let steps: number[] = [];
let step: number | undefined;
let follow = host.state?.follow ?? true;
let groups: GroupView[] = [];
let rows: Row[] = [];
let filter: SampleFilter = { ...NO_FILTER };
const expanded = new Set<string>();
let selectedKey: string | undefined;

const title = h('span', { className: 'title', text: 'Samples' });
const state = h('span', { className: 'badge state', text: '' });
const stepLabel = h('span', { className: 'step-label', text: 'no samples yet' });
const slider = h('input', {
  className: 'step-slider',
  attrs: { type: 'range', min: '0', max: '0', value: '0', 'aria-label': 'Step' },
});
// With many steps the slider moves hundreds of steps per pixel: a step can be typed here
// (Enter goes to the nearest step with samples); arrows move one step, Page Up/Down a page.
const stepBox = ce('vscode-text-field', {
  className: 'step-box',
  attrs: { size: '7', placeholder: 'step', 'aria-label': 'Go to step (Enter)' },
});
const latest = ce('vscode-button', { text: 'Latest', attrs: { appearance: 'secondary' } }, [
  slotted(icon('debug-step-over'), 'start'),
]);
const followBox = ce('vscode-checkbox', { text: 'Follow live' });
const search = ce(
  'vscode-text-field',
  { className: 'search', attrs: { placeholder: 'Search prompts and completions' } },
  [h('span', { attrs: { slot: 'start' } }, [icon('search')])],
);
const zeroStd = ce('vscode-checkbox', { text: 'Zero-std groups' });
const truncated = ce('vscode-checkbox', { text: 'Truncated' });
// The run doctor's sample-based findings name groups to look at (mode collapse, zero std…).
const namedBox = ce('vscode-checkbox', { className: 'named', text: 'Named by a finding' });
namedBox.hidden = true;
let named: Set<string> = new Set();
const component = ce('vscode-dropdown', {
  className: 'component',
  attrs: { 'aria-label': 'Reward range applies to' },
});
const minBox = ce('vscode-text-field', {
  className: 'bound',
  attrs: { placeholder: 'min', size: '6', 'aria-label': 'Minimum reward' },
});
const maxBox = ce('vscode-text-field', {
  className: 'bound',
  attrs: { placeholder: 'max', size: '6', 'aria-label': 'Maximum reward' },
});
const summary = h('span', { className: 'summary', text: '' });
const scroller = h('div', {
  className: 'list',
  attrs: { tabindex: '0', role: 'listbox', 'aria-label': 'Completions' },
});
const empty = h('div', { className: 'empty', text: 'Waiting for samples…' });

const app = document.getElementById('app') as HTMLElement;
app.append(
  h('header', { className: 'bar' }, [
    icon('list-tree'),
    title,
    state,
    h('span', { className: 'grow' }),
    stepLabel,
    slider,
    stepBox,
    latest,
    followBox,
  ]),
  h('div', { className: 'bar filters' }, [
    search,
    zeroStd,
    truncated,
    namedBox,
    h('span', { className: 'label', text: 'Reward' }),
    component,
    minBox,
    h('span', { text: '–' }),
    maxBox,
    summary,
  ]),
  empty,
  scroller,
);
if (follow) followBox.setAttribute('checked', '');

const actions: RowActions = {
  expanded,
  maxAbsAdvantage: 1,
  toggle(key) {
    if (expanded.has(key)) expanded.delete(key);
    else expanded.add(key);
    list.invalidate(key.replace(/:(prompt|ref|text)$/, ''));
  },
  inspect(group: GroupView, c: CompletionView) {
    host.command({
      command: 'inspectCompletion',
      runId,
      step: group.step,
      group: group.group,
      index: c.index,
    });
  },
  select(key) {
    selectedKey = key;
    actions.selectedKey = key;
    list.rerenderAll();
  },
};

const list = new VirtualList<Row>(scroller, {
  key: (r) => r.key,
  render: (r) => renderRow(r, actions),
  estimate: (r) => (r.kind === 'group' ? 110 : 130),
});

function setHeader(header: RunHeader): void {
  title.textContent = `${header.name} · Samples`;
  state.textContent = header.state;
}

function setComponents(): void {
  const current = filter.component;
  clear(component);
  component.appendChild(ce('vscode-option', { text: 'total', attrs: { value: '' } }));
  for (const name of componentNames(groups))
    component.appendChild(ce('vscode-option', { text: name, attrs: { value: name } }));
  (component as unknown as { value: string }).value = current;
}

function applyFilter(): void {
  rows = filterRows(groups, filter);
  actions.maxAbsAdvantage = Math.max(
    1e-9,
    ...groups.flatMap((g) => g.completions.map((c) => Math.abs(c.advantage))),
  );
  const completions = rows.filter((r) => r.kind === 'completion').length;
  summary.textContent = `${rows.length - completions} groups · ${completions} completions`;
  empty.hidden = rows.length > 0;
  if (groups.length > 0 && rows.length === 0) empty.textContent = noMatchText();
  list.setItems(rows);
}

async function showStep(s: number): Promise<void> {
  step = s;
  host.saveState({ runId, step: s, follow });
  const index = steps.indexOf(s);
  if (index >= 0) (slider as HTMLInputElement).value = String(index);
  stepLabel.textContent = `step ${s}`;
  (stepBox as unknown as { value: string }).value = String(s);
  const result = await host.request('samplesAt', { runId, step: s });
  if (step !== s) return;
  groups = result.groups;
  setComponents();
  applyFilter();
}

function mergeSteps(a: number[], b: number[]): number[] {
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

/** The logged step closest to `s` (the earlier one on a tie). */
function closestStep(all: number[], s: number): number | undefined {
  let best: number | undefined;
  for (const x of all) if (best === undefined || Math.abs(x - s) < Math.abs(best - s)) best = x;
  return best;
}

/** Goes to the step `offset` logged steps away from the one shown (clamped to the ends). */
function stepBy(offset: number): void {
  if (steps.length === 0) return;
  const at = step === undefined ? steps.length - 1 : Math.max(0, steps.indexOf(step));
  goTo(steps[Math.max(0, Math.min(steps.length - 1, at + offset))]);
}

function goTo(s: number): void {
  setFollow(s === steps[steps.length - 1] && follow);
  void showStep(s);
}

/** A page of steps, as the slider's Page Up/Down moves: a tenth of them. */
function pageOfSteps(): number {
  return Math.max(1, Math.round(steps.length / 10));
}

function nearestStep(s: number): number {
  const before = steps.filter((x) => x <= s);
  return before.length ? before[before.length - 1] : steps[0];
}

function setSteps(next: number[]): void {
  steps = next;
  (slider as HTMLInputElement).max = String(Math.max(0, steps.length - 1));
  if (steps.length === 0) return;
  const last = steps[steps.length - 1];
  if (follow) {
    if (step !== last || groups.length === 0) void showStep(last);
  } else if (step === undefined || !steps.includes(step))
    void showStep(step === undefined ? last : nearestStep(step));
  else if (groups.length === 0) void showStep(step);
  else (slider as HTMLInputElement).value = String(steps.indexOf(step));
}

function completionIndexes(): number[] {
  return rows.map((r, i) => (r.kind === 'completion' ? i : -1)).filter((i) => i >= 0);
}

function move(delta: number): void {
  const idx = completionIndexes();
  if (idx.length === 0) return;
  const current = rows.findIndex((r) => r.key === selectedKey);
  const pos = idx.indexOf(current);
  const next = idx[Math.max(0, Math.min(idx.length - 1, pos < 0 ? 0 : pos + delta))];
  actions.select(rows[next].key);
  list.scrollToIndex(next);
}

scroller.addEventListener('keydown', (e: KeyboardEvent) => {
  const row = rows.find((r) => r.key === selectedKey);
  if (e.key === 'ArrowDown' || e.key === 'j') move(1);
  else if (e.key === 'ArrowUp' || e.key === 'k') move(-1);
  else if (e.key === 'Enter' && row?.kind === 'completion') actions.inspect(row.group, row.completion);
  else if ((e.key === ' ' || e.key === 'e') && row) {
    actions.toggle(`${row.key}:text`);
    // collapsing a long text read far down would leave the view far below the row
    list.scrollToIndex(rows.indexOf(row));
  } else return;
  e.preventDefault();
});

slider.addEventListener('input', () => {
  const s = steps[Number((slider as HTMLInputElement).value)];
  if (s !== undefined) goTo(s);
});

const STEP_KEYS: Record<string, () => number> = {
  ArrowUp: () => 1,
  ArrowDown: () => -1,
  PageUp: () => pageOfSteps(),
  PageDown: () => -pageOfSteps(),
};
stepBox.addEventListener('keydown', (e: KeyboardEvent) => {
  if (e.key === 'Enter') {
    const typed = Number(valueOf(stepBox).trim());
    const s = valueOf(stepBox).trim() && Number.isFinite(typed) ? closestStep(steps, typed) : undefined;
    if (s !== undefined) goTo(s);
    else if (step !== undefined) (stepBox as unknown as { value: string }).value = String(step);
  } else if (STEP_KEYS[e.key]) stepBy(STEP_KEYS[e.key]());
  else return;
  e.preventDefault();
});
latest.addEventListener('click', () => steps.length && void showStep(steps[steps.length - 1]));

function setFollow(on: boolean): void {
  follow = on;
  if ((followBox as unknown as { checked: boolean }).checked !== on)
    (followBox as unknown as { checked: boolean }).checked = on;
  host.saveState({ follow: on });
}
followBox.addEventListener('change', () => {
  setFollow((followBox as unknown as { checked: boolean }).checked);
  if (follow && steps.length) void showStep(steps[steps.length - 1]);
});

function valueOf(el: HTMLElement): string {
  return (el as unknown as { value?: string }).value ?? '';
}
function checked(el: HTMLElement): boolean {
  return (el as unknown as { checked?: boolean }).checked === true;
}
/** Why nothing is shown; with "Named by a finding", the steps that do have named groups. */
function noMatchText(): string {
  if (!filter.namedOnly) return 'No completion matches the filters.';
  const at = namedSteps(named);
  const list = at.slice(0, 12).join(', ') + (at.length > 12 ? '…' : '');
  return at.length > 0
    ? `No group at this step is named by a finding. Steps with named groups: ${list}.`
    : 'No finding names a group of this run.';
}

/** With "Named by a finding" on, a step without named groups moves to the nearest one that has. */
function goToNamedStep(): void {
  const at = namedSteps(named).filter((s) => steps.includes(s));
  if (at.length === 0 || step === undefined || at.includes(step)) return;
  goTo(closestStep(at, step) as number);
}

function setFindings(findings: { groups?: { step: number; group: number }[] }[]): void {
  named = namedGroupKeys(findings);
  namedBox.hidden = named.size === 0;
  namedBox.textContent = `Named by a finding (${named.size})`;
  readFilter();
}

function readFilter(): void {
  filter = {
    namedOnly: checked(namedBox) && named.size > 0,
    named,
    search: valueOf(search),
    zeroStdOnly: checked(zeroStd),
    truncatedOnly: checked(truncated),
    component: valueOf(component),
    min: parseBound(valueOf(minBox)),
    max: parseBound(valueOf(maxBox)),
  };
  applyFilter();
}
for (const el of [search, minBox, maxBox]) el.addEventListener('input', readFilter);
for (const el of [zeroStd, truncated, component]) el.addEventListener('change', readFilter);
namedBox.addEventListener('change', () => {
  readFilter();
  if (filter.namedOnly) goToNamedStep();
});

function onNotification(n: Notification): void {
  if (n.type === 'findings') setFindings(n.findings);
  else if (n.type === 'init') {
    runId = n.runId;
    host.saveState({ runId });
    if (n.header) setHeader(n.header);
    const restored = n.step ?? host.state?.step;
    if (restored !== undefined) {
      step = restored;
      if (n.step !== undefined) setFollow(false);
    }
  } else if (n.type === 'header') setHeader(n.header);
  else if (n.type === 'sampleSteps') setSteps(n.append ? mergeSteps(steps, n.steps) : n.steps);
  else if (n.type === 'showStep') {
    setFollow(false);
    void showStep(n.step);
  }
}

host.ready(onNotification);
(window as unknown as { __samples: unknown }).__samples = {
  list,
  get rows() {
    return rows;
  },
};
