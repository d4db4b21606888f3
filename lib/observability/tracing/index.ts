/**
 * `llmproc/otel`: OpenTelemetry tracing of llmproc processes, following the GenAI semantic
 * conventions. Importing it loads `@opentelemetry/api` (an optional peer dependency); importing
 * `llmproc` does not.
 *
 * ```ts
 * import { instrument } from 'llmproc/otel';
 * const detach = instrument(process);
 * ```
 *
 * @module
 */
export { instrument, TRACER_NAME } from './instrument.js';
export type { InstrumentOptions } from './instrument.js';
export { ProcessTracer } from './process-tracer.js';
export type { ProcessTracerOptions } from './process-tracer.js';
export { genAiInputTokens, genAiProviderName } from './gen-ai-attributes.js';
export type { SpanAttributes } from './gen-ai-attributes.js';
