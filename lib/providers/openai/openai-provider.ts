/**
 * The OpenAI provider: the only module that calls the `openai` SDK (Chat Completions), on any
 * client with its API (OpenAI's, or an OpenAI-compatible server's). Retries, timeouts, SSE parsing,
 * the assembly of streamed chunks and the error classes are the SDK's; this module adds none.
 *
 * @module
 */
import type OpenAI from 'openai';
import { type ModelPrice, priceOf } from '../../results/pricing.js';
import { redactSecret } from '../anthropic/redact-secret.js';
import type { CompleteOptions, InputPart, InputRefusal, ModelProvider, ModelRequest, ModelTurn } from '../types.js';
import { openaiInputRefusal } from './input-support.js';
import { isOpenAIBaseUrl, KEYLESS_API_KEY } from './client-options.js';
import { describeOpenAIError, type ErrorDescription } from './describe-error.js';
import type { OpenAISdk } from './load-sdk.js';
import { fromOpenAICompletion, toOpenAIHeaders, toOpenAIParams } from './mapping.js';

type WireParams = OpenAI.ChatCompletionCreateParamsNonStreaming;
type RequestOptions = { signal?: AbortSignal | undefined; headers?: Record<string, string> | undefined };

/** The provider's name, as in `[model] provider`; also the genai-prices catalog it is priced by. */
export const OPENAI = 'openai';

/** Keys shorter than this are not redacted from messages: they are no real keys, and would garble the text. */
export const MIN_REDACTED_KEY_LENGTH = 8;

/** Whether a chunk carries content: text, a refusal or a tool call (what time to first token measures). */
function hasContent(chunk: OpenAI.ChatCompletionChunk): boolean {
  return chunk.choices.some(({ delta }) => Boolean(delta?.content || delta?.refusal || delta?.tool_calls?.length));
}

/** A {@link ModelProvider} on Chat Completions. */
export class OpenAIProvider implements ModelProvider {
  readonly name = OPENAI;
  readonly #client: OpenAI;
  readonly #sdk: OpenAISdk;
  readonly #label: string;
  /** The model each failed request asked for, for describing a 404. */
  readonly #failedModels = new WeakMap<object, string>();

  /**
   * @param client the SDK client (`new OpenAI(...)`, or one the program's start options gave).
   * @param sdk the loaded `openai` package: its error classes and stream helper.
   */
  constructor(client: OpenAI, sdk: OpenAISdk) {
    this.#client = client;
    this.#sdk = sdk;
    const baseURL = client.baseURL;
    this.#label = isOpenAIBaseUrl(baseURL) ? 'the OpenAI API' : `the OpenAI-compatible server at ${baseURL}`;
  }

  complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelTurn> {
    try {
      const params = toOpenAIParams(request);
      const requestOptions: RequestOptions = { signal: options.signal, headers: toOpenAIHeaders(request.parameters) };
      const sent = options.stream
        ? this.#stream(params, requestOptions, options)
        : // `then` on the SDK's promise, not an async function awaiting it: one promise and one async step less on every call.
          this.#client.chat.completions.create(params, requestOptions).then((completion) => fromOpenAICompletion(completion, (completion as { _request_id?: string | null })._request_id));
      return sent.catch((error: unknown) => this.#failed(error, request.model));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Rethrows a failed call's error, redacted (R19: a body that echoes the key, as a proxy may, must not carry it), and remembers its model. */
  #failed(error: unknown, model: string): never {
    const key = this.#secret();
    if (key) redactSecret(error, key);
    if (error !== null && typeof error === 'object') this.#failedModels.set(error, model);
    throw error;
  }

  priceOf(model: string): ModelPrice | undefined {
    return priceOf(model, OPENAI);
  }

  checkInput(parts: readonly InputPart[], model: string): InputRefusal | undefined {
    return openaiInputRefusal(parts, model);
  }

  describeError(error: unknown): ErrorDescription {
    const model = error !== null && typeof error === 'object' ? this.#failedModels.get(error) : undefined;
    const described = describeOpenAIError(error, { sdk: this.#sdk.openai, label: this.#label, baseURL: this.#client.baseURL, model });
    // Belt and braces (R19): the SDK does not echo the key, but no message of ours may carry it.
    const key = this.#secret();
    return key ? { ...described, message: described.message.replaceAll(key, '[redacted]') } : described;
  }

  /**
   * The client's API key when it is one worth redacting: a string (not a key function), not the
   * keyless placeholder, and at least {@link MIN_REDACTED_KEY_LENGTH} characters (a test key such as
   * `k` would otherwise be cut out of every word that contains it).
   */
  #secret(): string | undefined {
    const key: unknown = this.#client.apiKey;
    return typeof key === 'string' && key.length >= MIN_REDACTED_KEY_LENGTH && key !== KEYLESS_API_KEY ? key : undefined;
  }

  /**
   * Streams with the SDK's own helpers: the SDK parses the SSE and retries the request, and its
   * `ChatCompletionStream` assembles the chunks (text, tool call deltas, the usage chunk that
   * `include_usage` asks for) into the final completion. `withResponse()` gives the request id.
   */
  async #stream(params: WireParams, requestOptions: RequestOptions, options: CompleteOptions): Promise<ModelTurn> {
    const started = performance.now();
    let firstToken: number | undefined;
    const { data, request_id: requestId } = await this.#client.chat.completions
      .create({ ...params, stream: true, stream_options: { include_usage: true } }, requestOptions)
      .withResponse();
    const stream = this.#sdk.ChatCompletionStream.fromReadableStream(data.toReadableStream());
    stream.on('chunk', (chunk) => {
      if (firstToken === undefined && hasContent(chunk)) firstToken = performance.now() - started;
    });
    const onText = options.onText;
    if (onText) stream.on('content', (delta, snapshot) => void (delta !== '' && onText(delta, snapshot)));
    let completion: OpenAI.ChatCompletion;
    try {
      completion = await stream.finalChatCompletion();
    } catch (error) {
      if (options.signal?.aborted) throw new this.#sdk.openai.APIUserAbortError();
      throw error;
    }
    // R4: a stream cut short by an abort can end quietly; an aborted call never counts as a turn.
    if (options.signal?.aborted) throw new this.#sdk.openai.APIUserAbortError();
    return { ...fromOpenAICompletion(completion, requestId), timeToFirstTokenMs: firstToken };
  }
}
