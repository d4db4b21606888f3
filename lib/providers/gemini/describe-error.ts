/**
 * What a failed Gemini call says in a RunError: the status, Google's status name and message, and
 * where the request went. The SDK throws `ApiError` with the status and, as its message, the
 * API's error body as JSON (`{"error":{"code","message","status"}}`), or for an error event inside
 * a stream `got status: <STATUS>. <body>`; a connection failure is fetch's `TypeError`.
 *
 * @module
 */
import type { GeminiSdk } from './load-sdk.js';

/** A described error, as {@link ModelProvider.describeError} returns it. */
export interface ErrorDescription {
  message: string;
  status?: number | undefined;
  requestId?: string | undefined;
}

/** What the description needs to know besides the error. */
export interface DescribeContext {
  /** The SDK's error class. */
  sdk: Pick<GeminiSdk, 'ApiError'>;
  /** Where the requests go, in words: `the Gemini API`, `Gemini on Vertex AI (project p, region r)`. */
  label: string;
  /** For a 404: the model the failed request asked for, when known. */
  model?: string | undefined;
}

/** Google's error object, read from the API's body. */
interface GoogleError {
  message?: string | undefined;
  status?: string | undefined;
}

/** The error object in an `ApiError`'s message, when the message holds the API's JSON body. */
function googleErrorIn(message: string): { error: GoogleError; midStream: boolean } | undefined {
  const midStream = message.startsWith('got status:');
  const json = midStream ? message.slice(message.indexOf('{')) : message;
  try {
    const body = JSON.parse(json) as { error?: unknown };
    const error = body?.error;
    if (error === null || typeof error !== 'object') return undefined;
    const fields = error as Record<string, unknown>;
    return {
      error: { message: typeof fields['message'] === 'string' ? fields['message'] : undefined, status: typeof fields['status'] === 'string' ? fields['status'] : undefined },
      midStream,
    };
  } catch {
    return undefined;
  }
}

/** `error` as an API error: the SDK's class, or one that looks like it (another copy of the package). */
function asApiError(error: unknown, sdk: DescribeContext['sdk']): { status: number; message: string } | undefined {
  if (error instanceof sdk.ApiError) return error;
  if (error instanceof Error && error.name === 'ApiError' && typeof (error as { status?: unknown }).status === 'number') return error as Error & { status: number };
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The innermost message of a fetch failure (`fetch failed` → `connect ECONNREFUSED 127.0.0.1:1`). */
function rootMessage(error: Error): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}

/**
 * Describes an error the SDK threw. An API error gives its status, Google's status name and the
 * API's message; a 404 names the model asked for; an error event inside a stream says it came
 * mid-stream; an abort and a connection failure say so.
 */
export function describeGeminiError(error: unknown, context: DescribeContext): ErrorDescription {
  const { label } = context;
  const api = asApiError(error, context.sdk);
  if (api) {
    const parsed = googleErrorIn(api.message);
    const detail = parsed?.error.message ?? api.message;
    const kind = parsed?.error.status ? ` (${parsed.error.status})` : '';
    if (parsed?.midStream) return { message: `${capitalize(label)} sent an error mid-stream, status ${api.status}${kind}: ${detail}`, status: api.status };
    const hint = api.status === 404 ? ` The model ${context.model ? `"${context.model}" ` : ''}may not exist there, or the base URL may be wrong.` : '';
    return { message: `${capitalize(label)} answered ${api.status}${kind}: ${detail}${hint}`, status: api.status };
  }
  if (error instanceof Error && error.name === 'AbortError') return { message: `The request to ${label} was aborted.` };
  if (error instanceof TypeError && /fetch failed/i.test(error.message)) return { message: `Could not reach ${label}: ${rootMessage(error)}` };
  return { message: `${capitalize(label)} call failed: ${error instanceof Error ? error.message : String(error)}` };
}
