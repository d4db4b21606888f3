/**
 * Recognizes the Anthropic SDK's errors by the names the SDK gives its classes, not by
 * `instanceof`: the SDK ships a CommonJS and an ES module build, and a client loaded one way
 * (`await import('@anthropic-ai/vertex-sdk')` loads the ES build and its `@anthropic-ai/sdk`) throws
 * errors of a different copy of the classes than the one imported statically. Both copies name
 * their classes the same (`APIError`, `APIConnectionError`, ...), so the names on an error's
 * prototype chain say what it is whichever copy threw it.
 *
 * @module
 */

/** What an SDK error is, for describing it. */
export type SdkErrorKind = 'abort' | 'connection' | 'api';

/** The fields of the SDK's `APIError` this module reads. */
export interface SdkApiErrorFields {
  status: number | undefined;
  requestID: string | null | undefined;
  /** The API's error type (`overloaded_error`), `null` when the body has none (Google's errors). */
  type: string | null | undefined;
  /** The API's own message, from the error body. */
  apiMessage: string | null | undefined;
  message: string;
}

/** The class names on `error`'s prototype chain (the SDK's `_errorName`, else the constructor's name). */
function classNames(error: object): Set<string> {
  const names = new Set<string>();
  for (let prototype: unknown = Object.getPrototypeOf(error); prototype !== null && prototype !== Object.prototype; prototype = Object.getPrototypeOf(prototype)) {
    const constructor = (prototype as { constructor?: { _errorName?: unknown; name?: unknown } }).constructor;
    const name = constructor?._errorName ?? constructor?.name;
    if (typeof name === 'string') names.add(name);
  }
  return names;
}

/**
 * What `error` is when the Anthropic SDK (either build) threw it: an abort (`APIUserAbortError`),
 * no connection (`APIConnectionError`, timeouts included), an API answer (`APIError` and its
 * status classes); `undefined` for any other value.
 */
export function sdkErrorKind(error: unknown): SdkErrorKind | undefined {
  if (!(error instanceof Error)) return undefined;
  const names = classNames(error);
  if (names.has('APIUserAbortError')) return 'abort';
  if (names.has('APIConnectionError')) return 'connection';
  if (names.has('APIError')) return 'api';
  return undefined;
}

/** The fields of an SDK `APIError` (of either build); call only when {@link sdkErrorKind} says `'api'`. */
export function apiErrorFields(error: Error): SdkApiErrorFields {
  const fields = error as Error & Partial<Record<'status' | 'requestID' | 'type' | 'apiMessage', unknown>>;
  const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
  return {
    status: typeof fields.status === 'number' ? fields.status : undefined,
    requestID: text(fields.requestID),
    type: text(fields.type),
    apiMessage: text(fields.apiMessage),
    message: error.message,
  };
}
