/**
 * One run at a time per conversation, in the order they were enqueued. `enqueueRun()` appends the
 * job id to the conversation's order list (`RPUSH`) before adding the job; a worker runs a job only
 * when it is at the head of that list, and moves it to BullMQ's delayed set otherwise (it is tried
 * again shortly). The job leaves the list when its run ends (completed, or failed for the last
 * time). A job handed to another worker after a crash is still at the head, so it runs there at
 * once. A head whose job is finished (failed after too many stalls) is dropped by the next job.
 *
 * @module
 */
import { conversationKey, type RedisCommands } from './conversation-store.js';

/** The state of a job, as BullMQ tells it (`undefined`: no such job yet). */
export type JobStateOf = (jobId: string) => Promise<string | undefined>;

/** The order list of one conversation. */
export class ConversationOrder {
  readonly #redis: RedisCommands;
  readonly #key: string;
  constructor(redis: RedisCommands, queueName: string, conversationId: string) {
    this.#redis = redis;
    this.#key = conversationKey(queueName, conversationId, 'order');
  }

  /** Appends `jobId` to the conversation's runs. */
  async append(jobId: string): Promise<void> {
    await this.#redis.runCommand('rpush', [this.#key, jobId]);
  }

  /** Removes `jobId` (its run ended, or it was never added). */
  async remove(jobId: string): Promise<void> {
    await this.#redis.runCommand('lrem', [this.#key, 0, jobId]);
  }

  /**
   * Whether `jobId` may run now: it is at the head (or the list is empty: a job added without
   * `enqueueRun`). Heads whose jobs are completed or failed are dropped on the way.
   */
  async isTurn(jobId: string, stateOf: JobStateOf): Promise<boolean> {
    for (;;) {
      const head = (await this.#redis.runCommand('lindex', [this.#key, 0])) as string | null;
      if (head === null || head === jobId) return true;
      const state = await stateOf(head);
      if (state !== 'completed' && state !== 'failed') return false;
      await this.remove(head);
    }
  }
}
