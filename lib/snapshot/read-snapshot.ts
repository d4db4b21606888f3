/**
 * Reads a snapshot at the boundary: its version first (a newer one is refused as such), then its
 * shape (valibot, every issue by key path), then what a schema cannot see — a program definition
 * that does not match its fingerprint, a conversation the API would refuse, a run whose results or
 * approvals are not for the calls it waits on, totals that do not add up.
 *
 * @module
 */
import * as v from 'valibot';
import { SnapshotError } from '../errors.js';
import type { Message } from '../providers/types.js';
import { isReturnPoint } from '../process/message-ids.js';
import { RunResult } from '../results/run-result.js';
import { canonicalJson, fingerprintOf } from './program-data.js';
import { type ProcessSnapshot, SNAPSHOT_KIND, SNAPSHOT_VERSION, SnapshotSchema } from './snapshot-schema.js';
import { formatIssues } from '../program/format-issues.js';

/**
 * The snapshot in `input` (a snapshot object, or its JSON text), checked.
 * @throws {SnapshotError} naming the key path of what is wrong.
 */
export function readSnapshot(input: unknown): ProcessSnapshot {
  const data = typeof input === 'string' ? parseJson(input) : input;
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new SnapshotError(`expected a snapshot (the object process.snapshot() returns, or its JSON), received ${data === null ? 'null' : Array.isArray(data) ? 'an array' : typeof data}`);
  }
  const { kind, version } = data as { kind?: unknown; version?: unknown };
  if (kind !== SNAPSHOT_KIND) throw new SnapshotError(`kind: expected "${SNAPSHOT_KIND}", received ${JSON.stringify(kind) ?? 'nothing'}: this is not an llmproc snapshot`, { keyPath: 'kind' });
  if (typeof version === 'number' && Number.isInteger(version) && version > SNAPSHOT_VERSION) {
    throw new SnapshotError(
      `version: this snapshot was written by a newer llmproc (snapshot version ${version}); this one reads version ${SNAPSHOT_VERSION}. Restore it with the llmproc that wrote it, or a newer one.`,
      { keyPath: 'version' },
    );
  }
  const parsed = v.safeParse(SnapshotSchema, data);
  if (!parsed.success) {
    const issues = formatIssues(parsed.issues, SnapshotSchema, 'json');
    throw new SnapshotError(issues.map((issue) => issue.text), { keyPath: issues[0]?.keyPath || undefined });
  }
  const snapshot = parsed.output as ProcessSnapshot;
  checkFingerprint(snapshot);
  checkConversation(snapshot);
  checkMessageIds(snapshot);
  checkRunResult(snapshot);
  checkFileDescriptors(snapshot);
  return snapshot;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SnapshotError(`the snapshot text is not valid JSON (${error instanceof Error ? error.message : String(error)})`, { cause: error });
  }
}

/** The stored definition must be the one its fingerprint was taken of. */
function checkFingerprint(snapshot: ProcessSnapshot): void {
  if (fingerprintOf(snapshot.program.definition) !== snapshot.program.fingerprint) {
    throw new SnapshotError('program.fingerprint: does not match the program definition in the snapshot, which was altered or corrupted', {
      keyPath: 'program.fingerprint',
    });
  }
  if (snapshot.program.source === 'toml' && snapshot.program.definition.file !== snapshot.program.file) {
    throw new SnapshotError('program.file: is not the file of the program definition in the snapshot', { keyPath: 'program.file' });
  }
}

/** The ids of the tool calls of a message (none for a user message). */
const callIds = (message: Message | undefined): string[] =>
  message?.role === 'assistant' ? message.content.flatMap((part) => (part.type === 'tool_call' ? [part.id] : [])) : [];

/**
 * Every tool call is answered in the next message, and every result answers a call of the message
 * before; only an unfinished run waiting on its tools may end with calls not yet answered, and its
 * results and approvals must be for those calls.
 */
function checkConversation(snapshot: ProcessSnapshot): void {
  const { messages, run } = snapshot;
  const fail = (keyPath: string, problem: string): never => {
    throw new SnapshotError(`${keyPath}: ${problem}`, { keyPath });
  };
  for (const [i, message] of messages.entries()) {
    const calls = callIds(message);
    if (new Set(calls).size !== calls.length) fail(`messages[${i}].content`, 'two tool calls have one id');
    if (message.role === 'user') {
      const asked = callIds(messages[i - 1]);
      const answered = message.content.flatMap((part) => (part.type === 'tool_result' ? [part.toolCallId] : []));
      for (const [k, id] of answered.entries()) {
        if (!asked.includes(id)) fail(`messages[${i}].content`, `the tool result for "${id}" answers no tool call of the message before`);
        if (answered.indexOf(id) !== k) fail(`messages[${i}].content`, `the tool call "${id}" is answered twice`);
      }
    }
    if (calls.length === 0) continue;
    const next = messages[i + 1];
    if (next === undefined) {
      if (run?.state.next !== 'tools') fail(`messages[${i}]`, 'ends with tool calls that have no results, but the snapshot has no run waiting on its tools');
      continue;
    }
    const answered = next.role === 'user' ? next.content.flatMap((part) => (part.type === 'tool_result' ? [part.toolCallId] : [])) : [];
    const missing = calls.filter((id) => !answered.includes(id));
    if (missing.length > 0) fail(`messages[${i + 1}]`, `does not answer the tool call${missing.length > 1 ? 's' : ''} ${missing.join(', ')} of the message before`);
  }
  if (!run) return;
  const { state } = run;
  const waiting = state.next === 'tools' ? callIds(messages.at(-1)) : [];
  if (state.next === 'tools' && (messages.at(-1) === undefined || waiting.length === 0 || messages.at(-1)!.role !== 'assistant')) {
    fail('run.state.next', 'is "tools", but the conversation does not end with tool calls');
  }
  for (const id of Object.keys(state.results)) if (!waiting.includes(id)) fail(`run.state.results.${id}`, 'is the result of no tool call the run waits on');
  for (const [k, approval] of state.approvals.entries()) {
    if (!waiting.includes(approval.id)) fail(`run.state.approvals[${k}].id`, `"${approval.id}" is no tool call the run waits on`);
  }
  if (state.iteration > state.options.maxIterations) fail('run.state.iteration', `is past the run's maxIterations (${state.options.maxIterations})`);
}

/**
 * Message ids, when written, are one per message, increasing, below `nextMessageId`; a pending
 * rewind returns to one of them, a user message that answers no tool call.
 */
function checkMessageIds(snapshot: ProcessSnapshot): void {
  const { messages, messageIds, nextMessageId, run } = snapshot;
  if ((messageIds === undefined) !== (nextMessageId === undefined)) {
    const keyPath = messageIds === undefined ? 'messageIds' : 'nextMessageId';
    throw new SnapshotError(`${keyPath}: is missing; messageIds and nextMessageId go together`, { keyPath });
  }
  const ids = messageIds?.map((id) => Number(id.slice('msg_'.length))) ?? messages.map((_, index) => index);
  const next = nextMessageId ?? messages.length;
  if (ids.length !== messages.length) throw new SnapshotError(`messageIds: has ${ids.length} ids for ${messages.length} messages`, { keyPath: 'messageIds' });
  for (const [k, id] of ids.entries()) {
    if (k > 0 && id <= ids[k - 1]!) throw new SnapshotError(`messageIds[${k}]: is not after the id before it; ids increase`, { keyPath: `messageIds[${k}]` });
    if (id >= next) throw new SnapshotError(`messageIds[${k}]: is not below nextMessageId (${next})`, { keyPath: `messageIds[${k}]` });
  }
  const rewind = run?.state.rewind;
  if (!rewind) return;
  const index = ids.indexOf(Number(/^msg_(\d+)$/.exec(rewind.to)?.[1] ?? NaN));
  if (index === -1 || !isReturnPoint(messages, index) || index === messages.length - 1) {
    throw new SnapshotError(`run.state.rewind.to: "${rewind.to}" is not an earlier user message of the conversation that the run can go back to`, { keyPath: 'run.state.rewind.to' });
  }
}

/** The RunResult's totals are those of its calls. */
function checkRunResult(snapshot: ProcessSnapshot): void {
  const json = snapshot.run?.result;
  if (!json) return;
  const rebuilt = RunResult.fromJSON(json).toJSON();
  for (const key of ['apiCalls', 'usage', 'costUsd'] as const) {
    if (canonicalJson(rebuilt[key]) !== canonicalJson(json[key])) {
      throw new SnapshotError(`run.result.${key}: is not the total of run.result.apiCallInfos (${canonicalJson(json[key])}, but the calls add up to ${canonicalJson(rebuilt[key])})`, {
        keyPath: `run.result.${key}`,
      });
    }
  }
}

/** File descriptors come with version 2, each id once, each below the next id to give. */
function checkFileDescriptors(snapshot: ProcessSnapshot): void {
  const data = snapshot.fileDescriptors;
  if (!data) return;
  if (snapshot.version < 2) throw new SnapshotError('fileDescriptors: only a version 2 snapshot holds file descriptors, and this one says version 1', { keyPath: 'fileDescriptors' });
  const seen = new Set<string>();
  for (const [i, entry] of data.entries.entries()) {
    const keyPath = `fileDescriptors.entries[${i}].fd`;
    if (seen.has(entry.fd)) throw new SnapshotError(`${keyPath}: ${entry.fd} is in the snapshot twice`, { keyPath });
    if (Number(entry.fd.slice(3)) >= data.next) throw new SnapshotError(`${keyPath}: ${entry.fd} is not below fileDescriptors.next (${data.next})`, { keyPath });
    seen.add(entry.fd);
  }
}
