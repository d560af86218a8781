// The table's columns: the run's own (state, name…), config keys, and metric summaries
// (last, best, mean of the last N). Which exist, which are shown by default, and the
// value of a cell. Pure: the host and the webview both use it.
import type {
  CellValue,
  MetricSummary,
  RunsTableColumn,
  RunsTableRow,
  RunsTableViewState,
} from '../contract/messages';
import { CONFIG_KEYS } from './configKeys';

export const RUN_COLUMNS: RunsTableColumn[] = [
  { id: 'state', label: 'state', kind: 'text', group: 'run' },
  { id: 'name', label: 'name', kind: 'text', group: 'run' },
  { id: 'source', label: 'source', kind: 'text', group: 'run' },
  { id: 'created', label: 'created', kind: 'time', group: 'run' },
  { id: 'duration', label: 'duration', kind: 'duration', group: 'run' },
  { id: 'steps', label: 'steps', kind: 'number', group: 'run' },
  { id: 'findings', label: 'findings', kind: 'number', group: 'run' },
  { id: 'tags', label: 'tags', kind: 'tags', group: 'run' },
  { id: 'note', label: 'note', kind: 'text', group: 'run' },
];

export const AGGREGATES = ['last', 'best', 'mean'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

/** The summary metrics of the issue: reward, each reward component, KL, entropy, completion length. */
export function isSummaryMetric(name: string): boolean {
  return (
    name === 'reward' ||
    /^rewards\/[^/]+\/mean$/.test(name) ||
    name === 'kl' ||
    name === 'entropy' ||
    name === 'completions/mean_length'
  );
}

export function configColumnId(key: string): string {
  return `config:${key}`;
}

export function metricColumnId(metric: string, aggregate: Aggregate): string {
  return `metric:${metric}:${aggregate}`;
}

/** `metric:<name>:<aggregate>` → its parts (names may hold colons: the aggregate is last). */
export function parseMetricColumn(id: string): { metric: string; aggregate: Aggregate } | undefined {
  const match = /^metric:(.+):(last|best|mean)$/.exec(id);
  return match ? { metric: match[1], aggregate: match[2] as Aggregate } : undefined;
}

function metricLabel(metric: string): string {
  return metric.replace(/^rewards\/([^/]+)\/mean$/, '$1').replace(/^completions\/mean_length$/, 'length');
}

/** Every column the rows can fill: run columns, config keys that some run has, metrics some run logged. */
export function availableColumns(
  rows: readonly RunsTableRow[],
  view: RunsTableViewState = {},
): RunsTableColumn[] {
  const configKeys = [...CONFIG_KEYS.map((k) => k.key), ...(view.extraConfig ?? [])];
  const config = [...new Set(configKeys)]
    .filter((key) => rows.some((r) => r.config[key] !== undefined) || view.extraConfig?.includes(key))
    .map((key): RunsTableColumn => ({
      id: configColumnId(key),
      label: CONFIG_KEYS.find((k) => k.key === key)?.label ?? key,
      kind: rows.some((r) => typeof r.config[key] === 'number') ? 'number' : 'text',
      group: 'config',
    }));
  const names = new Set<string>();
  for (const r of rows) for (const name of Object.keys(r.metrics)) names.add(name);
  for (const name of view.extraMetrics ?? []) names.add(name);
  const metrics = [...names].sort(metricOrder).flatMap((name) =>
    AGGREGATES.map((aggregate): RunsTableColumn => ({
      id: metricColumnId(name, aggregate),
      label: `${metricLabel(name)} ${aggregate}`,
      kind: 'number',
      group: 'metric',
    })),
  );
  return [...RUN_COLUMNS, ...config, ...metrics];
}

/** reward first, then its components, then KL, entropy, length, then the rest by name. */
function metricOrder(a: string, b: string): number {
  const rank = (m: string) =>
    m === 'reward'
      ? 0
      : m.startsWith('rewards/')
        ? 1
        : m === 'kl'
          ? 2
          : m === 'entropy'
            ? 3
            : m.startsWith('completions/')
              ? 4
              : 5;
  return rank(a) - rank(b) || a.localeCompare(b);
}

/** Config keys whose values are not the same in every run that has one. */
export function differingConfigKeys(rows: readonly RunsTableRow[], keys: readonly string[]): string[] {
  return keys.filter((key) => {
    const seen = new Set(
      rows
        .map((r) => r.config[key])
        .filter((v) => v !== undefined)
        .map(String),
    );
    return seen.size > 1;
  });
}

/** The default columns: the run's own, config keys where runs differ, the summary metrics' last/best/mean. */
export function defaultColumns(
  rows: readonly RunsTableRow[],
  available: readonly RunsTableColumn[],
): string[] {
  const configKeys = available.filter((c) => c.group === 'config').map((c) => c.id.slice('config:'.length));
  const differing = differingConfigKeys(rows, configKeys).map(configColumnId);
  const metrics = available
    .filter((c) => c.group === 'metric')
    .filter((c) => {
      const parsed = parseMetricColumn(c.id)!;
      if (!isSummaryMetric(parsed.metric)) return false;
      // Reward gets all three; the others their last value, to keep the table readable.
      return parsed.metric === 'reward' || parsed.aggregate === 'last';
    })
    .map((c) => c.id);
  return [...RUN_COLUMNS.filter((c) => c.id !== 'note').map((c) => c.id), ...differing, ...metrics];
}

/** The columns shown: the user's choice where made (those that still exist), else the default. */
export function shownColumns(
  rows: readonly RunsTableRow[],
  available: readonly RunsTableColumn[],
  view: RunsTableViewState,
): RunsTableColumn[] {
  const byId = new Map(available.map((c) => [c.id, c]));
  const ids = view.columns ?? defaultColumns(rows, available);
  return ids.map((id) => byId.get(id)).filter((c): c is RunsTableColumn => c !== undefined);
}

export function cellValue(row: RunsTableRow, columnId: string): CellValue {
  switch (columnId) {
    case 'state':
      return row.state;
    case 'name':
      return row.name;
    case 'source':
      return row.source;
    case 'created':
      return row.created;
    case 'duration':
      return row.duration;
    case 'steps':
      return row.step;
    case 'findings':
      return row.findings ?? 0;
    case 'tags':
      return row.tags.join(', ') || undefined;
    case 'note':
      return row.note || undefined;
  }
  if (columnId.startsWith('config:')) return row.config[columnId.slice('config:'.length)];
  const metric = parseMetricColumn(columnId);
  if (!metric) return undefined;
  const summary: MetricSummary | undefined = row.metrics[metric.metric];
  return summary?.[metric.aggregate];
}
