// Dotted config keys of a sweep ("beta", "model.n_layer", "rewards.0.weight"): checked
// against the trainer's config schema and set into a copy of the base config. Pure.

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  additionalProperties?: boolean | Schema;
  items?: Schema;
};

export function keyPath(key: string): string[] {
  return key.split('.');
}

/**
 * Why the schema has no such key, or undefined when it has. A free-form object of the
 * schema (model.config) takes any key below it.
 */
export function unknownKeyReason(key: string, schema: object): string | undefined {
  let node = schema as Schema;
  const parts = keyPath(key);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i];
    const where = parts.slice(0, i).join('.') || 'the config';
    if (part === '') return `"${key}" has an empty part: write keys as "model.n_layer".`;
    if (isArray(node)) {
      if (!/^\d+$/.test(part)) return `"${where}" is a list: its items are numbered ("${where}.0").`;
      node = node.items ?? {};
    } else if (node.properties && part in node.properties) {
      node = node.properties[part];
    } else if (node.properties || node.additionalProperties === false) {
      if (typeof node.additionalProperties === 'object') node = node.additionalProperties;
      else return `"${key}" is not an option of the GRPO config (no "${part}" in ${where}).`;
    } else if (isObject(node)) {
      return undefined; // free-form: the trainer checks what is inside
    } else {
      return `"${where}" is a single value: it has no "${part}".`;
    }
  }
  return undefined;
}

function isArray(node: Schema): boolean {
  return node.type === 'array' || (Array.isArray(node.type) && node.type.includes('array'));
}

function isObject(node: Schema): boolean {
  return node.type === 'object' || node.properties !== undefined;
}

/** Sets the value at the dotted key in config (in place); says why not when a list is too short. */
export function setDotted(config: Record<string, unknown>, key: string, value: unknown): string | undefined {
  const parts = keyPath(key);
  let node: Record<string, unknown> | unknown[] = config;
  for (let i = 0; i < parts.length - 1; i++) {
    const next = childOf(node, parts[i]);
    if (Array.isArray(node) && next === undefined)
      return `"${parts.slice(0, i).join('.')}" has ${node.length} item(s): there is no item ${parts[i]}.`;
    if (next === null || typeof next !== 'object') {
      const fresh = {};
      (node as Record<string, unknown>)[parts[i]] = fresh;
      node = fresh;
    } else node = next as Record<string, unknown> | unknown[];
  }
  const last = parts[parts.length - 1];
  if (Array.isArray(node) && Number(last) >= node.length)
    return `"${parts.slice(0, -1).join('.')}" has ${node.length} item(s): there is no item ${last}.`;
  (node as Record<string, unknown>)[last] = value;
  return undefined;
}

function childOf(node: Record<string, unknown> | unknown[], part: string): unknown {
  return Array.isArray(node) ? node[Number(part)] : node[part];
}
