/**
 * The producer's side: `enqueueRun()` queues a prompt of a conversation, `approveRun()` the
 * decisions on a paused run. Both only write plain data; the workers hold the programs and keys.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { Job, Queue } from 'bullmq';
import { InvalidArgumentError } from '../errors.js';
import { ConversationOrder } from './conversation-order.js';
import type { RedisCommands } from './conversation-store.js';
import type { ApprovalDecision, LLMProcJobData, QueuedRunOptions, RunJobResult } from './job-data.js';

/** What `enqueueRun()` queues. */
export interface EnqueueRunOptions {
  /** A program name registered with the workers (`createRunWorker({ programs })`), or a TOML path they can read. */
  program: string;
  prompt: string;
  /** The conversation this prompt continues (runs of one conversation never overlap); a new one when omitted. */
  conversationId?: string | undefined;
  /** Plain run options (no callbacks, hooks or signals: those are the worker's). */
  runOptions?: QueuedRunOptions | undefined;
}

/** A queue of llmproc runs. */
export type RunQueue = Queue<LLMProcJobData, RunJobResult>;

async function addInOrder(queue: RunQueue, name: string, data: LLMProcJobData): Promise<Job<LLMProcJobData, RunJobResult>> {
  const jobId = randomUUID();
  const order = new ConversationOrder((await queue.getBackend().client) as unknown as RedisCommands, queue.name, data.conversationId);
  await order.append(jobId);
  try {
    return await queue.add(name, data, { jobId });
  } catch (error) {
    await order.remove(jobId);
    throw error;
  }
}

/**
 * Queues `prompt` for `program` in `conversationId` (a new conversation when omitted). Returns the
 * BullMQ job: `job.waitUntilFinished(queueEvents)` resolves with its {@link RunJobResult}.
 * @throws {InvalidArgumentError} for a missing program or prompt.
 */
export async function enqueueRun(queue: RunQueue, options: EnqueueRunOptions): Promise<Job<LLMProcJobData, RunJobResult>> {
  if (typeof options?.program !== 'string' || options.program === '') throw new InvalidArgumentError('options.program', 'expected a registered program name or a TOML path');
  if (typeof options.prompt !== 'string') throw new InvalidArgumentError('options.prompt', 'expected a string');
  const conversationId = options.conversationId ?? randomUUID();
  return addInOrder(queue, 'run', { kind: 'run', program: options.program, prompt: options.prompt, conversationId, runOptions: options.runOptions });
}

/**
 * Queues the decisions on the run of `conversationId` that paused for approval (its job completed
 * with `stopReason: 'awaiting_approval'`): a worker restores the paused snapshot, approves or denies
 * each call, and resumes the run. Every waiting call needs a decision.
 */
export async function approveRun(
  queue: RunQueue,
  conversationId: string,
  decisions: readonly ApprovalDecision[],
  runOptions?: QueuedRunOptions,
): Promise<Job<LLMProcJobData, RunJobResult>> {
  if (typeof conversationId !== 'string' || conversationId === '') throw new InvalidArgumentError('conversationId', 'expected the conversation id of the paused run');
  if (!Array.isArray(decisions)) throw new InvalidArgumentError('decisions', 'expected an array of { id, approve: true } or { id, deny: reason }');
  return addInOrder(queue, 'resume', { kind: 'resume', conversationId, decisions: decisions.map((decision) => ({ ...decision })), runOptions });
}
