/**
 * What each hook may answer, checked: a hook's answer is obeyed, so anything else (a typo, a wrong
 * type, two decisions at once) is refused as a failure of the hook, which then fails closed.
 *
 * @module
 */
import type { ToolResult } from '../tools/tool.js';

/** A checked answer, or what is wrong with it. */
export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

/** What `beforeToolCall` decided, checked. */
export type ToolCallAnswer =
  | { kind: 'none' }
  | { kind: 'args'; args: Record<string, unknown>; allow: boolean }
  | { kind: 'allow' }
  | { kind: 'deny'; reason: string }
  | { kind: 'pause' };

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value) && [Object.prototype, null].includes(Object.getPrototypeOf(value));

const describe = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
};

/** Refuses keys other than `allowed` in an answer object. */
function unknownKeys(answer: Record<string, unknown>, allowed: readonly string[]): string | undefined {
  const extra = Object.keys(answer).filter((key) => !allowed.includes(key) && answer[key] !== undefined);
  return extra.length > 0 ? `answered with unknown key${extra.length > 1 ? 's' : ''} ${extra.join(', ')} (it may answer ${allowed.map((key) => `{ ${key} }`).join(', ')} or nothing)` : undefined;
}

/** `beforeRun`: nothing, or `{ input }` with a non-empty string or an array of content parts (checked by the caller). */
export function checkBeforeRunAnswer(answer: unknown): Checked<unknown> {
  if (answer === undefined || answer === null) return { ok: true, value: undefined };
  if (!isPlainObject(answer)) return { ok: false, problem: `answered ${describe(answer)}, not { input } or nothing` };
  const extra = unknownKeys(answer, ['input']);
  if (extra) return { ok: false, problem: extra };
  const input = answer['input'];
  if (input === undefined) return { ok: true, value: undefined };
  if (Array.isArray(input)) return { ok: true, value: input };
  if (typeof input !== 'string' || input.trim() === '') return { ok: false, problem: `answered { input: ${describe(input)} }, not a non-empty string or content parts` };
  return { ok: true, value: input };
}

/** `beforeModelCall`: nothing, or `{ stop: reason }`. */
export function checkBeforeModelCallAnswer(answer: unknown): Checked<string | undefined> {
  if (answer === undefined || answer === null) return { ok: true, value: undefined };
  if (!isPlainObject(answer)) return { ok: false, problem: `answered ${describe(answer)}, not { stop } or nothing` };
  const extra = unknownKeys(answer, ['stop']);
  if (extra) return { ok: false, problem: extra };
  if (answer['stop'] === undefined) return { ok: true, value: undefined };
  if (typeof answer['stop'] !== 'string') return { ok: false, problem: `answered { stop: ${describe(answer['stop'])} }, not a string reason` };
  return { ok: true, value: answer['stop'] };
}

/** `beforeToolCall`: nothing, `{ args }`, `{ allow: true }`, `{ allow: true, args }`, `{ deny: reason }` or `{ pause: true }`. */
export function checkBeforeToolCallAnswer(answer: unknown): Checked<ToolCallAnswer> {
  if (answer === undefined || answer === null) return { ok: true, value: { kind: 'none' } };
  if (!isPlainObject(answer)) return { ok: false, problem: `answered ${describe(answer)}, not a decision object or nothing` };
  const extra = unknownKeys(answer, ['args', 'allow', 'deny', 'pause']);
  if (extra) return { ok: false, problem: extra };
  const { args, allow, deny, pause } = answer;
  const given = [args !== undefined && 'args', allow !== undefined && 'allow', deny !== undefined && 'deny', pause !== undefined && 'pause'].filter(Boolean);
  if (deny !== undefined || pause !== undefined) {
    if (given.length > 1) return { ok: false, problem: `answered ${given.join(' and ')} at once` };
    if (deny !== undefined) return typeof deny === 'string' ? { ok: true, value: { kind: 'deny', reason: deny } } : { ok: false, problem: `answered { deny: ${describe(deny)} }, not a string reason` };
    return pause === true ? { ok: true, value: { kind: 'pause' } } : { ok: false, problem: `answered { pause: ${describe(pause)} }, not { pause: true }` };
  }
  if (allow !== undefined && allow !== true && allow !== false) return { ok: false, problem: `answered { allow: ${describe(allow)} }, not a boolean` };
  if (args !== undefined) {
    if (!isPlainObject(args)) return { ok: false, problem: `answered { args: ${describe(args)} }, not an object of arguments` };
    return { ok: true, value: { kind: 'args', args, allow: allow === true } };
  }
  return { ok: true, value: allow === true ? { kind: 'allow' } : { kind: 'none' } };
}

/** `afterToolCall`: nothing, or `{ result }` with a `{ content, isError }` result. */
export function checkAfterToolCallAnswer(answer: unknown): Checked<ToolResult | undefined> {
  if (answer === undefined || answer === null) return { ok: true, value: undefined };
  if (!isPlainObject(answer)) return { ok: false, problem: `answered ${describe(answer)}, not { result } or nothing` };
  const extra = unknownKeys(answer, ['result']);
  if (extra) return { ok: false, problem: extra };
  const result = answer['result'];
  if (result === undefined) return { ok: true, value: undefined };
  if (!isToolResult(result)) return { ok: false, problem: 'answered a result that is not { content: string | parts, isError: boolean }' };
  return { ok: true, value: result };
}

/** Whether `value` has the shape of a {@link ToolResult}. */
export function isToolResult(value: unknown): value is ToolResult {
  if (value === null || typeof value !== 'object') return false;
  const { content, isError } = value as Partial<ToolResult>;
  return (typeof content === 'string' || Array.isArray(content)) && typeof isError === 'boolean';
}

/** Whether `value` is a plain object (arguments of a tool call). */
export { isPlainObject };
