/**
 * The issues of a tool's input → one line each, for the model to read and fix its call:
 * `location.city: expected string, received number`, `units: expected "c" | "f", received "k"`,
 * `units: missing`, `extra: unknown key`. valibot's issues are described from their fields; any
 * other Standard Schema library's by its own message (`city: Invalid input: expected string`).
 *
 * @module
 */
import type * as v from 'valibot';
import { dottedPath } from '../key-path.js';
import type { StandardSchemaV1 } from './schema/standard-schema.js';

type Issue = v.BaseIssue<unknown>;

/** Longest received string shown in full; the model's own input is echoed, so it stays short. */
const MAX_SHOWN_CHARS = 60;

/** One segment of an issue's path: a key, or an object holding it (valibot's, Standard Schema's). */
type PathItem = PropertyKey | { readonly key: unknown };

/** `location.city`, `tags[1]`, `"odd key".x`; `(input)` for the input itself. */
export function formatKeyPath(path: readonly PathItem[] | undefined): string {
  const keys = (path ?? []).map((item) => (typeof item === 'object' && item !== null ? item.key : item));
  if (keys.length === 0) return '(input)';
  return dottedPath(keys.map((key) => (typeof key === 'number' ? key : String(key))));
}

/** A word for the type of `value`: `number`, `array`, `null`, `object`, ... */
function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** A string as a quoted literal, shortened when long. */
function quoted(text: string): string {
  return JSON.stringify(text.length > MAX_SHOWN_CHARS ? `${text.slice(0, MAX_SHOWN_CHARS - 3)}...` : text);
}

/**
 * Whether the value had the wrong type (`expected string, received number`), as opposed to a
 * value of the right type refused by a check or a choice (`expected >=1, received 0`).
 */
function isWrongType(issue: Issue): boolean {
  return issue.kind === 'schema' && ['string', 'number', 'boolean', 'bigint'].includes(issue.type) && typeof issue.input !== issue.type;
}

/** What was received: the type for a wrong type, else the (short) value itself. */
function describeReceived(issue: Issue): string {
  const input = issue.input;
  if (typeof input === 'string') return isWrongType(issue) ? 'string' : quoted(input);
  if (isWrongType(issue) || typeof input === 'object' || typeof input === 'function') return typeName(input);
  return String(input);
}

/** valibot's `expected`, without the parentheses it puts around a list: `"c" | "f"`. */
function describeExpected(issue: Issue): string {
  const expected = issue.expected;
  if (!expected) return 'a valid value';
  if (expected === 'Object') return 'object';
  if (expected === 'Array') return 'array';
  return wrapsWhole(expected) ? expected.slice(1, -1) : expected;
}

/** Whether the first `(` of `text` closes at its very end. */
function wrapsWhole(text: string): boolean {
  if (!text.startsWith('(') || !text.endsWith(')')) return false;
  let depth = 0;
  for (let index = 0; index < text.length; index++) {
    if (text[index] === '(') depth++;
    if (text[index] === ')') depth--;
    if (depth === 0) return index === text.length - 1;
  }
  return false;
}

/** One issue as `keyPath: what is wrong`. */
function describeIssue(issue: Issue): string {
  const keyPath = formatKeyPath(issue.path);
  const last = issue.path?.at(-1);
  if (last?.type === 'object' && last.origin === 'key') {
    return issue.expected === 'never' ? `${keyPath}: unknown key` : `${keyPath}: missing`;
  }
  // A check with nothing to expect (v.check, v.checkAsync) says best what it wants in its message.
  if (!issue.expected && issue.kind === 'validation' && issue.message) return `${keyPath}: ${issue.message}`;
  return `${keyPath}: expected ${describeExpected(issue)}, received ${describeReceived(issue)}`;
}

/**
 * One line per issue of `v.safeParse(...)`, in valibot's order, each starting with the key path:
 * `location.city: expected string, received number`; a required key that is absent is `missing`.
 */
export function describeInputIssues(issues: readonly Issue[]): string[] {
  return [...new Set(issues.map(describeIssue))];
}

/**
 * One line per issue of a Standard Schema library other than valibot, `keyPath: message`, with
 * the library's message (a message that starts with the key path itself, as arktype's do, is not
 * prefixed twice: `city: must be a string (was number)`).
 */
export function describeStandardIssues(issues: readonly StandardSchemaV1.Issue[]): string[] {
  return [
    ...new Set(
      issues.map((issue) => {
        const keyPath = formatKeyPath(issue.path);
        const message = String(issue.message ?? 'invalid value').trim() || 'invalid value';
        const own = message.startsWith(`${keyPath} `) ? message.slice(keyPath.length + 1) : message;
        return `${keyPath}: ${own}`;
      }),
    ),
  ];
}
