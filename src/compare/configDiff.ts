// Configs of runs, compared: flattened to dotted keys, the keys whose values differ, and
// the pretty-printed text (sorted keys) the diff editor shows. Pure.

/** Dotted keys of a config's leaves: `{a: {b: 1}, c: [1, 2]}` -> `a.b`, `c` (arrays are leaves). */
export function flattenConfig(
  config: unknown,
  prefix = '',
  out: Record<string, unknown> = {},
): Record<string, unknown> {
  if (isPlainObject(config)) {
    const keys = Object.keys(config);
    if (keys.length === 0 && prefix) out[prefix] = {};
    for (const key of keys) flattenConfig(config[key], prefix ? `${prefix}.${key}` : key, out);
  } else if (prefix) out[prefix] = config;
  return out;
}

/**
 * The dotted keys whose values are not the same in every config, sorted. A key that some
 * configs lack differs. With fewer than two configs nothing differs.
 */
export function differingConfigKeys(configs: Record<string, unknown>[]): string[] {
  if (configs.length < 2) return [];
  const flat = configs.map((c) => flattenConfig(c ?? {}));
  const keys = new Set(flat.flatMap((f) => Object.keys(f)));
  const differs = (key: string) => {
    const first = canonicalJson(flat[0][key], key in flat[0]);
    return flat.some((f) => canonicalJson(f[key], key in f) !== first);
  };
  return [...keys].filter(differs).sort();
}

/** The config as the diff editor shows it: JSON, two-space indent, keys sorted at every level. */
export function prettyConfig(config: Record<string, unknown> | undefined): string {
  return `${JSON.stringify(sortKeys(config ?? {}), null, 2)}\n`;
}

function canonicalJson(value: unknown, present: boolean): string {
  return present ? (JSON.stringify(sortKeys(value)) ?? 'undefined') : '\u0000absent';
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
