/**
 * A tracer whose spans stay in memory (the SDK's InMemorySpanExporter), with a processor that
 * records every span started and ended, and the span tree as plain data for assertions.
 */
import type { Context, Tracer } from '@opentelemetry/api';
import { BasicTracerProvider, InMemorySpanExporter, type ReadableSpan, SimpleSpanProcessor, type Span, type SpanProcessor } from '@opentelemetry/sdk-trace-base';

/** What {@link recordSpans} gives. */
export interface SpanRecorder {
  tracer: Tracer;
  provider: BasicTracerProvider;
  /** Every ended span, in the order they ended. */
  finished(): ReadableSpan[];
  /** Every span started, in order. */
  started: Span[];
  /** Spans started and never ended. */
  open(): Span[];
  /** The ended spans as a tree, siblings in the order they started. */
  tree(): SpanNode[];
  shutdown(): Promise<void>;
}

/** A node of {@link spanTree}: a span's name and the spans under it, in the order they started. */
export interface SpanNode {
  name: string;
  children: SpanNode[];
}

/** A tracer provider recording in memory. */
export function recordSpans(): SpanRecorder {
  const exporter = new InMemorySpanExporter();
  const started: Span[] = [];
  const ended = new Set<ReadableSpan>();
  const watcher: SpanProcessor = {
    onStart: (span: Span, _parent: Context) => void started.push(span),
    onEnd: (span: ReadableSpan) => void ended.add(span),
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter), watcher] });
  return {
    tracer: provider.getTracer('llmproc-test'),
    provider,
    finished: () => exporter.getFinishedSpans(),
    started,
    open: () => started.filter((span) => !ended.has(span as unknown as ReadableSpan)),
    tree: () => spanTree(exporter.getFinishedSpans(), (span) => started.indexOf(span as unknown as Span)),
    shutdown: () => provider.shutdown(),
  };
}

/**
 * The ended spans as a tree of names, roots first; siblings by `order` (default: their start
 * times, which the SDK takes from `Date.now()`, so spans started in one millisecond tie).
 */
export function spanTree(spans: readonly ReadableSpan[], order: (span: ReadableSpan) => number = (span) => span.startTime[0] * 1e9 + span.startTime[1]): SpanNode[] {
  const byParent = new Map<string | undefined, ReadableSpan[]>();
  const ids = new Set(spans.map((span) => span.spanContext().spanId));
  for (const span of spans) {
    const parent = span.parentSpanContext?.spanId;
    const key = parent && ids.has(parent) ? parent : undefined;
    byParent.set(key, [...(byParent.get(key) ?? []), span]);
  }
  const build = (parent: string | undefined): SpanNode[] =>
    [...(byParent.get(parent) ?? [])]
      .sort((a, b) => order(a) - order(b))
      .map((span) => ({ name: span.name, children: build(span.spanContext().spanId) }));
  return build(undefined);
}

/** The one ended span named `name` (fails when there are none or several). */
export function spanNamed(spans: readonly ReadableSpan[], name: string): ReadableSpan {
  const found = spans.filter((span) => span.name === name);
  if (found.length !== 1) throw new Error(`expected one span named "${name}", found ${found.length}: ${spans.map((s) => s.name).join(', ')}`);
  return found[0]!;
}

/** The ended span whose attribute `key` is `value`. */
export function spanWith(spans: readonly ReadableSpan[], key: string, value: unknown): ReadableSpan {
  const found = spans.find((span) => span.attributes[key] === value);
  if (!found) throw new Error(`no span has ${key} = ${String(value)}`);
  return found;
}

/** Whether `child`'s parent is `parent`. */
export function isChildOf(child: ReadableSpan, parent: ReadableSpan): boolean {
  return child.parentSpanContext?.spanId === parent.spanContext().spanId && child.spanContext().traceId === parent.spanContext().traceId;
}
