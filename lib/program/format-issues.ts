/**
 * Turns valibot issues into one readable line each, keyed by the path of the offending value:
 * `model.name: expected string, received number`,
 * `parameters.maxTokens: expected a positive integer, received -1`,
 * `[modle]: unknown section; expected one of: model, parameters, ...`.
 *
 * The text is built from each issue's `path`, `expected`, `received` and `input`, and from the
 * schema itself (its `v.description`s, the keys of its objects, the options of its picklists),
 * never from valibot's default messages.
 *
 * @module
 */
import * as v from 'valibot';
import { dottedPath } from '../key-path.js';
import { nearestName } from './did-you-mean.js';

/** Where the values came from, which decides some words of the messages. */
export type IssueDialect =
  /** A TOML file: top-level keys are `[sections]`, objects are tables. */
  | 'toml'
  /** Options given in code: top-level keys are options, objects are objects. */
  | 'options'
  /** A JSON file (an MCP servers' config): keys are keys, objects are objects. */
  | 'json';

/** One problem, ready to show. */
export interface FormattedIssue {
  /** Dotted key path of the offending value, e.g. `model.name`, `tools.enabled[1]`. */
  keyPath: string;
  /** The whole line, starting with the key path as shown to people. */
  text: string;
  /** The error behind the problem, when there is one (an MCP config file's). */
  cause?: unknown;
}

/** The parts of a valibot schema object this module walks. */
interface SchemaNode {
  type: string;
  entries?: Record<string, SchemaNode>;
  wrapped?: SchemaNode;
  item?: SchemaNode;
  value?: SchemaNode;
  options?: readonly unknown[];
  literal?: unknown;
  kind?: string;
  pipe?: readonly SchemaNode[];
}

type Issue = v.BaseIssue<unknown>;
type PathKey = string | number;

/** The schema types whose issue names the expected type: `expected string, received number`. */
const BASIC_TYPES = new Set(['string', 'number', 'boolean']);

const WRAPPERS = new Set(['optional', 'exact_optional', 'nullish', 'nullable', 'undefinedable', 'non_optional']);

/**
 * The schema that a pipe hands its value to last, when that is not the pipe's own first schema:
 * the table of `v.pipe(v.custom(isTable), v.strictObject(...))`, also when that pipe is itself
 * piped on (`v.pipe(table(...), v.rawCheck(...))`).
 */
function pipedSchema(schema: SchemaNode): SchemaNode | undefined {
  const last = schema.pipe?.findLast((item) => item.kind === 'schema');
  if (!last) return undefined;
  if (last !== schema.pipe?.[0]) return last;
  return last.pipe ? pipedSchema(last) : undefined;
}

/** The schema under its optional/nullable wrappers and leading pipe checks. */
function unwrap(schema: SchemaNode): SchemaNode {
  let node = schema;
  for (;;) {
    const inner = WRAPPERS.has(node.type) ? node.wrapped : pipedSchema(node);
    if (!inner) return node;
    node = inner;
  }
}

/** The schemas that may validate `schema[key]` (several when `schema` is a union). */
function childSchemas(schema: SchemaNode, key: PathKey): SchemaNode[] {
  const node = unwrap(schema);
  if (node.entries) return Object.hasOwn(node.entries, key) ? [node.entries[key as string]!] : [];
  if (node.type === 'record' && node.value) return [node.value];
  if (node.type === 'array' && node.item) return [node.item];
  if (node.type === 'union' && node.options) return (node.options as SchemaNode[]).flatMap((option) => childSchemas(option, key));
  return [];
}

/** The schema that validates the value at `path`, if it can be found. */
function schemaAt(root: SchemaNode, path: readonly PathKey[]): SchemaNode | undefined {
  let candidates = [root];
  for (const key of path) candidates = candidates.flatMap((schema) => childSchemas(schema, key));
  const found = candidates[0];
  return found ? unwrap(found) : undefined;
}

/** The keys of an issue's path. */
function pathKeys(issue: Issue): PathKey[] {
  return (issue.path ?? []).map((item) => item.key as PathKey);
}

/** The key path as shown at the start of a line: `[model]` for a TOML section. */
function shownPath(path: readonly PathKey[], dialect: IssueDialect): string {
  if (path.length === 0) return dialect === 'toml' ? '(document)' : dialect === 'json' ? '(the file)' : 'options';
  if (path.length === 1 && dialect === 'toml' && typeof path[0] === 'string') return `[${dottedPath(path)}]`;
  return dottedPath(path);
}

/** A word for the type of `value`: `number`, `array`, `table`, ... */
function typeName(value: unknown, dialect: IssueDialect): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (value instanceof Date) return 'date';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'object') return dialect === 'toml' ? 'table' : 'object';
  return typeof value;
}

/** A string as a quoted, shortened literal. */
function quoted(text: string): string {
  return JSON.stringify(text.length > 60 ? `${text.slice(0, 57)}...` : text);
}

/** The value itself when it is short and primitive, else its type. */
function valueOrType(value: unknown, dialect: IssueDialect): string {
  if (typeof value === 'string') return quoted(value);
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeName(value, dialect);
}

/**
 * Whether the issue is a value of the wrong type (a string where a number goes), rather than a
 * value of the right type that `v.number()` itself refuses (NaN).
 */
function isWrongType(issue: Issue): boolean {
  return issue.kind === 'schema' && BASIC_TYPES.has(issue.type) && typeof issue.input !== issue.type;
}

/** What was received: the value for a failed check or choice, the type for a wrong type. */
function describeReceived(issue: Issue, dialect: IssueDialect): string {
  const input = issue.input;
  if (issue.type === 'raw_check' && BASIC_TYPES.has(issue.expected ?? '') && typeof input !== issue.expected) return typeName(input, dialect);
  if (issue.kind === 'validation' || issue.type === 'literal') return valueOrType(input, dialect);
  if (issue.kind === 'schema' && BASIC_TYPES.has(issue.type) && !isWrongType(issue)) return valueOrType(input, dialect);
  return typeof input === 'string' ? quoted(input) : typeName(input, dialect);
}

/** What was expected, in words: the schema's description, else the type valibot expected. */
function describeExpected(issue: Issue | undefined, schema: SchemaNode | undefined, dialect: IssueDialect): string {
  if (issue?.type === 'raw_check' && issue.expected) return issue.expected;
  // The schema's own words (`a positive integer`), else, for a value of the wrong type, the type
  // (`expected string, received number`).
  const description = schema ? v.getDescription(schema as unknown as v.GenericSchema) : undefined;
  if (description) return description;
  if (issue && isWrongType(issue)) return issue.type;
  if (schema?.type === 'picklist' && schema.options) return `one of: ${schema.options.join(', ')}`;
  if (schema?.type === 'literal') return JSON.stringify(schema.literal);
  if (schema?.entries || schema?.type === 'record') return dialect === 'toml' ? 'table' : 'object';
  if (schema?.type === 'array') return 'array';
  switch (issue?.expected) {
    case 'Object':
      return dialect === 'toml' ? 'table' : 'object';
    case 'Array':
      return 'array';
    case null:
    case undefined:
      return schema?.type ?? 'a valid value';
    default:
      return issue!.expected;
  }
}

/** The lines for an unknown key: every unknown key of the object, with the keys it may have. */
function unknownKeyLines(issue: Issue, path: PathKey[], root: SchemaNode, dialect: IssueDialect, top: number): FormattedIssue[] {
  const parentPath = path.slice(0, -1);
  const parent = schemaAt(root, parentPath);
  const known = parent?.entries ? Object.keys(parent.entries) : [];
  const container = issue.path?.at(-1)?.input;
  const given = container && typeof container === 'object' ? Object.keys(container) : [path.at(-1) as string];
  // A TOML program's top-level tables are sections; an argument's (or code's) keys are options.
  const what = parentPath.length > top || (dialect !== 'options' && top > 0) || dialect === 'json' ? 'unknown key' : dialect === 'toml' ? 'unknown section' : 'unknown option';
  return given
    .filter((key) => !known.includes(key))
    .map((key) => {
      const keyPath = [...parentPath, key];
      const near = nearestName(key, known);
      const hint = near === undefined ? '' : ` did you mean ${parentPath.length === 0 && dialect === 'toml' ? `[${near}]` : near}?`;
      return { keyPath: dottedPath(keyPath), text: `${shownPath(keyPath, dialect)}: ${what};${hint} expected one of: ${known.join(', ')}` };
    });
}

/** The lines for one issue (several for a union whose branches failed deeper, or for unknown keys). */
function explain(issue: Issue, prefix: PathKey[], root: SchemaNode, dialect: IssueDialect, top = prefix.length): FormattedIssue[] {
  const path = [...prefix, ...pathKeys(issue)];
  if (issue.type === 'union' && issue.issues) {
    const deeper = issue.issues.filter((sub) => (sub.path?.length ?? 0) > 0);
    if (deeper.length > 0) return deeper.flatMap((sub) => explain(sub, path, root, dialect, top));
  }
  const last = issue.path?.at(-1);
  const shown = shownPath(path, dialect);
  const keyPath = dottedPath(path);
  if (last?.type === 'object' && last.origin === 'key') {
    if (issue.expected === 'never') return unknownKeyLines(issue, path, root, dialect, top);
    if (path.length === 1 && dialect === 'toml') return [{ keyPath, text: `${shown}: missing section` }];
    return [{ keyPath, text: `${shown}: missing; expected ${describeExpected(undefined, schemaAt(root, path), dialect)}` }];
  }
  const schema = schemaAt(root, path);
  if (issue.type === 'raw_check' && last?.type === 'object' && !Object.hasOwn(last.input, last.key) && issue.input === undefined) {
    return [{ keyPath, text: `${shown}: missing; expected ${describeExpected(issue, schema, dialect)}` }];
  }
  if (issue.type === 'picklist' && schema?.type === 'picklist') {
    const near = typeof issue.input === 'string' ? nearestName(issue.input, (schema.options ?? []).map(String)) : undefined;
    const hint = near === undefined ? '' : ` did you mean ${JSON.stringify(near)}?`;
    return [{ keyPath, text: `${shown}: unknown value ${valueOrType(issue.input, dialect)};${hint} expected ${describeExpected(issue, schema, dialect)}` }];
  }
  return [{ keyPath, text: `${shown}: expected ${describeExpected(issue, schema, dialect)}, received ${describeReceived(issue, dialect)}` }];
}

/**
 * One line per problem in `issues` (from `v.safeParse(schema, ...)`), in the order valibot found
 * them, without repeats.
 *
 * @param name - What the value is called, when it is an argument (`options`): key paths then start
 *   with it (`options.maxIterations`), and the value itself is called by it.
 */
export function formatIssues(
  issues: readonly Issue[],
  schema: v.GenericSchema,
  dialect: IssueDialect,
  name?: string,
): FormattedIssue[] {
  const root = (name === undefined ? schema : { type: 'object', entries: { [name]: schema } }) as unknown as SchemaNode;
  const prefix = name === undefined ? [] : [name];
  const seen = new Set<string>();
  return issues
    .flatMap((issue) => explain(issue, prefix, root, dialect))
    .filter((line) => !seen.has(line.text) && Boolean(seen.add(line.text)));
}
