// Canonical metric names (TRL's, as docs/run-format.md lists them) and the one
// helper every source uses to map its own names onto them. Each source keeps
// its own table next to its reader, so that a reader can check it against the
// trainer's list at a glance.
import type { MetricRow } from '../model';

/** A source's mapping: its name -> canonical name. Names not in the table are kept as they are. */
export type NameTable = Readonly<Record<string, string>>;

/** Rules for whole families of names, tried in order after the table: [prefix, canonical prefix]. */
export type PrefixRules = ReadonlyArray<readonly [string, string]>;

export function canonicalName(name: string, table: NameTable, prefixes: PrefixRules = []): string {
  const exact = table[name];
  if (exact !== undefined) return exact;
  for (const [from, to] of prefixes) {
    if (name.startsWith(from)) return to + name.slice(from.length);
  }
  return name;
}

/**
 * One row under canonical names. When two source names map to the same canonical
 * name, the first one in the table's order wins (a table lists the preferred name first).
 */
export function canonicalRow(
  step: number,
  values: Record<string, unknown>,
  table: NameTable,
  prefixes: PrefixRules = [],
  time?: number,
): MetricRow {
  const row: MetricRow = { step };
  if (time !== undefined && Number.isFinite(time)) row.time = time;
  const taken = new Set<string>();
  for (const [name, value] of Object.entries(values)) {
    if (typeof value !== 'number') continue;
    const canonical = canonicalName(name, table, prefixes);
    if (taken.has(canonical) && !preferred(name, canonical, table)) continue;
    row[canonical] = value;
    taken.add(canonical);
  }
  return row;
}

function preferred(name: string, canonical: string, table: NameTable): boolean {
  const candidates = Object.keys(table).filter((k) => table[k] === canonical);
  return candidates.length === 0 || candidates[0] === name;
}
