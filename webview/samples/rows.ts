// Renders one row of the samples list: a group header or a completion. Every string
// from the run goes in through textContent (visibleText makes hidden characters visible).
import type { CompletionView, GroupView } from '../../src/contract/messages';
import { ce, h, icon } from '../common/dom';
import { completionNumber } from '../../src/contract/completionNumber';
import { formatNumber, visibleText } from '../common/text';
import type { Row } from './filter';
import { gameBoard } from './board';

export interface RowActions {
  expanded: Set<string>;
  selectedKey?: string;
  maxAbsAdvantage: number;
  toggle(key: string): void;
  inspect(group: GroupView, completion: CompletionView): void;
  select(key: string): void;
}

function collapsible(
  key: string,
  label: string,
  text: string,
  actions: RowActions,
  fullLength?: number,
): HTMLElement {
  const open = actions.expanded.has(key);
  const body = h('pre', { className: `text ${open ? 'open' : 'collapsed'}`, text: visibleText(text) });
  const long = text.length > 300 || text.split('\n').length > 6;
  const more = fullLength
    ? ` (${fullLength.toLocaleString()} chars; first ${text.length.toLocaleString()} shown)`
    : '';
  const toggle = long
    ? ce(
        'vscode-button',
        { className: 'expand', attrs: { appearance: 'icon', 'aria-label': open ? 'Collapse' : 'Expand' } },
        [icon(open ? 'chevron-up' : 'chevron-down')],
      )
    : undefined;
  toggle?.addEventListener('click', (e) => {
    e.stopPropagation();
    actions.toggle(key);
  });
  return h('div', { className: 'field' }, [
    h('div', { className: 'label', text: label + more }, [toggle]),
    body,
  ]);
}

function advantageBar(advantage: number, maxAbs: number): HTMLElement {
  const width = maxAbs > 0 ? Math.min(50, (Math.abs(advantage) / maxAbs) * 50) : 0;
  const bar = h('span', { className: `adv-fill ${advantage >= 0 ? 'pos' : 'neg'}` });
  bar.style.width = `${width}%`;
  bar.style.left = advantage >= 0 ? '50%' : `${50 - width}%`;
  return h('span', { className: 'advantage', title: `advantage ${advantage}` }, [
    h('span', { className: 'track' }, [h('span', { className: 'zero' }), bar]),
    h('span', { className: 'num', text: `A ${advantage >= 0 ? '+' : ''}${formatNumber(advantage, 2)}` }),
  ]);
}

function groupRow(row: Extract<Row, { kind: 'group' }>, actions: RowActions): HTMLElement {
  const g = row.group;
  const mean = g.completions.reduce((a, c) => a + c.reward, 0) / Math.max(1, g.completions.length);
  const badges = h('span', { className: 'badges' }, [
    h('span', { className: 'chip', text: `mean ${formatNumber(mean)} · std ${formatNumber(g.rewardStd)}` }),
    h('span', { className: 'chip', text: `${row.shown}/${g.completions.length} shown` }),
    g.zeroStd
      ? h('span', {
          className: 'badge zero-std',
          text: 'zero std',
          title: 'All completions got the same reward: no learning signal',
        })
      : undefined,
  ]);
  const title = h('div', { className: 'group-title' }, [
    icon('comment-discussion'),
    h('span', { text: `Group ${g.group}` }),
    badges,
  ]);
  const key = row.key;
  return h(
    'div',
    { className: `row group-row${g.zeroStd ? ' is-zero-std' : ''}`, attrs: { 'data-key': key } },
    [
      title,
      collapsible(`${key}:prompt`, 'Prompt', g.prompt, actions, g.promptFullLength),
      g.reference !== undefined ? collapsible(`${key}:ref`, 'Reference', g.reference, actions) : undefined,
    ],
  );
}

function completionRow(row: Extract<Row, { kind: 'completion' }>, actions: RowActions): HTMLElement {
  const c = row.completion;
  const components = Object.entries(c.rewards).map(([k, v]) =>
    h('span', { className: 'chip', text: `${k} ${formatNumber(v, 2)}` }),
  );
  const inspect = ce(
    'vscode-button',
    {
      className: 'inspect',
      attrs: { appearance: 'icon', 'aria-label': 'Inspect completion', title: 'Inspect completion (Enter)' },
    },
    [icon('telescope')],
  );
  inspect.addEventListener('click', (e) => {
    e.stopPropagation();
    actions.inspect(row.group, c);
  });
  const meta = h('div', { className: 'meta' }, [
    h('span', { className: 'rank', text: `#${row.rank}` }),
    h('span', { className: 'reward', text: `reward ${formatNumber(c.reward)}` }),
    advantageBar(c.advantage, actions.maxAbsAdvantage),
    h('span', { className: 'chips' }, components),
    c.numTokens !== undefined ? h('span', { className: 'len', text: `${c.numTokens} tok` }) : undefined,
    c.advantageComputed
      ? h('span', {
          className: 'badge computed',
          text: 'advantage computed',
          title: 'The trainer logged no advantages: GRPO Lens computed them from the group’s rewards',
        })
      : undefined,
    c.truncated
      ? h('span', { className: 'badge truncated', text: 'truncated', title: 'Hit max_completion_length' })
      : undefined,
    inspect,
  ]);
  const selected = actions.selectedKey === row.key;
  const el = h(
    'div',
    {
      className: `row completion-row${selected ? ' selected' : ''}`,
      attrs: { 'data-key': row.key, role: 'option', 'aria-selected': String(selected) },
    },
    [
      meta,
      collapsible(
        `${row.key}:text`,
        `Completion ${completionNumber(c.index)}`,
        c.text,
        actions,
        c.fullLength,
      ),
      c.game ? gameBoard(row.key, c.game) : undefined,
    ],
  );
  el.addEventListener('click', () => actions.select(row.key));
  el.addEventListener('dblclick', () => actions.inspect(row.group, c));
  return el;
}

export function renderRow(row: Row, actions: RowActions): HTMLElement {
  return row.kind === 'group' ? groupRow(row, actions) : completionRow(row, actions);
}
