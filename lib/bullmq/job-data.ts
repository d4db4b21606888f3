/**
 * What a queued run's BullMQ job carries, returns and reports: plain JSON, and never a secret (the
 * start options, with the API key, stay in the worker).
 *
 * @module
 */
import type { PendingApproval } from '../process/approvals.js';
import type { RunStopReason, RunResultJSON } from '../results/run-result.js';

/** The run options a job may carry: plain data only (callbacks, hooks and signals stay in the worker). */
export interface QueuedRunOptions {
  maxIterations?: number | undefined;
  timeoutMs?: number | undefined;
  /** Stream the model's text: `text` progress reaches `QueueEvents` listeners. */
  stream?: boolean | undefined;
  toolConcurrency?: number | undefined;
  maxTokens?: number | undefined;
  maxCostUsd?: number | undefined;
  /** Automatic prompt caching (default true; see `RunOptions.promptCaching`). */
  promptCaching?: boolean | undefined;
  /** `5m` (default) or `1h`. */
  promptCacheTtl?: '5m' | '1h' | undefined;
}

/** A decision on a tool call that waits for approval: approve it (maybe with other arguments) or deny it. */
export type ApprovalDecision = { id: string; approve: true; args?: Record<string, unknown> | undefined } | { id: string; deny: string };

/** The data of a job that runs a prompt. */
export interface RunJobData {
  kind: 'run';
  /** A program name registered with the worker, or a TOML path the worker can read. */
  program: string;
  prompt: string;
  conversationId: string;
  runOptions?: QueuedRunOptions | undefined;
}

/** The data of a job that decides a paused run's approvals and resumes it. */
export interface ResumeJobData {
  kind: 'resume';
  conversationId: string;
  decisions: ApprovalDecision[];
  runOptions?: QueuedRunOptions | undefined;
}

/** The data of any llmproc job. */
export type LLMProcJobData = RunJobData | ResumeJobData;

/** What a job completes with (its return value). */
export interface RunJobResult {
  conversationId: string;
  /** The run's stop reason; `awaiting_approval` when it paused (see `pendingApprovals`, then `approveRun()`). */
  stopReason: RunStopReason | undefined;
  /** The whole run's RunResult (every worker's part of it, each API call once), as JSON. */
  runResult: RunResultJSON;
  /** The calls that wait for approval; empty unless `stopReason` is `awaiting_approval`. */
  pendingApprovals: PendingApproval[];
}

/** A job's progress: what the run is doing now (tool names and ids, model call totals, streamed text). */
export type RunProgress =
  | { event: 'tool:start'; toolName: string; toolUseId: string }
  | { event: 'tool:end'; toolName: string; toolUseId: string; isError: boolean; durationMs: number; decision?: string | undefined }
  | { event: 'api:call'; model: string; stopReason: string; inputTokens: number; outputTokens: number; durationMs: number; costUsd: number | null }
  | { event: 'text'; delta: string };
