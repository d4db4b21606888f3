/**
 * The worker's side: `createRunWorker()` is a BullMQ worker whose jobs are llmproc runs. Each job
 * restores its conversation from Redis (or starts it), runs, saves a checkpoint after every model
 * call and tool batch, and completes with the RunResult as JSON. A job handed over after its
 * worker died resumes from the last checkpoint: the API calls it made are in the checkpointed
 * RunResult, and tools whose results were checkpointed do not run again (a tool that was running
 * when the worker died does: tools run at least once). Checkpoints are fenced by the job's lock
 * (see checkpoint-fence.ts): a worker that lost the job to another stops its run without writing.
 *
 * @module
 */
import { DelayedError, type ConnectionOptions, type Job, Queue, Worker } from 'bullmq';
import { RunQueueError } from '../errors.js';
import type { LLMProcess } from '../process/llm-process.js';
import type { StartOptions } from '../process/start.js';
import { LLMProgram } from '../program/llm-program.js';
import { RunResult } from '../results/run-result.js';
import type { RestoreOptions } from '../snapshot/restore.js';
import { ConversationOrder } from './conversation-order.js';
import type { CheckpointFence } from './checkpoint-fence.js';
import { CheckpointFencedError, type ConversationRecord, ConversationStore, type RedisCommands } from './conversation-store.js';
import type { LLMProcJobData, RunJobResult, RunProgress } from './job-data.js';

/** Options of {@link createRunWorker}. */
export interface RunWorkerOptions {
  /** The Redis connection (an ioredis instance with `maxRetriesPerRequest: null`, or options). */
  connection: ConnectionOptions;
  /** The queue's name (default `llmproc-runs`); `enqueueRun()` must use the same. */
  queueName?: string | undefined;
  /** How many runs this worker carries out at once (default 1); one at a time per conversation regardless. */
  concurrency?: number | undefined;
  /** Programs by name: jobs name one of these, or a TOML path this worker can read. */
  programs?: Readonly<Record<string, LLMProgram | string>> | undefined;
  /** The options every process starts (or is restored) with: API key, base URL, hooks, tools. Never stored in Redis. */
  startOptions?: RestoreOptions | undefined;
  /** How long a job waits, in ms, before it tries again while another run of its conversation goes on (default 200). */
  retryDelayMs?: number | undefined;
  /** BullMQ's job lock, in ms: a worker that stops renewing it (it died) loses the job (default BullMQ's 30000). */
  lockDuration?: number | undefined;
  /** How often, in ms, this worker looks for jobs whose worker died (default BullMQ's 30000). */
  stalledInterval?: number | undefined;
  /** How many times a job may be handed over after its worker died before it fails (default 1). */
  maxStalledCount?: number | undefined;
}

/** A running worker of llmproc jobs. */
export interface RunWorker {
  /** The BullMQ worker (its events: `completed`, `failed`, ...). */
  readonly worker: Worker<LLMProcJobData, RunJobResult>;
  /** Stops taking jobs, waits for the runs in progress, and closes the worker's BullMQ connections. */
  close(): Promise<void>;
}

/** The default queue name of `createRunWorker()` and the examples. */
export const DEFAULT_RUN_QUEUE = 'llmproc-runs';

/**
 * Starts a BullMQ worker of llmproc runs on `options.queueName`.
 */
export function createRunWorker(options: RunWorkerOptions): RunWorker {
  const queueName = options.queueName ?? DEFAULT_RUN_QUEUE;
  const queue = new Queue<LLMProcJobData, RunJobResult>(queueName, { connection: options.connection });
  const programs = options.programs ?? {};
  const startOptions = options.startOptions ?? {};
  const retryDelayMs = options.retryDelayMs ?? 200;
  const redis = async () => (await queue.getBackend().client) as unknown as RedisCommands;

  const worker: Worker<LLMProcJobData, RunJobResult> = new Worker<LLMProcJobData, RunJobResult>(
    queueName,
    async (job, token) => {
      const { conversationId } = job.data;
      const order = new ConversationOrder(await redis(), queueName, conversationId);
      if (!(await order.isTurn(job.id!, async (id) => queue.getJobState(id)))) {
        await job.moveToDelayed(Date.now() + retryDelayMs, token);
        throw new DelayedError();
      }
      const fence: CheckpointFence = { lockKey: `${queue.toKey(job.id!)}:lock`, token: token ?? '' };
      try {
        const result = await runJob(job, new ConversationStore(await redis(), queueName), programs, startOptions, fence);
        await order.remove(job.id!);
        return result;
      } catch (error) {
        if (error instanceof CheckpointFencedError) {
          // The job is another worker's now: BullMQ cannot record this failure on it (the lock is
          // gone), so the worker's `error` event says it; the conversation's order is left alone.
          worker.emit('error', error);
          throw error;
        }
        if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await order.remove(job.id!);
        throw error;
      }
    },
    {
      connection: options.connection,
      concurrency: options.concurrency ?? 1,
      ...(options.lockDuration === undefined ? {} : { lockDuration: options.lockDuration }),
      ...(options.stalledInterval === undefined ? {} : { stalledInterval: options.stalledInterval }),
      ...(options.maxStalledCount === undefined ? {} : { maxStalledCount: options.maxStalledCount }),
    },
  );
  return {
    worker,
    async close() {
      await worker.close();
      await queue.close();
    },
  };
}

/** The program `name` names: a registered one, or the TOML file at that path. */
function programNamed(name: string, programs: Readonly<Record<string, LLMProgram | string>>, conversationId: string, jobId: string | undefined): LLMProgram {
  const registered = Object.hasOwn(programs, name) ? programs[name] : undefined;
  const target = registered ?? name;
  if (typeof target !== 'string') return target;
  try {
    return LLMProgram.fromToml(target);
  } catch (error) {
    const known = Object.keys(programs);
    throw new RunQueueError(
      `the job's program "${name}" is not registered with this worker${known.length ? ` (registered: ${known.join(', ')})` : ''} and could not be loaded as a TOML file: ${error instanceof Error ? error.message : String(error)}`,
      { conversationId, jobId, cause: error },
    );
  }
}

/** What the job completes with, from a run's RunResult. */
function jobResult(conversationId: string, runResult: RunResult): RunJobResult {
  return {
    conversationId,
    stopReason: runResult.stopReason,
    runResult: runResult.toJSON(),
    pendingApprovals: runResult.pendingApprovals.map((approval) => ({ ...approval, args: { ...approval.args } })),
  };
}

/** Carries out one job: restore or start, run or resume, checkpoint as it goes. */
async function runJob(
  job: Job<LLMProcJobData, RunJobResult>,
  store: ConversationStore,
  programs: Readonly<Record<string, LLMProgram | string>>,
  startOptions: RestoreOptions,
  fence: CheckpointFence,
): Promise<RunJobResult> {
  const data = job.data;
  const jobId = job.id!;
  const { conversationId } = data;
  const record = await store.load(conversationId);
  const mine = record?.jobId === jobId;
  // This job's run ended, but the worker died before BullMQ heard of it.
  if (mine && record.step === 'final' && record.result) return record.result;
  const programName = data.kind === 'run' ? data.program : record?.program;
  if (programName === undefined) throw new RunQueueError(`conversation "${conversationId}" has no paused run to approve`, { conversationId, jobId });
  const program = programNamed(programName, programs, conversationId, jobId);
  const restoreOptions: RestoreOptions = { ...startOptions, tools: [...(startOptions.tools ?? []), ...program.functionTools.filter((tool) => !startOptions.tools?.some((given) => given.name === tool.name))] };

  let process: LLMProcess;
  let resume = false;
  if (mine && record.snapshot.run) {
    // Handed over after a crash: continue from this job's last checkpoint.
    process = await LLMProgram.restore(record.snapshot, restoreOptions);
    resume = true;
    if (record.step === 'awaiting_approval') {
      await process.close();
      return jobResult(conversationId, RunResult.fromJSON(record.snapshot.run.result));
    }
  } else if (data.kind === 'resume') {
    if (!record?.snapshot.run || record.step !== 'awaiting_approval') {
      throw new RunQueueError(`conversation "${conversationId}" has no run paused for approval`, { conversationId, jobId });
    }
    process = await LLMProgram.restore(record.snapshot, restoreOptions);
    resume = true;
    try {
      for (const decision of data.decisions) {
        if ('deny' in decision) process.deny(decision.id, decision.deny);
        else process.approve(decision.id, { args: decision.args });
      }
    } catch (error) {
      await process.close();
      throw error;
    }
  } else {
    process = record ? await LLMProgram.restore(record.snapshot, restoreOptions) : await program.start(startOptions as StartOptions);
  }

  // Checkpoints and progress go to Redis in the order they happen, one after the other. A
  // checkpoint refused because the job's lock is gone stops the run at once: the job is another
  // worker's now, and this one must neither call the model nor run tools for it any more.
  let chain: Promise<void> = Promise.resolve();
  let failure: unknown;
  const fenced = new AbortController();
  const later = (work: () => Promise<void>) => {
    chain = chain.then(work).catch((error: unknown) => {
      // Losing the lock explains every other failure of the job's writes (its job may be gone too).
      if (error instanceof CheckpointFencedError && !(failure instanceof CheckpointFencedError)) failure = error;
      failure ??= error;
      if (error instanceof CheckpointFencedError) fenced.abort(error);
    });
  };
  const progress = (value: RunProgress) => later(() => job.updateProgress(value));
  process.on('checkpoint', ({ step, snapshot }) => later(() => store.save(conversationId, { jobId, program: programName, step, snapshot }, fence)));
  process.on('tool:start', ({ toolName, toolUseId, child }) => {
    if (!child) progress({ event: 'tool:start', toolName, toolUseId });
  });
  process.on('tool:end', ({ toolName, toolUseId, isError, durationMs, decision, child }) => {
    if (!child) progress({ event: 'tool:end', toolName, toolUseId, isError, durationMs, decision });
  });
  process.on('api:call', ({ model, stopReason, tokens, durationMs, costUsd, child }) => {
    if (!child) progress({ event: 'api:call', model, stopReason, inputTokens: tokens.inputTokens, outputTokens: tokens.outputTokens, durationMs, costUsd });
  });
  process.on('text', ({ delta }) => progress({ event: 'text', delta }));

  try {
    const runOptions = { ...data.runOptions, signal: fenced.signal };
    let runResult: RunResult;
    try {
      runResult = resume ? await process.resume(runOptions) : await process.run((data as { prompt: string }).prompt, runOptions);
    } catch (error) {
      await chain;
      throw failure instanceof CheckpointFencedError ? failure : error;
    }
    await chain;
    if (failure instanceof CheckpointFencedError) throw failure;
    if (failure !== undefined) {
      throw new RunQueueError(`a checkpoint of conversation "${conversationId}" could not be saved: ${failure instanceof Error ? failure.message : String(failure)}`, {
        conversationId,
        jobId,
        cause: failure,
      });
    }
    const result = jobResult(conversationId, runResult);
    const final: ConversationRecord = { jobId, program: programName, step: result.stopReason === 'awaiting_approval' ? 'awaiting_approval' : 'final', snapshot: process.snapshot(), result };
    await store.save(conversationId, final, fence);
    return result;
  } finally {
    await chain;
    await process.close();
  }
}
