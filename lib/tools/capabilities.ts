/**
 * What a tool may be given besides its input, when it asks for it (`Tool.uses`): narrow
 * capabilities built by the process for one tool call, never the process itself. The builtins
 * `spawn` and `fork` use {@link ChildrenCapability}, `goto` uses {@link ConversationCapability},
 * `read_fd` and `fd_to_file` use the process's file descriptors.
 *
 * @module
 */
import type { LLMProcess } from '../process/llm-process.js';
import type { RunResult } from '../results/run-result.js';
import type { FileDescriptorStore } from './file-descriptors/store.js';

/** The name of a capability a tool may ask for in `Tool.uses`. */
export type ToolCapabilityName = 'children' | 'conversation' | 'fileDescriptors';

/**
 * Child processes for one tool call: spawn a linked program, fork the conversation, and run a child
 * within the parent run's budget. A child this capability made runs with
 * {@link ChildrenCapability.run}, so its spending counts against the parent's budget and its
 * events reach the parent, tagged with it.
 */
export interface ChildrenCapability {
  /** `false` in a forked process: a fork cannot fork again ({@link ChildrenCapability.fork} throws). */
  readonly canFork: boolean;
  /**
   * Starts a process of the linked program `name`, on its own program's provider.
   * @throws {InvalidArgumentError} when the program links no program `name`.
   * @throws {ChildRunRefusedError} (`depth`) when spawns would nest deeper than the run's `maxSpawnDepth`.
   */
  spawn(name: string): Promise<LLMProcess>;
  /**
   * Forks the conversation for this tool call: the child's history ends with this call (the other
   * calls of its turn left out) answered by `note`.
   * @throws {InvalidArgumentError} in a forked process (see {@link ChildrenCapability.canFork}).
   */
  fork(note: string): LLMProcess;
  /**
   * Runs `prompt` on a child this capability made, within the parent run: it gets what is left of
   * the run's budget and `maxSpawnDepth`, the tool call's signal, and its `api:call`, `tool:start`,
   * `tool:end` and `child:start` events reach the parent (tagged `child`) while it runs.
   * @throws {ChildRunRefusedError} (`budget`, `unpriced`) without running it; what the child's `run()` rejects with otherwise.
   * @throws {InvalidArgumentError} for a process this capability did not make.
   */
  run(child: LLMProcess, prompt: string): Promise<RunResult>;
}

/** What a scheduled rewind will do: the message it returns to, and how many messages are removed now. */
export interface RewindPlan {
  /** The id of the message the conversation returns to (`msg_3`); the instruction takes its place. */
  to: string;
  /** How many messages would be removed if the rewind happened now (the batch adds one more). */
  removed: number;
}

/** The conversation of the run that called the tool, for `goto`. */
export interface ConversationCapability {
  /**
   * Schedules a return to the message `messageId` once the current tool batch has completed: the
   * history becomes the messages before it, then `instruction` as a user message, and the run
   * goes on from there. One rewind may be pending at a time.
   * @throws {RewindError} for an id that is malformed, unknown, ahead, the current message, not a
   *   user message the model can return to, or when a rewind is already pending.
   */
  rewind(messageId: string, instruction: string): RewindPlan;
}

/** The capabilities a tool call gets: those its tool asks for in `uses`. */
export interface ToolCapabilities {
  children?: ChildrenCapability | undefined;
  conversation?: ConversationCapability | undefined;
  /** The process's file descriptors, when its program keeps long tool results (what read_fd and fd_to_file read). */
  fileDescriptors?: FileDescriptorStore | undefined;
}
