/**
 * `LLMProgram.restore(snapshot, options)`: a started process that continues where the snapshot was
 * taken — the same program (checked by fingerprint), conversation and system prompt as sent, and
 * the unfinished run, which `resume()` continues. MCP servers are started again; function tools and
 * hooks, which a snapshot cannot hold, are given again in `options`.
 *
 * @module
 */
import { InvalidArgumentError, SnapshotError } from '../errors.js';
import { hookNames, mergeHooks, validateHooks } from '../process/hooks.js';
import { type LLMProcess, restoreProcessState } from '../process/llm-process.js';
import { MessageIds } from '../process/message-ids.js';
import { startProcess, type StartOptions } from '../process/start.js';
import { RunResult } from '../results/run-result.js';
import type { Tool } from '../tools/tool.js';
import { type ProgramFactory, rebuildProgram } from './rebuild-program.js';
import { readSnapshot } from './read-snapshot.js';

/** Options of `LLMProgram.restore()`: those of `start()`, plus what a snapshot cannot hold. */
export interface RestoreOptions extends StartOptions {
  /**
   * The program's function tools (and those of linked programs built in code), by name: their code
   * cannot be written into a snapshot. Each must be the tool the snapshot records (same
   * description and input schema).
   */
  tools?: readonly Tool[] | undefined;
}

/**
 * Restores a process from `input` (a snapshot, or its JSON text) and starts it.
 * @throws {SnapshotError} for a snapshot that is corrupted, from a newer version or of another
 *   program, or when a function tool or a hook it needs is not given.
 */
export async function restoreProcess(input: unknown, options: RestoreOptions | undefined, factory: ProgramFactory): Promise<LLMProcess> {
  const snapshot = readSnapshot(input);
  const { tools = [], ...startOptions } = options ?? {};
  if (!Array.isArray(tools)) throw new InvalidArgumentError('options.tools', 'expected an array of function tools');
  if (startOptions.hooks !== undefined) validateHooks(startOptions.hooks, 'options.hooks');
  const program = rebuildProgram(snapshot.program, tools, factory);
  const given = hookNames(mergeHooks(program.hooks, startOptions.hooks));
  const missing = snapshot.hooks.filter((hook) => !given.includes(hook));
  if (missing.length > 0) {
    throw new SnapshotError(
      `hooks.${missing[0]}: the process had the ${missing.join(', ')} hook${missing.length > 1 ? 's' : ''}, which a snapshot cannot hold: ` +
        `give ${missing.length > 1 ? 'them' : 'it'} again, LLMProgram.restore(snapshot, { hooks: { ${missing.join(', ')} } })`,
      { keyPath: `hooks.${missing[0]}` },
    );
  }
  const process = await startProcess(program, startOptions, { systemPrompt: snapshot.systemPrompt });
  const ids = snapshot.messageIds ? new MessageIds(snapshot.messageIds.map((id) => Number(id.slice('msg_'.length))), snapshot.nextMessageId) : new MessageIds();
  restoreProcessState(process, { messages: snapshot.messages, ids, run: snapshot.run && { state: snapshot.run.state, result: RunResult.fromJSON(snapshot.run.result) }, fileDescriptors: snapshot.fileDescriptors });
  return process;
}
