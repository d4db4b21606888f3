/**
 * What a failed OpenAI call says in a RunError: the status, the request id (`x-request-id`) and a
 * message that names where the request went and carries no key.
 *
 * @module
 */
import type { OpenAISdk } from './load-sdk.js';

/** A described error, as {@link ModelProvider.describeError} returns it. */
export interface ErrorDescription {
  message: string;
  status?: number | undefined;
  requestId?: string | undefined;
}

/** What the description needs to know besides the error. */
export interface DescribeContext {
  /** The SDK's error classes. */
  sdk: OpenAISdk['openai'];
  /** Where the requests go, in words: `the OpenAI API`, `the OpenAI-compatible server at http://...`. */
  label: string;
  /** The API's base URL. */
  baseURL: string;
  /** For a 404: the model the failed request asked for, when known. */
  model?: string | undefined;
}

/** The fields of an API error this module reads (from the SDK's class, or from another copy of the SDK). */
interface ApiErrorFields {
  status?: number | undefined;
  requestID?: string | null | undefined;
  type?: string | undefined;
  code?: string | null | undefined;
  error?: { message?: unknown } | undefined;
  message: string;
}

/** `error` as an API error: one of the SDK's, or one that looks like it (a client built from another copy of the package). */
function asApiError(error: unknown, sdk: OpenAISdk['openai']): ApiErrorFields | undefined {
  if (error instanceof sdk.APIError) return error as ApiErrorFields;
  if (error instanceof Error && typeof (error as { status?: unknown }).status === 'number' && 'requestID' in error) return error as ApiErrorFields;
  return undefined;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Describes an error the SDK threw. An abort and a connection failure say so; an API error gives
 * its status, type or code, the API's message and the request id; a 404 names the model asked for
 * and the base URL, the two usual causes; an error event inside a stream says it came mid-stream.
 */
export function describeOpenAIError(error: unknown, context: DescribeContext): ErrorDescription {
  const { sdk, label } = context;
  if (error instanceof sdk.APIUserAbortError) return { message: `The request to ${label} was aborted.` };
  if (error instanceof sdk.APIConnectionError) {
    const where = label.includes(context.baseURL) ? label : `${label} at ${context.baseURL}`;
    return { message: `Could not reach ${where}: ${error.message}` };
  }
  const api = asApiError(error, sdk);
  if (api) {
    const requestId = api.requestID ?? undefined;
    const kind = api.code ?? api.type;
    const detail = typeof api.error?.message === 'string' ? api.error.message : api.message;
    const where = requestId ? ` [request ${requestId}]` : '';
    if (api.status === undefined) return { message: `${capitalize(label)} sent an error mid-stream${kind ? ` (${kind})` : ''}: ${detail}${where}`, requestId };
    const hint =
      api.status === 404
        ? ` The model ${context.model ? `"${context.model}" ` : ''}may not exist there, or the base URL (${context.baseURL}) may be wrong: an OpenAI-compatible server's usually ends in /v1.`
        : '';
    return { message: `${capitalize(label)} answered ${api.status}${kind ? ` (${kind})` : ''}: ${detail}${where}${hint}`, status: api.status, requestId };
  }
  return { message: `${capitalize(label)} call failed: ${error instanceof Error ? error.message : String(error)}` };
}
