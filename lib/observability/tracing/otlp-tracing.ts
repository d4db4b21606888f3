/**
 * `startOtlpTracing()`: a tracer that exports spans over OTLP/HTTP (JSON) in batches, as
 * `llmproc --trace` uses it. The endpoint, headers and timeout come from the standard variables
 * the exporter reads (`OTEL_EXPORTER_OTLP_ENDPOINT`, `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`,
 * `OTEL_EXPORTER_OTLP_HEADERS`, ...; default `http://localhost:4318/v1/traces`). Needs the
 * optional packages `@opentelemetry/sdk-trace-base` and `@opentelemetry/exporter-trace-otlp-http`.
 *
 * @module
 */
import { diag, DiagLogLevel, type Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { TRACER_NAME } from './instrument.js';

/** A running OTLP exporter. */
export interface OtlpTracing {
  /** The tracer to give `instrument()`. */
  readonly tracer: Tracer;
  /**
   * Exports every span not sent yet, then stops; call it before the process exits. Never rejects:
   * an export that fails is reported to `onError`.
   */
  shutdown(): Promise<void>;
}

/** Options of {@link startOtlpTracing}. */
export interface OtlpTracingOptions {
  /** Told each export error (the exporter's own words); by default they are not reported. */
  onError?: ((message: string) => void) | undefined;
}

/**
 * Starts a tracer provider of its own (not registered globally, so other libraries' spans do not
 * join it) with a batch span processor and the OTLP/HTTP exporter.
 */
export function startOtlpTracing(options: OtlpTracingOptions = {}): OtlpTracing {
  const { onError } = options;
  if (onError) {
    const report = (message: string, ...args: unknown[]): void => onError([message, ...args.map(String)].join(' '));
    diag.setLogger({ error: report, warn: () => {}, info: () => {}, debug: () => {}, verbose: () => {} }, DiagLogLevel.ERROR);
  }
  const provider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  return {
    tracer: provider.getTracer(TRACER_NAME),
    async shutdown() {
      try {
        await provider.forceFlush();
        await provider.shutdown();
      } catch (error) {
        onError?.(`the spans could not be exported: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        if (onError) diag.disable();
      }
    },
  };
}
