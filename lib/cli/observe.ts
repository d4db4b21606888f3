/**
 * What `--log` and `--trace` attach to the command's process: a run log, and OpenTelemetry spans
 * exported over OTLP/HTTP (loaded only with `--trace`).
 *
 * @module
 */
import { writeRunLog } from '../observability/run-log/write-run-log.js';
import { loadOtlpTracing } from '../observability/tracing/load-otlp-tracing.js';
import type { LLMProcess } from '../process/llm-process.js';
import type { CliIo } from './cli-io.js';

/** The flags that observe runs. */
export interface ObserveSettings {
  /** `--log <file>`. */
  log: string | undefined;
  /** `--trace`. */
  trace: boolean;
}

/**
 * Starts what `settings` ask for on `llm`. With `--trace`, prompts and answers go on the spans
 * only when `OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT` is `true`, the GenAI
 * instrumentations' switch; export errors are reported on stderr.
 *
 * @returns the function that stops observing: it closes the log and sends every span not yet
 *   exported (await it before the command exits).
 * @throws {RunLogError} when the log cannot be opened; {@link OptionalDependencyError} when
 *   `--trace` is asked for without the OpenTelemetry packages.
 */
export async function observe(llm: LLMProcess, settings: ObserveSettings, io: CliIo): Promise<() => Promise<void>> {
  const closers: Array<() => void | Promise<void>> = [];
  if (settings.trace) {
    const tracing = await loadOtlpTracing('--trace');
    const exporter = tracing.startOtlpTracing({ onError: (message) => io.stderr.write(`llmproc: --trace: ${message}\n`) });
    const captureContent = io.env['OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT']?.toLowerCase() === 'true';
    const detach = tracing.instrument(llm, { tracer: exporter.tracer, captureContent });
    closers.push(async () => {
      detach();
      await exporter.shutdown();
    });
  }
  if (settings.log !== undefined) closers.push(writeRunLog(llm, settings.log));
  return async () => {
    for (const close of closers.reverse()) await close();
  };
}
