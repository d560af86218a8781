// Checking a *.grpo.json config (JSON with comments) against the trainer's schema
// before anything is spawned. Pure: returns problems with character ranges.
import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import { findNodeAtLocation, Node, parseTree, ParseError, printParseErrorCode } from 'jsonc-parser';

export interface ConfigProblem {
  message: string;
  /** Character offset and length of the part of the file the problem is about. */
  offset: number;
  length: number;
}

export interface ConfigCheck {
  problems: ConfigProblem[];
  config?: Record<string, unknown>;
}

const validators = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let validate = validators.get(schema);
  if (!validate) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validate = ajv.compile(schema);
    validators.set(schema, validate);
  }
  return validate;
}

export function checkConfigText(text: string, schema: object): ConfigCheck {
  const parseErrors: ParseError[] = [];
  // The trainer's rule (trainer/grpo_lens/config.py): comments yes, trailing commas no.
  const root = parseTree(text, parseErrors, { allowTrailingComma: false, disallowComments: false });
  if (parseErrors.length > 0 || !root) {
    return { problems: parseErrors.map(syntaxProblem) };
  }
  const config = nodeValue(root);
  if (config === null || typeof config !== 'object' || Array.isArray(config)) {
    return {
      problems: [
        { message: 'A GRPO config must be a JSON object.', offset: root.offset, length: root.length },
      ],
    };
  }
  const validate = validatorFor(schema);
  if (validate(config)) return { problems: [], config: config as Record<string, unknown> };
  return { problems: (validate.errors ?? []).map((e) => schemaProblem(e, root)), config: undefined };
}

function syntaxProblem(error: ParseError): ConfigProblem {
  const what = printParseErrorCode(error.error)
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase();
  return { message: `JSON syntax: ${what}.`, offset: error.offset, length: Math.max(1, error.length) };
}

function nodeValue(node: Node): unknown {
  switch (node.type) {
    case 'object':
      return Object.fromEntries(
        (node.children ?? []).map((p) => [p.children![0].value, nodeValue(p.children![1])]),
      );
    case 'array':
      return (node.children ?? []).map(nodeValue);
    default:
      return node.value;
  }
}

/** Turns an ajv error into a sentence and the range of the offending value (or key). */
export function schemaProblem(error: ErrorObject, root: Node): ConfigProblem {
  const path = pointerToPath(error.instancePath);
  const where = path.length > 0 ? `"${path.join('.')}"` : 'The config';
  const node = nodeAt(root, path, error);
  return { message: `${where} ${describe(error)}`, offset: node.offset, length: node.length };
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .split('/')
    .slice(1)
    .map((part) => part.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function nodeAt(root: Node, path: (string | number)[], error: ErrorObject): Node {
  const target = findNodeAtLocation(root, path) ?? root;
  if (target === root && error.keyword !== 'additionalProperties') return { ...root, length: 1 };
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty?: string }).additionalProperty;
    const value = extra !== undefined ? findNodeAtLocation(target, [extra]) : undefined;
    return value?.parent?.children?.[0] ?? target;
  }
  // For an object, underline its first line rather than the whole block.
  return target.type === 'object' && target.parent?.children?.[0] ? target.parent.children[0] : target;
}

function describe(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'additionalProperties':
      return `has an unknown option "${String(params.additionalProperty)}".`;
    case 'required':
      return `is missing the required option "${String(params.missingProperty)}".`;
    case 'enum':
      return `must be one of ${(params.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}.`;
    case 'type':
      return `must be ${article(String(params.type))}.`;
    default:
      return `${error.message ?? 'is not valid'}.`;
  }
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}
