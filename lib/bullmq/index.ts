/**
 * `llmproc/bullmq`: llmproc runs as BullMQ jobs on Redis, for many workers on many machines.
 * Checkpoints live in Redis, so a job whose worker died resumes on another; runs of one
 * conversation never overlap. Needs the optional `bullmq` package (and a Redis client such as
 * `ioredis`); `import 'llmproc'` never loads it.
 *
 * @module
 */
export { approveRun, enqueueRun } from './enqueue.js';
export type { EnqueueRunOptions, RunQueue } from './enqueue.js';
export { createRunWorker, DEFAULT_RUN_QUEUE } from './run-worker.js';
export type { RunWorker, RunWorkerOptions } from './run-worker.js';
export { CheckpointFencedError, conversationKey } from './conversation-store.js';
export type { ConversationRecord } from './conversation-store.js';
export type { ApprovalDecision, LLMProcJobData, QueuedRunOptions, ResumeJobData, RunJobData, RunJobResult, RunProgress } from './job-data.js';
