/**
 * The interactive session: a prompt, the answer, repeat. `exit` or Ctrl-D quits; Ctrl-C during a
 * run cancels that run (through the run's `signal`), and at an idle prompt it quits.
 *
 * @module
 */
import { createInterface } from 'node:readline';
import { LLMProcError, RunAbortedError, RunError } from '../errors.js';
import type { LLMProcess } from '../process/llm-process.js';
import type { RunResult } from '../results/run-result.js';
import { watchCancelKey } from './cancel-key.js';
import type { CliIo, CliRunSettings } from './cli-io.js';
import { EXIT_OK, type ExitCode } from './exit-codes.js';
import { attachProgress } from './progress.js';
import { formatSummary } from './summary.js';

/** The session's prompt. */
export const PROMPT = '> ';

/** Words that end the session. */
const EXIT_WORDS = new Set(['exit', 'quit']);

/** Runs the session until `exit`, Ctrl-D or Ctrl-C at the prompt; returns 0. */
export async function runSession(llm: LLMProcess, settings: CliRunSettings, io: CliIo): Promise<ExitCode> {
  const history: string[] = [];
  io.stdout.write(`${llm.program.displayName} (${llm.model}). Type a prompt; "exit" or Ctrl-D quits, Ctrl-C cancels an answer.\n`);
  for (;;) {
    const line = await readPrompt(io, history);
    if (line === null) {
      io.stdout.write('\n');
      return EXIT_OK;
    }
    const prompt = line.trim();
    if (prompt === '') continue;
    if (EXIT_WORDS.has(prompt)) return EXIT_OK;
    await runTurn(llm, prompt, settings, io);
  }
}

/** One line typed at the prompt, or `null` for Ctrl-D, Ctrl-C or the end of input. */
function readPrompt(io: CliIo, history: string[]): Promise<string | null> {
  const rl = createInterface({ input: io.stdin, output: io.stdout, terminal: io.stdin.isTTY === true, history, historySize: 200 });
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: string | null): void => {
      if (settled) return;
      settled = true;
      rl.close();
      resolve(value);
    };
    // readline adds each line to `history` itself; sharing the array keeps it across prompts.
    rl.once('line', (line) => finish(line));
    rl.once('SIGINT', () => finish(null));
    rl.once('close', () => finish(null));
    rl.setPrompt(PROMPT);
    rl.prompt();
  });
}

/** Runs one prompt with live progress and its summary; a failure is reported and the session goes on. */
async function runTurn(llm: LLMProcess, prompt: string, settings: CliRunSettings, io: CliIo): Promise<void> {
  const controller = new AbortController();
  const stopWatching = watchCancelKey(io.stdin, () => controller.abort());
  const view = attachProgress(llm, { out: io.stdout, tty: io.stdout.isTTY === true });
  let result: RunResult;
  try {
    result = await llm.run(prompt, { maxIterations: settings.maxIterations, stream: settings.stream, signal: controller.signal });
  } catch (error) {
    view.detach();
    if (error instanceof RunAbortedError && error.reason === 'aborted') {
      io.stdout.write(`Cancelled. ${formatSummary(error.runResult)}\n`);
    } else if (error instanceof RunError) {
      io.stdout.write(`Error: ${error.message}\n${formatSummary(error.runResult)}\n`);
    } else if (error instanceof LLMProcError) {
      io.stdout.write(`Error: ${error.message}\n`);
    } else {
      throw error;
    }
    return;
  } finally {
    stopWatching();
  }
  view.detach();
  io.stdout.write(`${formatSummary(result)}\n`);
}
