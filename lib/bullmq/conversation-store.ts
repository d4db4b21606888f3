/**
 * Where a conversation lives in Redis, between jobs and across workers:
 *
 * - `llmproc:{queue}:conversation:{id}:checkpoint` — JSON of a {@link ConversationRecord}: the last
 *   snapshot of the conversation (a checkpoint mid-run, a paused run, or the finished state), the job
 *   that wrote it, the program, and, once that job's run ended, its result.
 * - `llmproc:{queue}:conversation:{id}:order` — a list of the conversation's job ids, oldest first:
 *   only the job at its head runs (see `conversation-order.ts`).
 *
 * @module
 */
import type { CheckpointStep } from '../process/events.js';
import type { ProcessSnapshot } from '../snapshot/snapshot-schema.js';
import type { RunJobResult } from './job-data.js';

/** The little of a Redis client this module needs (BullMQ's `IRedisClient`). */
export interface RedisCommands {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<unknown>;
  runCommand(name: string, args: unknown[]): Promise<unknown>;
}

/** What is kept of a conversation: its last snapshot and who wrote it. */
export interface ConversationRecord {
  /** The job whose run wrote the snapshot. */
  jobId: string;
  /** The program, as the job named it (a registered name or a TOML path). */
  program: string;
  /** What the snapshot was taken after (`final`: the job's run ended). */
  step: CheckpointStep | 'final';
  snapshot: ProcessSnapshot;
  /** Set with `step: 'final'`: what the job completes with. */
  result?: RunJobResult | undefined;
}

/** The Redis key of `conversationId`'s `part` in `queueName`. */
export function conversationKey(queueName: string, conversationId: string, part: 'checkpoint' | 'order'): string {
  return `llmproc:${queueName}:conversation:${conversationId}:${part}`;
}

/** Reads and writes a queue's conversation records. */
export class ConversationStore {
  readonly #redis: RedisCommands;
  readonly #queueName: string;
  constructor(redis: RedisCommands, queueName: string) {
    this.#redis = redis;
    this.#queueName = queueName;
  }

  /** The record of `conversationId`, or `undefined` for a new conversation. */
  async load(conversationId: string): Promise<ConversationRecord | undefined> {
    const text = await this.#redis.get(conversationKey(this.#queueName, conversationId, 'checkpoint'));
    return text === null ? undefined : (JSON.parse(text) as ConversationRecord);
  }

  /** Replaces the record of `conversationId`. */
  async save(conversationId: string, record: ConversationRecord): Promise<void> {
    await this.#redis.set(conversationKey(this.#queueName, conversationId, 'checkpoint'), JSON.stringify(record));
  }
}
