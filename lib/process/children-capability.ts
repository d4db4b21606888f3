/**
 * The `children` capability of one tool call (what the spawn and fork builtins get in their
 * context): the process hands it closures over its internals, so a tool can start and run
 * children without holding the process.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { LLMProgram } from '../program/llm-program.js';
import type { RunResult } from '../results/run-result.js';
import type { ChildrenCapability } from '../tools/capabilities.js';
import type { LLMProcess } from './llm-process.js';

/** How a child was made. */
export type ChildVia = 'spawn' | 'fork';

/** What the process gives the capability: its internals, bound to the tool call. */
export interface ChildrenHost {
  /** Whether the process may fork (a fork may not). */
  canFork: boolean;
  linkedProgram(name: string): LLMProgram | undefined;
  /** Starts a process of a linked program (checking the spawn depth). */
  start(program: LLMProgram): Promise<LLMProcess>;
  /** Forks the conversation for the tool call, its call answered by `note`. */
  fork(note: string): LLMProcess;
  /** Runs a child within the run's budget, its events forwarded. */
  run(child: LLMProcess, prompt: string, via: ChildVia): Promise<RunResult>;
}

/** The children capability over `host`: it runs only the children it made. */
export function createChildren(host: ChildrenHost): ChildrenCapability {
  const made = new WeakMap<LLMProcess, ChildVia>();
  return {
    canFork: host.canFork,
    async spawn(name) {
      const program = typeof name === 'string' ? host.linkedProgram(name) : undefined;
      if (!program) throw new InvalidArgumentError('name', `there is no linked program ${JSON.stringify(name)}`);
      const child = await host.start(program);
      made.set(child, 'spawn');
      return child;
    },
    fork(note) {
      if (!host.canFork) throw new InvalidArgumentError('fork', 'this process is itself a fork, and a forked process cannot fork again');
      const child = host.fork(note);
      made.set(child, 'fork');
      return child;
    },
    run(child, prompt) {
      const via = made.get(child);
      if (via === undefined) return Promise.reject(new InvalidArgumentError('child', 'is not a process this tool call spawned or forked'));
      return host.run(child, prompt, via);
    },
  };
}
