// The bar above the table: filter box, group by, N of "mean of the last N", the
// column chooser (show, hide, move; the default; add a metric or config key), and what
// to do with the selected runs (compare, delete). Native controls styled with VS Code's
// theme variables (runsTable.css): no component library to load before the rows show.
import type { RunsTableColumn } from '../../src/contract/messages';
import { clear, h, icon } from '../common/dom';
import { visibleText } from '../common/text';

export interface ToolbarEvents {
  query(text: string): void;
  groupBy(value: string): void;
  meanOf(n: number): void;
  showColumns(ids: string[] | undefined): void;
  addColumn(): void;
  compare(): void;
  deleteSelected(): void;
  clearSelection(): void;
}

/** A button as VS Code draws one: primary, or secondary; an icon before its words. */
function button(text: string, options: { secondary?: boolean; disabled?: boolean; icon?: string } = {}) {
  const el = h('button', {
    className: options.secondary ? 'button secondary' : 'button',
    attrs: { type: 'button' },
  });
  el.disabled = options.disabled ?? false;
  setLabel(el, text, options.icon);
  return el;
}

function setLabel(el: HTMLButtonElement, text: string, iconName?: string): void {
  el.replaceChildren(...(iconName ? [icon(iconName)] : []), h('span', { text }));
}

export class Toolbar {
  readonly searchBox = h('input', {
    attrs: {
      type: 'text',
      placeholder: 'Filter: words, tag:baseline, beta<0.05, reward.best>0.8',
      'aria-label': 'Filter runs',
      spellcheck: 'false',
    },
  });
  readonly search = h('div', { className: 'search' }, [icon('filter'), this.searchBox]);
  readonly group = h('select', { className: 'group-by', attrs: { 'aria-label': 'Group by' } });
  readonly meanBox = h('input', {
    className: 'mean-of',
    attrs: { type: 'number', min: '1', max: '64', 'aria-label': 'Mean of the last N steps' },
  });
  readonly summary = h('span', { className: 'summary', text: '' });
  readonly compareButton = button('Compare', { disabled: true, icon: 'git-compare' });
  readonly deleteButton = button('Delete', { secondary: true, disabled: true, icon: 'trash' });
  readonly clearButton = button('Clear selection', { secondary: true, disabled: true });
  readonly columnsButton = button('Columns', { secondary: true, icon: 'settings-gear' });
  readonly chooser = h('div', {
    className: 'chooser',
    attrs: { hidden: '', role: 'dialog', 'aria-label': 'Columns' },
  });
  private available: RunsTableColumn[] = [];
  private shown: string[] = [];

  constructor(
    parent: HTMLElement,
    private readonly events: ToolbarEvents,
  ) {
    parent.append(
      h('header', { className: 'bar' }, [
        icon('table'),
        h('span', { className: 'title', text: 'GRPO Runs' }),
        this.summary,
        h('span', { className: 'grow' }),
        this.compareButton,
        this.deleteButton,
        this.clearButton,
      ]),
      h('div', { className: 'bar filters' }, [
        this.search,
        h('label', { className: 'label', text: 'Group by' }),
        this.group,
        h('label', { className: 'label', text: 'Mean of last' }),
        this.meanBox,
        h('span', { className: 'label', text: 'steps' }),
        this.columnsButton,
      ]),
      this.chooser,
    );
    this.searchBox.addEventListener('input', () => events.query(this.searchBox.value));
    this.group.addEventListener('change', () => events.groupBy(this.group.value));
    this.meanBox.addEventListener('change', () => {
      const n = Math.round(Number(this.meanBox.value));
      if (Number.isFinite(n) && n >= 1 && n <= 64) events.meanOf(n);
    });
    this.compareButton.addEventListener('click', () => events.compare());
    this.deleteButton.addEventListener('click', () => events.deleteSelected());
    this.clearButton.addEventListener('click', () => events.clearSelection());
    this.columnsButton.addEventListener('click', () => this.toggleChooser());
  }

  private lastCounts = '';
  private lastGroups = '';

  setSelectionCount(n: number, deletable: number): void {
    // Called on every redraw: touch the buttons only when the counts changed.
    if (this.lastCounts === `${n}/${deletable}`) return;
    this.lastCounts = `${n}/${deletable}`;
    this.compareButton.disabled = n < 2;
    this.deleteButton.disabled = deletable === 0;
    this.clearButton.disabled = n === 0;
    setLabel(this.compareButton, n >= 2 ? `Compare ${n}` : 'Compare', 'git-compare');
  }

  setGroupOptions(options: { value: string; label: string }[], current: string): void {
    const key = JSON.stringify([options, current]);
    if (key === this.lastGroups) return;
    this.lastGroups = key;
    clear(this.group);
    for (const o of [{ value: '', label: 'nothing' }, ...options])
      this.group.appendChild(h('option', { text: visibleText(o.label), attrs: { value: o.value } }));
    this.group.value = options.some((o) => o.value === current) ? current : '';
  }

  setColumns(available: RunsTableColumn[], shown: string[]): void {
    this.available = available;
    this.shown = shown;
    if (!this.chooser.hidden) this.renderChooser();
  }

  private toggleChooser(): void {
    this.chooser.hidden = !this.chooser.hidden;
    if (!this.chooser.hidden) this.renderChooser();
  }

  private renderChooser(): void {
    const byId = new Map(this.available.map((c) => [c.id, c]));
    const hidden = this.available.filter((c) => !this.shown.includes(c.id));
    const line = (c: RunsTableColumn, on: boolean, index: number) => {
      const box = h('input', { attrs: { type: 'checkbox', 'aria-label': c.label } });
      box.checked = on;
      box.addEventListener('change', () =>
        this.events.showColumns(on ? this.shown.filter((id) => id !== c.id) : [...this.shown, c.id]),
      );
      const move = (delta: number) => () => {
        const next = [...this.shown];
        const [moved] = next.splice(index, 1);
        next.splice(Math.max(0, Math.min(next.length, index + delta)), 0, moved);
        this.events.showColumns(next);
      };
      const up = h(
        'button',
        { className: 'icon-button', title: 'Move left', attrs: { 'aria-label': 'Move left' } },
        [icon('arrow-up')],
      );
      const down = h(
        'button',
        { className: 'icon-button', title: 'Move right', attrs: { 'aria-label': 'Move right' } },
        [icon('arrow-down')],
      );
      up.addEventListener('click', move(-1));
      down.addEventListener('click', move(1));
      return h('div', { className: 'choice', attrs: { 'data-column': c.id } }, [
        box,
        h('span', { className: 'choice-label', text: visibleText(c.label) }),
        h('span', { className: 'choice-group', text: c.group }),
        ...(on ? [up, down] : []),
      ]);
    };
    const reset = button('Default columns', { secondary: true });
    reset.addEventListener('click', () => this.events.showColumns(undefined));
    const add = button('Add metric or config key…', { secondary: true });
    add.addEventListener('click', () => this.events.addColumn());
    this.chooser.replaceChildren(
      h('div', { className: 'choices' }, [
        ...this.shown.map((id, i) => byId.get(id) && line(byId.get(id)!, true, i)),
        ...hidden.map((c) => line(c, false, -1)),
      ]),
      h('div', { className: 'chooser-buttons' }, [reset, add]),
    );
  }
}
