/**
 * Tool approvals: a tool may require approval (`requireApproval: true` on the tool, or its name
 * matching `[tools] require_approval`). Unless a `beforeToolCall` hook allows or denies such a call,
 * the run pauses before it: `run()` resolves with `stopReason: 'awaiting_approval'`, the calls wait
 * in `process.pendingApprovals`, and `approve()` / `deny()` then `resume()` carry on.
 *
 * @module
 */
import { ApprovalError, InvalidArgumentError } from '../errors.js';
import type { Tool } from '../tools/tool.js';
import { matchesAnyToolGlob } from '../tools/tool-name-glob.js';
import { isPlainObject } from './hook-answers.js';

/** A tool call waiting for `process.approve(id)` or `process.deny(id, reason)`. */
export interface PendingApproval {
  /** The id to approve or deny: the call's `tool_use` id. */
  id: string;
  toolName: string;
  /** The arguments it will run with when approved as is (a hook's, when one changed them). */
  args: Record<string, unknown>;
}

/** A tool call of a paused batch and what was decided about it (plain data, kept in snapshots). */
export interface ApprovalRecord extends PendingApproval {
  /** `pending` until `approve()` or `deny()`. */
  status: 'pending' | 'approved' | 'denied';
  /** The model's arguments, when it is to run with others. */
  originalArgs?: Record<string, unknown> | undefined;
  /** Why it was denied. */
  reason?: string | undefined;
}

/** Whether `tool` requires approval: its own `requireApproval`, or a glob of the program's `requireApproval` matching its name. */
export function toolRequiresApproval(tool: Tool | undefined, globs: readonly string[]): boolean {
  if (!tool) return false;
  return tool.requireApproval === true || matchesAnyToolGlob(globs, tool.name);
}

/** The calls still waiting for a decision, as plain copies. */
export function pendingOf(records: readonly ApprovalRecord[]): PendingApproval[] {
  return records.filter((record) => record.status === 'pending').map(({ id, toolName, args }) => ({ id, toolName, args: structuredClone(args) }));
}

/**
 * Records a decision on the call `id` (it may be changed until the run resumes).
 * @throws {ApprovalError} when no call `id` is waiting for approval.
 * @throws {InvalidArgumentError} when `args` is not an object or `reason` not a string.
 */
export function decideApproval(
  records: ApprovalRecord[],
  id: string,
  decision: { approve: true; args?: Record<string, unknown> | undefined } | { approve: false; reason: string },
): void {
  const record = records.find((candidate) => candidate.id === id);
  if (!record) throw new ApprovalError(String(id), records.filter((candidate) => candidate.status === 'pending').map((candidate) => candidate.id));
  if (decision.approve) {
    if (decision.args !== undefined && !isPlainObject(decision.args)) throw new InvalidArgumentError('options.args', 'expected an object of arguments');
    if (decision.args !== undefined) {
      record.originalArgs ??= record.args;
      record.args = structuredClone(decision.args);
    }
    record.status = 'approved';
    delete record.reason;
  } else {
    if (typeof decision.reason !== 'string') throw new InvalidArgumentError('reason', `expected a string, received ${typeof decision.reason}`);
    record.status = 'denied';
    record.reason = decision.reason;
  }
}
