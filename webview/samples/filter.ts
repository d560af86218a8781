// Which groups and completions the samples panel shows, in what order. Pure.
import type { CompletionView, GroupView } from '../../src/contract/messages';

export interface SampleFilter {
  zeroStdOnly: boolean;
  truncatedOnly: boolean;
  /** '' filters the range on the total reward, else on this reward component. */
  component: string;
  min?: number;
  max?: number;
  search: string;
  /** Only the groups a run doctor finding names (keys from namedGroupKeys). */
  namedOnly?: boolean;
  named?: ReadonlySet<string>;
}

export const NO_FILTER: SampleFilter = {
  zeroStdOnly: false,
  truncatedOnly: false,
  component: '',
  search: '',
};

/** The groups the findings name, as `step:group` keys. */
export function namedGroupKeys(findings: { groups?: { step: number; group: number }[] }[]): Set<string> {
  return new Set(findings.flatMap((f) => (f.groups ?? []).map((g) => `${g.step}:${g.group}`)));
}

/** Steps that have a group named by a finding, ascending. */
export function namedSteps(named: ReadonlySet<string>): number[] {
  return [...new Set([...named].map((k) => Number(k.split(':')[0])))].sort((a, b) => a - b);
}

export type Row =
  | { kind: 'group'; key: string; group: GroupView; shown: number }
  | { kind: 'completion'; key: string; group: GroupView; completion: CompletionView; rank: number };

export function sortByReward(completions: CompletionView[]): CompletionView[] {
  return [...completions].sort((a, b) => b.reward - a.reward || a.index - b.index);
}

export function componentNames(groups: GroupView[]): string[] {
  const names = new Set<string>();
  for (const g of groups) for (const c of g.completions) for (const k of Object.keys(c.rewards)) names.add(k);
  return [...names].sort();
}

function inRange(c: CompletionView, f: SampleFilter): boolean {
  const value = f.component ? c.rewards[f.component] : c.reward;
  if (value === undefined) return f.min === undefined && f.max === undefined;
  return (f.min === undefined || value >= f.min) && (f.max === undefined || value <= f.max);
}

function matches(text: string | undefined, needle: string): boolean {
  return text !== undefined && text.toLowerCase().includes(needle);
}

export function completionPasses(c: CompletionView, f: SampleFilter, groupMatched: boolean): boolean {
  if (f.truncatedOnly && !c.truncated) return false;
  if (!inRange(c, f)) return false;
  const needle = f.search.trim().toLowerCase();
  return needle === '' || groupMatched || matches(c.text, needle);
}

export function filterRows(groups: GroupView[], f: SampleFilter): Row[] {
  const rows: Row[] = [];
  const needle = f.search.trim().toLowerCase();
  for (const group of groups) {
    if (f.zeroStdOnly && !group.zeroStd) continue;
    if (f.namedOnly && !f.named?.has(`${group.step}:${group.group}`)) continue;
    const groupMatched = needle !== '' && (matches(group.prompt, needle) || matches(group.reference, needle));
    const sorted = sortByReward(group.completions);
    const shown = sorted.filter((c) => completionPasses(c, f, groupMatched));
    if (shown.length === 0) continue;
    const gkey = `g${group.step}:${group.group}`;
    rows.push({ kind: 'group', key: gkey, group, shown: shown.length });
    for (const completion of shown) {
      const rank = sorted.indexOf(completion) + 1;
      rows.push({ kind: 'completion', key: `${gkey}:${completion.index}`, group, completion, rank });
    }
  }
  return rows;
}

/** Parses a number box: empty means no bound. */
export function parseBound(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}
