// Reading a *.sweep.json (JSON with comments): its fields, each with where it is in the
// text, so that every problem is shown on the part of the file it is about. Pure.
import { findNodeAtLocation, getNodeValue, Node, parseTree, ParseError } from 'jsonc-parser';
import { checkConfigText, type ConfigProblem } from '../trainer/configValidation';

export interface SweepOverride {
  key: string;
  value: unknown;
  /** The key in the text (for "unknown key"), and its value (for a bad value). */
  keyNode: Node;
  valueNode: Node;
}

export interface SweepFile {
  name?: string;
  base?: { path: string; node: Node };
  /** Dotted key -> the values to try, in the order written. */
  grid?: { key: string; values: SweepOverride[]; keyNode: Node }[];
  runs?: SweepOverride[][];
  naming: 'index' | 'overrides';
  maxParallel?: number;
  root: Node;
}

const FIELDS = ['$schema', 'name', 'base', 'grid', 'runs', 'naming', 'maxParallel'];

export function readSweepText(text: string): { sweep?: SweepFile; problems: ConfigProblem[] } {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: false, disallowComments: false });
  // The trainer's JSON rule (comments yes, trailing commas no) and its messages.
  if (errors.length > 0 || !root) return { problems: checkConfigText(text, {}).problems };
  if (root.type !== 'object') return { problems: [at(root, 'A sweep must be a JSON object.')] };
  const problems: ConfigProblem[] = [];
  for (const property of root.children ?? []) {
    const key = property.children![0];
    if (!FIELDS.includes(String(key.value)))
      problems.push(
        at(
          key,
          `The sweep has an unknown field "${String(key.value)}" (fields: ${FIELDS.slice(1).join(', ')}).`,
        ),
      );
  }
  const sweep: SweepFile = { root, naming: 'index' };
  readName(root, sweep, problems);
  readBase(root, sweep, problems);
  readGrid(root, sweep, problems);
  readRuns(root, sweep, problems);
  readOptions(root, sweep, problems);
  if (!sweep.grid && !sweep.runs && !problems.some((p) => /"grid"|"runs"/.test(p.message)))
    problems.push(at(root, 'A sweep needs a "grid" (values to combine) or "runs" (a list of overrides).'));
  if (findNodeAtLocation(root, ['grid']) && findNodeAtLocation(root, ['runs']))
    problems.push(
      at(
        findNodeAtLocation(root, ['runs'])!.parent!.children![0],
        'A sweep has a "grid" or "runs", not both.',
      ),
    );
  return { sweep, problems };
}

function readName(root: Node, sweep: SweepFile, problems: ConfigProblem[]): void {
  const node = findNodeAtLocation(root, ['name']);
  if (!node) return;
  if (node.type === 'string' && /^[A-Za-z0-9_.-]+$/.test(String(node.value))) sweep.name = String(node.value);
  else
    problems.push(at(node, '"name" must be letters, digits, "_", "." or "-" (it names the runs\' folders).'));
}

function readBase(root: Node, sweep: SweepFile, problems: ConfigProblem[]): void {
  const node = findNodeAtLocation(root, ['base']);
  if (!node)
    problems.push(at(root, 'The sweep is missing "base": the *.grpo.json config its runs start from.'));
  else if (node.type !== 'string' || !node.value)
    problems.push(at(node, '"base" must be the path of a *.grpo.json config.'));
  else sweep.base = { path: String(node.value), node };
}

function readGrid(root: Node, sweep: SweepFile, problems: ConfigProblem[]): void {
  const node = findNodeAtLocation(root, ['grid']);
  if (!node) return;
  if (node.type !== 'object')
    return void problems.push(at(node, '"grid" must be an object: config key -> list of values.'));
  if (!node.children?.length)
    return void problems.push(at(node, 'The grid is empty: it gives no run. Add a key with values.'));
  sweep.grid = [];
  for (const property of node.children) {
    const [keyNode, valueNode] = property.children!;
    const key = String(keyNode.value);
    if (valueNode.type !== 'array') problems.push(at(valueNode, `grid "${key}" must be a list of values.`));
    else if (!valueNode.children?.length)
      problems.push(at(valueNode, `grid "${key}" has no values: the grid gives no run.`));
    else sweep.grid.push({ key, keyNode, values: valueNode.children.map((v) => override(key, keyNode, v)) });
  }
}

function readRuns(root: Node, sweep: SweepFile, problems: ConfigProblem[]): void {
  const node = findNodeAtLocation(root, ['runs']);
  if (!node) return;
  if (node.type !== 'array') return void problems.push(at(node, '"runs" must be a list of overrides.'));
  if (!node.children?.length) return void problems.push(at(node, '"runs" is empty: it gives no run.'));
  sweep.runs = [];
  for (const item of node.children) {
    if (item.type !== 'object')
      problems.push(at(item, 'Each item of "runs" must be an object: config key -> value.'));
    else
      sweep.runs.push(
        (item.children ?? []).map((p) =>
          override(String(p.children![0].value), p.children![0], p.children![1]),
        ),
      );
  }
}

function readOptions(root: Node, sweep: SweepFile, problems: ConfigProblem[]): void {
  const naming = findNodeAtLocation(root, ['naming']);
  if (naming && naming.value !== 'index' && naming.value !== 'overrides')
    problems.push(at(naming, '"naming" must be "index" or "overrides".'));
  else if (naming) sweep.naming = naming.value as SweepFile['naming'];
  const parallel = findNodeAtLocation(root, ['maxParallel']);
  if (parallel && !(Number.isInteger(parallel.value) && (parallel.value as number) >= 1))
    problems.push(at(parallel, '"maxParallel" must be a whole number of at least 1.'));
  else if (parallel) sweep.maxParallel = parallel.value as number;
}

function override(key: string, keyNode: Node, valueNode: Node): SweepOverride {
  return { key, value: getNodeValue(valueNode) as unknown, keyNode, valueNode };
}

export function at(node: Node, message: string): ConfigProblem {
  return { message, offset: node.offset, length: Math.max(1, node.length) };
}
