/**
 * `ProcessTracer`: turns one process's events into OpenTelemetry spans, the way RunResult turns
 * them into metrics: it only listens. A run is an `invoke_agent` span; each model call a `chat`
 * span under it; each tool call an `execute_tool` span under it; a spawned or forked child gets a
 * tracer of its own, for its one run, whose `invoke_agent` span sits under the tool span that
 * started it; a rewind is an `llmproc.rewind` event on the run's span. Whatever way a run ends, every span it started is ended (a child's when the child's
 * run ends: it gets the abort too, but the parent may finish first).
 *
 * @module
 */
import { type Context, context, type Span, SpanKind, SpanStatusCode, trace, type Tracer } from '@opentelemetry/api';
import type {
  ApiCallEvent,
  ApiStartEvent,
  ChildOrigin,
  ChildStartEvent,
  LLMProcessEventName,
  LLMProcessEvents,
  RunEndEvent,
  RewindEvent,
  RunStartEvent,
  ToolEndEvent,
  ToolStartEvent,
} from '../../process/events.js';
import type { LLMProcess } from '../../process/llm-process.js';
import {
  agentAttributes,
  agentSpanName,
  chatRequestAttributes,
  chatResponseAttributes,
  chatSpanName,
  errorType,
  runEndAttributes,
  toolAttributes,
  toolErrorType,
  toolSpanName,
} from './gen-ai-attributes.js';
import { inputMessagesJson, outputMessagesJson, promptJson, systemInstructionsJson, toolResultText } from './gen-ai-content.js';

/** How a {@link ProcessTracer} traces. */
export interface ProcessTracerOptions {
  tracer: Tracer;
  /** Record prompts, answers, tool arguments and results on the spans. */
  captureContent: boolean;
  /** The context of the span a child's runs nest under (the parent's tool span). */
  parent?: Context | undefined;
  /** Set for a child: who it is. */
  origin?: ChildOrigin | undefined;
  /** Set for a child: called when its run has ended and it stopped listening. */
  onDone?: (() => void) | undefined;
}

/** The longest status message taken from content (a tool's error text). */
const MAX_STATUS_MESSAGE = 1_000;

/** A chat span whose call has answered; with content, it ends once the answer is in the conversation. */
interface ChatSpan {
  span: Span;
  /** The conversation's length when the call was sent: the answer is the message at this index. */
  sentMessages: number;
  /** When the call answered (for a span whose end waits for its answer). */
  answeredAt?: number | undefined;
  finishReason?: string | undefined;
}

/** The spans of the run in progress. */
interface RunSpans {
  span: Span;
  context: Context;
  chat?: ChatSpan | undefined;
  tools: Map<string, Span>;
}

/** Ends a span as failed. */
function fail(span: Span, type: string, message: string): void {
  span.setAttribute('error.type', type);
  span.setStatus({ code: SpanStatusCode.ERROR, message });
}

/** Spans for one process's runs; {@link ProcessTracer.attach} starts listening. */
export class ProcessTracer {
  readonly #process: LLMProcess;
  readonly #options: ProcessTracerOptions;
  #run: RunSpans | undefined;
  #detach: (() => void) | undefined;
  /** Tracers of children whose run has not ended yet. */
  readonly #children = new Set<ProcessTracer>();

  constructor(process: LLMProcess, options: ProcessTracerOptions) {
    this.#process = process;
    this.#options = options;
  }

  /** Subscribes to the process's events; returns {@link ProcessTracer.detach}. */
  attach(): () => void {
    if (this.#detach) return () => this.detach();
    const offs: Array<() => void> = [];
    const listen = <E extends LLMProcessEventName>(event: E, listener: (...args: LLMProcessEvents[E]) => void): void => {
      this.#process.on(event, listener as never);
      offs.push(() => this.#process.off(event, listener as never));
    };
    listen('run:start', (event) => this.#onRunStart(event));
    listen('api:start', (event) => this.#onApiStart(event));
    listen('api:call', (event) => this.#onApiCall(event));
    listen('response', () => this.#settleChat());
    listen('tool:start', (event) => this.#onToolStart(event));
    listen('tool:end', (event) => this.#onToolEnd(event));
    listen('child:start', (event) => this.#onChildStart(event));
    listen('rewind', (event) => this.#onRewind(event));
    listen('run:end', (event) => this.#onRunEnd(event));
    this.#detach = () => {
      for (const off of offs) off();
    };
    return () => this.detach();
  }

  /**
   * Stops listening, and the tracers of children too; the spans of a run still going are ended (as
   * failed: the trace was cut short).
   */
  detach(): void {
    const wasAttached = this.#detach !== undefined;
    this.#detach?.();
    this.#detach = undefined;
    for (const child of [...this.#children]) child.detach();
    this.#abandonRun('tracing was detached before the run ended');
    if (wasAttached) this.#options.onDone?.();
  }

  /** Ends the spans of the run in progress as unfinished (detached, or a run:start without a run:end). */
  #abandonRun(why: string): void {
    const run = this.#run;
    if (!run) return;
    this.#endOpenSpans(run, why);
    fail(run.span, 'unfinished', why);
    run.span.end();
    this.#run = undefined;
  }

  #onRunStart(event: RunStartEvent): void {
    this.#abandonRun('a new run started before this one ended');
    const parent = this.#options.parent ?? context.active();
    const span = this.#options.tracer.startSpan(
      agentSpanName(this.#process),
      { kind: SpanKind.INTERNAL, attributes: { ...agentAttributes(this.#process, event.runId), ...this.#childAttributes() } },
      parent,
    );
    if (this.#options.captureContent) {
      span.setAttribute('gen_ai.input.messages', promptJson(event.input, event.parts));
      if (this.#process.systemPrompt) span.setAttribute('gen_ai.system_instructions', systemInstructionsJson(this.#process.systemPrompt));
    }
    this.#run = { span, context: trace.setSpan(parent, span), tools: new Map() };
  }

  #childAttributes(): Record<string, string> {
    const origin = this.#options.origin;
    return origin ? { 'llmproc.child.via': origin.via } : {};
  }

  /**
   * A rewind is an event on the run's span (`llmproc.rewind`): which message the conversation went
   * back to, how many messages it removed, who asked; the instruction only with content capture.
   */
  #onRewind(event: RewindEvent): void {
    const run = this.#run;
    if (!run) return;
    run.span.addEvent(
      'llmproc.rewind',
      {
        'llmproc.rewind.from': event.from,
        'llmproc.rewind.to': event.to,
        'llmproc.rewind.message_id': event.messageId,
        'llmproc.rewind.removed': event.removed,
        'llmproc.rewind.via': event.via,
        ...(event.toolUseId !== undefined ? { 'gen_ai.tool.call.id': event.toolUseId } : {}),
        ...(this.#options.captureContent ? { 'llmproc.rewind.instruction': event.instruction } : {}),
      },
      event.at,
    );
  }

  #onApiStart(event: ApiStartEvent): void {
    const run = this.#run;
    if (!run) return;
    this.#settleChat();
    const span = this.#options.tracer.startSpan(
      chatSpanName(event.model),
      { kind: SpanKind.CLIENT, attributes: chatRequestAttributes(this.#process, event.model, event.iteration) },
      run.context,
    );
    let sentMessages = 0;
    if (this.#options.captureContent) {
      const messages = this.#process.getState();
      sentMessages = messages.length;
      span.setAttribute('gen_ai.input.messages', inputMessagesJson(messages));
      if (this.#process.systemPrompt) span.setAttribute('gen_ai.system_instructions', systemInstructionsJson(this.#process.systemPrompt));
    }
    run.chat = { span, sentMessages };
  }

  #onApiCall(event: ApiCallEvent): void {
    const chat = this.#run?.chat;
    if (event.child || !chat) return;
    chat.span.setAttributes(chatResponseAttributes(event));
    if (!this.#options.captureContent) {
      chat.span.end();
      this.#run!.chat = undefined;
      return;
    }
    // The answer enters the conversation right after api:call; the span ends (at this time) once it is there.
    chat.answeredAt = performance.now();
    chat.finishReason = event.stopReason;
  }

  /** Ends an answered chat span waiting for its answer, recording the answer. */
  #settleChat(): void {
    const run = this.#run;
    const chat = run?.chat;
    if (!chat || chat.answeredAt === undefined) return;
    const answer = this.#process.getState()[chat.sentMessages];
    if (answer?.role === 'assistant') chat.span.setAttribute('gen_ai.output.messages', outputMessagesJson(answer, chat.finishReason ?? ''));
    chat.span.end(chat.answeredAt);
    run!.chat = undefined;
  }

  #onToolStart(event: ToolStartEvent): void {
    const run = this.#run;
    if (event.child || !run) return;
    this.#settleChat();
    const span = this.#options.tracer.startSpan(toolSpanName(event.toolName), { kind: SpanKind.INTERNAL, attributes: toolAttributes(event) }, run.context);
    if (this.#options.captureContent) span.setAttribute('gen_ai.tool.call.arguments', JSON.stringify(event.args));
    run.tools.set(event.toolUseId, span);
  }

  #onToolEnd(event: ToolEndEvent): void {
    const run = this.#run;
    const span = run?.tools.get(event.toolUseId);
    if (event.child || !run || !span) return;
    const text = this.#options.captureContent ? toolResultText(event.result.content) : undefined;
    if (text !== undefined) span.setAttribute('gen_ai.tool.call.result', text);
    if (event.isError) fail(span, toolErrorType(event), text?.slice(0, MAX_STATUS_MESSAGE) ?? 'the tool returned an error result');
    span.end();
    run.tools.delete(event.toolUseId);
  }

  #onChildStart(event: ChildStartEvent): void {
    const run = this.#run;
    if (event.child || !run) return;
    const toolSpan = run.tools.get(event.toolUseId);
    const child: ProcessTracer = new ProcessTracer(event.process, {
      tracer: this.#options.tracer,
      captureContent: this.#options.captureContent,
      parent: toolSpan ? trace.setSpan(run.context, toolSpan) : run.context,
      origin: event.origin,
      onDone: () => this.#children.delete(child),
    });
    this.#children.add(child);
    child.attach();
  }

  #onRunEnd(event: RunEndEvent): void {
    const run = this.#run;
    if (!run) return;
    this.#settleChat();
    const why = event.error ? `the run failed: ${event.error.message}` : 'the run ended first';
    this.#endOpenSpans(run, why, event.error);
    run.span.setAttributes(runEndAttributes(event.runResult));
    if (this.#options.captureContent && event.runResult.lastMessage) {
      const answer = { role: 'assistant' as const, content: [{ type: 'text' as const, text: event.runResult.lastMessage }] };
      run.span.setAttribute('gen_ai.output.messages', outputMessagesJson(answer, event.runResult.stopReason ?? ''));
    }
    if (event.error) fail(run.span, errorType(event.error), event.error.message);
    run.span.end();
    this.#run = undefined;
    // A child is traced for its one run.
    if (this.#options.origin) this.detach();
  }

  /** Ends the chat and tool spans still open when a run ends, as failed. */
  #endOpenSpans(run: RunSpans, why: string, error?: Error): void {
    if (run.chat) {
      fail(run.chat.span, error ? errorType(error) : 'unfinished', error?.message ?? why);
      run.chat.span.end();
      run.chat = undefined;
    }
    for (const span of run.tools.values()) {
      fail(span, error ? errorType(error) : 'unfinished', why);
      span.end();
    }
    run.tools.clear();
  }
}
