/**
 * `instrument(process)`: OpenTelemetry spans for every run of a process, following the GenAI
 * semantic conventions. Part of `llmproc/otel`, the only entry point that loads
 * `@opentelemetry/api`.
 *
 * @module
 */
import { trace, type Tracer } from '@opentelemetry/api';
import type { LLMProcess } from '../../process/llm-process.js';
import { ProcessTracer } from './process-tracer.js';

/** The instrumentation scope of llmproc's spans. */
export const TRACER_NAME = 'llmproc';

/** Options of {@link instrument}. */
export interface InstrumentOptions {
  /** The tracer to make spans with; default the global tracer provider's `llmproc` tracer. */
  tracer?: Tracer | undefined;
  /**
   * Record content on the spans: prompts and answers (`gen_ai.input.messages`,
   * `gen_ai.output.messages`, `gen_ai.system_instructions`), tool arguments and results
   * (`gen_ai.tool.call.arguments`, `gen_ai.tool.call.result`). Default `false`: spans carry
   * names, ids, models, parameters, token counts, timings and errors only. Image bytes are never
   * recorded.
   */
  captureContent?: boolean | undefined;
}

/**
 * Traces every run of `process` until the returned function is called: an `invoke_agent {program}`
 * span per run (under the span active when `run()` was called), a `chat {model}` span per model
 * call and an `execute_tool {tool}` span per tool call under it; the runs of spawned and forked
 * children nest under the tool span that started them. A failed or aborted run, call or tool call
 * has status ERROR and `error.type`; every span a run starts is ended when it ends.
 *
 * ```ts
 * import { instrument } from 'llmproc/otel';
 * const detach = instrument(process, { captureContent: false });
 * await process.run('Hello');
 * detach();
 * ```
 *
 * @returns the function that stops tracing (ending the spans of a run still going).
 */
export function instrument(process: LLMProcess, options: InstrumentOptions = {}): () => void {
  const tracer = options.tracer ?? trace.getTracer(TRACER_NAME);
  return new ProcessTracer(process, { tracer, captureContent: options.captureContent === true }).attach();
}
