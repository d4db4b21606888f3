/**
 * Builds a {@link ProcessSnapshot} from a process's parts: plain copies only, so the snapshot is
 * the caller's to keep, `JSON.stringify` and store.
 *
 * @module
 */
import type { HookName } from '../process/hooks.js';
import { messageIdText, type MessageIds } from '../process/message-ids.js';
import type { RunState } from '../process/run-state.js';
import type { LLMProgram } from '../program/llm-program.js';
import type { Message } from '../providers/types.js';
import type { RunResult } from '../results/run-result.js';
import type { FileDescriptorsData } from '../tools/file-descriptors/store.js';
import { fingerprintOf, programData } from './program-data.js';
import { type ProcessSnapshot, SNAPSHOT_KIND, SNAPSHOT_VERSION } from './snapshot-schema.js';

/** What a snapshot is made of. */
export interface SnapshotParts {
  program: LLMProgram;
  /** The hooks of the process (the program's and `start()`'s). */
  hooks: readonly HookName[];
  /** The system prompt as sent. */
  systemPrompt: string;
  messages: readonly Message[];
  /** The ids of the messages (in step with them). */
  messageIds?: MessageIds | undefined;
  /** The unfinished run, if any. */
  run?: { state: RunState; result: RunResult } | undefined;
  /** The process's file descriptors, if its program uses them. */
  fileDescriptors?: FileDescriptorsData | undefined;
}

/**
 * A snapshot of `parts` (deep copies). It is version 1 unless the process has file descriptors or
 * message ids other than 0, 1, 2, ... (after a rewind or reset), which only version 2 holds: a
 * snapshot without them stays readable by an llmproc that reads version 1 only.
 */
export function createSnapshot(parts: SnapshotParts): ProcessSnapshot {
  const definition = programData(parts.program);
  const fingerprint = fingerprintOf(definition);
  const program: ProcessSnapshot['program'] =
    definition.file === undefined ? { source: 'code', fingerprint, definition } : { source: 'toml', file: definition.file, fingerprint, definition };
  const snapshot: ProcessSnapshot = {
    version: 1,
    kind: SNAPSHOT_KIND,
    createdAt: new Date().toISOString(),
    program,
    hooks: [...parts.hooks],
    systemPrompt: parts.systemPrompt,
    messages: structuredClone(parts.messages) as Message[],
  };
  // Version 2 only when there is something version 1 cannot hold: an older llmproc then says "newer version".
  if (parts.fileDescriptors && parts.fileDescriptors.next > 1) {
    snapshot.version = SNAPSHOT_VERSION;
    snapshot.fileDescriptors = { next: parts.fileDescriptors.next, entries: parts.fileDescriptors.entries.map((entry) => ({ ...entry })) };
  }
  const ids = parts.messageIds?.sync(parts.messages) ?? [];
  // Written only when they are not the default (0, 1, 2, ...: no rewind or reset yet), so most snapshots stay as they were.
  if (parts.messageIds && (parts.messageIds.next !== ids.length || ids.some((id, index) => id !== index))) {
    snapshot.messageIds = ids.map(messageIdText);
    snapshot.nextMessageId = parts.messageIds.next;
    snapshot.version = SNAPSHOT_VERSION;
  }
  if (parts.run) snapshot.run = { state: structuredClone(parts.run.state), result: parts.run.result.toJSON() };
  return snapshot;
}
