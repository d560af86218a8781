// The table's filter box, one line: free words match a run's name, source, state, tags,
// note and config values; `tag:x` (or `#x`) needs a tag containing x; `column>0.5`,
// `beta<=0.1`, `steps>=100`, `loss=dr_grpo` compare a column (its id, its label, or a
// metric name for its last value: `reward>0.5`, `reward.best>0.8`). Pure.
import type { RunsTableColumn, RunsTableRow } from '../contract/messages';
import { cellValue, metricColumnId } from './columns';

export type Comparison = '>' | '>=' | '<' | '<=' | '=' | '!=';

export interface ColumnTest {
  column: string;
  op: Comparison;
  value: string;
}

export interface ParsedQuery {
  words: string[];
  tags: string[];
  tests: ColumnTest[];
  /** Parts naming no known column: shown to the user, matched as words. */
  unknown: string[];
}

const TEST = /^([^<>=!]+?)(>=|<=|!=|>|<|=)(.+)$/;

/** Splits on spaces, keeping "quoted phrases" together. */
function tokens(query: string): string[] {
  return [...query.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => (m[1] ?? m[2]).trim()).filter(Boolean);
}

function simple(text: string): string {
  return text.toLowerCase().replace(/[\s_-]+/g, '');
}

/** A word of the query as a column id: an id, a label, `metric` (its last) or `metric.best`. */
export function resolveColumn(word: string, columns: readonly RunsTableColumn[]): string | undefined {
  const w = simple(word);
  const direct = columns.find((c) => simple(c.id) === w || simple(c.label) === w);
  if (direct) return direct.id;
  const config = columns.find((c) => simple(c.id) === `config:${w}`);
  if (config) return config.id;
  const dotted = /^(.+)\.(last|best|mean)$/.exec(word);
  const metric = dotted ? dotted[1] : word;
  const aggregate = (dotted?.[2] ?? 'last') as 'last' | 'best' | 'mean';
  const id = metricColumnId(metric, aggregate);
  if (columns.some((c) => c.id === id)) return id;
  // `accuracy` for the component's mean: rewards/accuracy/mean
  const component = metricColumnId(`rewards/${metric}/mean`, aggregate);
  return columns.some((c) => c.id === component) ? component : undefined;
}

export function parseQuery(query: string, columns: readonly RunsTableColumn[]): ParsedQuery {
  const parsed: ParsedQuery = { words: [], tags: [], tests: [], unknown: [] };
  for (const token of tokens(query)) {
    const tag = /^(?:tag:|#)(.+)$/i.exec(token);
    if (tag) {
      parsed.tags.push(tag[1].toLowerCase());
      continue;
    }
    const test = TEST.exec(token);
    const column = test && resolveColumn(test[1], columns);
    if (test && column) parsed.tests.push({ column, op: test[2] as Comparison, value: test[3] });
    else {
      if (test) parsed.unknown.push(test[1]);
      parsed.words.push(token.toLowerCase());
    }
  }
  return parsed;
}

/** What free words are matched against. */
export function searchText(row: RunsTableRow): string {
  return [row.name, row.source, row.state, ...row.tags, row.note, ...Object.values(row.config).map(String)]
    .join('\n')
    .toLowerCase();
}

function passes(row: RunsTableRow, test: ColumnTest): boolean {
  const cell = cellValue(row, test.column);
  if (cell === undefined) return test.op === '!=';
  const wanted = Number(test.value);
  if (typeof cell === 'number' && Number.isFinite(wanted)) return compare(cell, wanted, test.op);
  const text = String(cell).toLowerCase();
  const value = test.value.toLowerCase();
  if (test.op === '=') return text === value;
  if (test.op === '!=') return text !== value;
  return compare(text.localeCompare(value), 0, test.op);
}

function compare(a: number, b: number, op: Comparison): boolean {
  switch (op) {
    case '>':
      return a > b;
    case '>=':
      return a >= b;
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '=':
      return a === b;
    case '!=':
      return a !== b;
  }
}

export function matchesQuery(row: RunsTableRow, query: ParsedQuery, text = searchText(row)): boolean {
  if (!query.words.every((w) => text.includes(w))) return false;
  if (!query.tags.every((t) => row.tags.some((tag) => tag.toLowerCase().includes(t)))) return false;
  return query.tests.every((t) => passes(row, t));
}
