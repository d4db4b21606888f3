/**
 * One run, then exit: `llmproc program.toml -p "..."` or a prompt piped on stdin.
 *
 * @module
 */
import { RunError } from '../errors.js';
import type { LLMProcess } from '../process/llm-process.js';
import type { RunInput } from '../process/run-input.js';
import type { RunResult } from '../results/run-result.js';
import type { CliIo, CliRunSettings } from './cli-io.js';
import { EXIT_OK, EXIT_RUN_FAILED, type ExitCode } from './exit-codes.js';
import { jsonReport } from './json-report.js';
import { attachProgress } from './progress.js';
import { formatSummary } from './summary.js';

/** Options of {@link runOnce}. */
export interface RunOnceOptions extends CliRunSettings {
  /** `--json`: one JSON object on stdout, no progress. */
  json: boolean;
}

/**
 * Runs `prompt` once with live progress (or silently with `json`), prints the summary line (or the
 * JSON report) and returns the exit code: 0, or 1 when the run failed. The first SIGINT cancels
 * the run; a second one exits at once (130).
 *
 * @throws what `run()` throws that is not a {@link RunError} (an invalid option, for example).
 */
export async function runOnce(llm: LLMProcess, prompt: RunInput, options: RunOnceOptions, io: CliIo): Promise<ExitCode> {
  const controller = new AbortController();
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const view = options.json ? undefined : attachProgress(llm, { out: io.stdout, tty: io.stdout.isTTY === true });
  let result: RunResult;
  let failure: RunError | undefined;
  try {
    result = await llm.run(prompt, { maxIterations: options.maxIterations, stream: options.stream, signal: controller.signal });
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    failure = error;
    result = error.runResult;
  } finally {
    view?.detach();
    process.off('SIGINT', onSigint);
  }
  if (options.json) io.stdout.write(`${JSON.stringify(jsonReport(result, failure), null, 2)}\n`);
  else io.stdout.write(`${formatSummary(result)}\n`);
  if (failure) {
    io.stderr.write(`llmproc: ${failure.message}\n`);
    return EXIT_RUN_FAILED;
  }
  return EXIT_OK;
}
