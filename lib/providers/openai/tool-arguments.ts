/**
 * Reading a tool call's arguments. Chat Completions sends them as a JSON string, which the model
 * may get wrong: malformed, not an object, or cut off by `max_completion_tokens`. Such a call
 * becomes `input: {}` with an `inputError`, so the loop answers it with an `is_error` result the
 * model can act on instead of running the tool on guessed input.
 *
 * @module
 */

/** Arguments read from a tool call: the input, or why it could not be read. */
export interface ReadArguments {
  input: Record<string, unknown>;
  /** Set when the arguments could not be read; `input` is then `{}`. */
  inputError?: string | undefined;
}

/** How much of bad arguments an error message quotes. */
const QUOTE_LENGTH = 120;

/** `text`, shortened to {@link QUOTE_LENGTH} characters, as JSON. */
function quote(text: string): string {
  return JSON.stringify(text.length > QUOTE_LENGTH ? `${text.slice(0, QUOTE_LENGTH)}…` : text);
}

/** What a parsed JSON value is, in words. */
function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

/** Whether JSON.parse failed because `raw` ends too soon (its message, or the position it gives, says so). */
function isCutOff(raw: string, reason: string): boolean {
  if (/end of (JSON )?input|Unterminated string/i.test(reason)) return true;
  const position = /at position (\d+)/.exec(reason)?.[1];
  return position !== undefined && Number(position) >= raw.trimEnd().length;
}

/**
 * Parses a tool call's `arguments`. An empty string (some OpenAI-compatible servers send it for a
 * call without arguments) is `{}`. Anything but a JSON object gives `input: {}` and an
 * `inputError` that names the problem and quotes the start of what was sent.
 */
export function readToolArguments(raw: string): ReadArguments {
  if (raw.trim() === '') return { input: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    const cutOff = isCutOff(raw, reason);
    return {
      input: {},
      inputError: `${cutOff ? 'the arguments are cut off' : 'the arguments are not valid JSON'} (${reason}): ${quote(raw)}`,
    };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { input: {}, inputError: `the arguments are ${kindOf(parsed)}, not a JSON object: ${quote(raw)}` };
  }
  return { input: parsed as Record<string, unknown> };
}
