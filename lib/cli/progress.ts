/**
 * Live progress of a run, from the process's typed events: on a terminal, a spinner naming the
 * tools running now and the API call in flight, streamed text as it arrives and a line per
 * finished tool; elsewhere (a pipe, a file) the same as plain lines, without escape codes.
 *
 * @module
 */
import type { EventEmitter } from 'eventemitter3';
import type { ApiStartEvent, ChildOrigin, LLMProcessEvents, ResponseEvent, TextEvent, ToolEndEvent, ToolStartEvent } from '../process/events.js';
import type { ToolResult } from '../tools/tool.js';
import { StatusLine, type TerminalOutput } from './status-line.js';
import { formatDuration } from './summary.js';

/** Options of {@link attachProgress}. */
export interface ProgressOptions {
  /** Where progress and the answer go (stdout). */
  out: TerminalOutput;
  /** `true` on a terminal: a spinner line redrawn in place. `false`: plain lines only. */
  tty: boolean;
}

/** A progress view attached to a process; {@link ProgressView.detach} removes it. */
export interface ProgressView {
  /** Stops listening and removes the spinner line. */
  detach(): void;
}

const ARGS_LIMIT = 60;
const ERROR_LIMIT = 120;

const cut = (text: string, limit: number): string => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** `calculator`, or `calculator (in Expert)` for a tool a spawned or forked child runs. */
export function toolLabel(toolName: string, child: ChildOrigin | undefined): string {
  return child ? `${toolName} (in ${child.program})` : toolName;
}

/** A tool's arguments, compact: `{"expression":"12*34"}`, cut to 60 characters. */
export function formatArgs(args: Record<string, unknown>): string {
  return Object.keys(args).length === 0 ? '' : cut(JSON.stringify(args), ARGS_LIMIT);
}

/** The first line of a failed tool's output. */
function errorText(result: ToolResult): string {
  const text = typeof result.content === 'string' ? result.content : result.content.map((part) => ('text' in part ? part.text : `[${part.type}]`)).join(' ');
  return cut(text.trim().split('\n')[0] ?? '', ERROR_LIMIT);
}

/**
 * Shows a process's progress on `out` until detached. Answers are printed as they come: the
 * `text` deltas of a streamed response, or each response's text otherwise.
 */
export function attachProgress(process: EventEmitter<LLMProcessEvents>, options: ProgressOptions): ProgressView {
  const { out, tty } = options;
  const status = tty ? new StatusLine(out) : undefined;
  const running = new Map<string, string>();
  let apiCall: ApiStartEvent | undefined;
  /** Streamed text of the current response has been written; its line is still open. */
  let streaming = false;
  let openLine = false;
  let streamedThisResponse = false;

  const print = (line: string): void => (status ? status.print(`${line}\n`) : void out.write(`${line}\n`));
  const refresh = (): void => {
    if (!status) return;
    if (running.size > 0) status.set(`running ${[...running.values()].join(', ')}`);
    else if (apiCall) status.set(`waiting for ${apiCall.model} (API call ${apiCall.iteration})`);
    else status.set(undefined);
  };
  const endStreamedText = (): void => {
    if (!streaming) return;
    if (openLine) out.write('\n');
    streaming = false;
    openLine = false;
    status?.resume();
  };

  const onApiStart = (event: ApiStartEvent): void => {
    apiCall = event;
    refresh();
  };
  const onText = ({ delta }: TextEvent): void => {
    if (!streaming) {
      status?.suspend();
      streaming = true;
    }
    streamedThisResponse = true;
    out.write(delta);
    if (delta !== '') openLine = !delta.endsWith('\n');
  };
  const onApiCall = (event: LLMProcessEvents['api:call'][0]): void => {
    if (event.child) return;
    apiCall = undefined;
    endStreamedText();
    refresh();
  };
  const onResponse = ({ content }: ResponseEvent): void => {
    if (streamedThisResponse) streamedThisResponse = false;
    else print(content);
  };
  const onToolStart = (event: ToolStartEvent): void => {
    const label = toolLabel(event.toolName, event.child);
    running.set(event.toolUseId, label);
    if (status) refresh();
    else print(`[tool] ${[label, formatArgs(event.args)].filter(Boolean).join(' ')}`);
  };
  const onToolEnd = (event: ToolEndEvent): void => {
    const label = toolLabel(event.toolName, event.child);
    running.delete(event.toolUseId);
    const took = formatDuration(event.durationMs);
    if (status) {
      const args = formatArgs(event.args);
      print(event.isError ? `✗ ${label} failed (${took}): ${errorText(event.result)}` : `✓ ${[label, args].filter(Boolean).join(' ')} (${took})`);
      refresh();
    } else {
      print(event.isError ? `[tool] ${label} failed (${took}): ${errorText(event.result)}` : `[tool] ${label} done (${took})`);
    }
  };

  process.on('api:start', onApiStart);
  process.on('text', onText);
  process.on('api:call', onApiCall);
  process.on('response', onResponse);
  process.on('tool:start', onToolStart);
  process.on('tool:end', onToolEnd);
  return {
    detach() {
      process.off('api:start', onApiStart);
      process.off('text', onText);
      process.off('api:call', onApiCall);
      process.off('response', onResponse);
      process.off('tool:start', onToolStart);
      process.off('tool:end', onToolEnd);
      if (openLine) out.write('\n');
      openLine = false;
      status?.stop();
    },
  };
}
