/**
 * The Anthropic provider: the only module that calls `@anthropic-ai/sdk`. Retries, timeouts, SSE
 * and error classes are the SDK's; this module adds none of its own.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import { InvalidArgumentError, MissingApiKeyError } from '../../errors.js';
import { type ModelPrice, priceOf } from '../../results/pricing.js';
import type { ProviderClientOptions } from '../provider-definition.js';
import type { CompleteOptions, InputPart, InputRefusal, ModelProvider, ModelRequest, ModelTurn, PartialUsage } from '../types.js';
import { withCacheBreakpoints } from './cache-breakpoints.js';
import { anthropicInputRefusal } from './input-support.js';
import { loadAnthropicSdk } from './load-sdk.js';
import { REDACTED, redactSecret } from './redact-secret.js';
import { ANTHROPIC, type AnthropicRequestOptions, fromAnthropicMessage, toAnthropicParams, toAnthropicRequestOptions } from './mapping.js';
import { apiErrorFields, sdkErrorKind } from './sdk-error.js';

/**
 * Options for the Anthropic client that `program.start()` creates: the start options it reads
 * (`apiKey` defaults to `ANTHROPIC_API_KEY`, `authToken` to `ANTHROPIC_AUTH_TOKEN`, `baseURL` to
 * `ANTHROPIC_BASE_URL`, as in the SDK; a ready `Anthropic` client wins over the rest).
 */
export type AnthropicClientOptions = Pick<ProviderClientOptions, 'apiKey' | 'authToken' | 'defaultHeaders' | 'baseURL' | 'maxRetries' | 'timeout' | 'client'>;

/**
 * Creates the SDK client (loading the SDK), or throws {@link MissingApiKeyError} when no key is
 * configured. An `authToken` option or `ANTHROPIC_AUTH_TOKEN` (bearer auth, which the SDK
 * supports) counts as a key.
 */
export async function createAnthropicClient(options: AnthropicClientOptions = {}): Promise<Anthropic> {
  if (options.client) {
    const client = options.client as Partial<Anthropic>;
    if (typeof client.messages?.create !== 'function') {
      throw new InvalidArgumentError('options.client', 'expected an Anthropic client (new Anthropic(...) from @anthropic-ai/sdk)');
    }
    return client as Anthropic;
  }
  const env = globalThis.process.env;
  const apiKey = options.apiKey ?? env['ANTHROPIC_API_KEY'];
  if (!apiKey && !options.authToken && !env['ANTHROPIC_AUTH_TOKEN']) throw new MissingApiKeyError();
  // llmproc never verifies webhooks: the SDK need not read their signing key from the environment.
  const clientOptions: ConstructorParameters<typeof Anthropic>[0] = { webhookKey: null };
  if (apiKey) clientOptions.apiKey = apiKey;
  if (options.authToken) clientOptions.authToken = options.authToken;
  if (options.defaultHeaders !== undefined) clientOptions.defaultHeaders = options.defaultHeaders;
  if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
  if (options.maxRetries !== undefined) clientOptions.maxRetries = options.maxRetries;
  if (options.timeout !== undefined) clientOptions.timeout = options.timeout;
  const { Anthropic } = await loadAnthropicSdk();
  return new Anthropic(clientOptions);
}

/** Options of {@link AnthropicProvider}. */
export interface AnthropicProviderOptions {
  /** The provider's name, as in `[model] provider` (default `anthropic`). */
  name?: string | undefined;
  /** The genai-prices provider id its models are priced by (default `anthropic`). */
  priceCatalog?: string | undefined;
  /** How errors name the service (default "the Anthropic API"). */
  label?: string | undefined;
  /**
   * The credentials that `error` must not carry (R19), asked for each error that is redacted.
   * Default: the client's `apiKey` and `authToken`. Claude on Vertex gives its Google access tokens.
   */
  secrets?: ((error: unknown) => Iterable<string>) | undefined;
  /** Whether the API fetches images by URL (default true; Claude on Vertex does not). */
  urlSources?: boolean | undefined;
}

/**
 * A {@link ModelProvider} on the Anthropic Messages API, or on any client with its `messages` API
 * (Claude on Vertex uses it with an `AnthropicVertex` client).
 */
export class AnthropicProvider implements ModelProvider {
  readonly name: string;
  readonly #client: Anthropic;
  readonly #catalog: string;
  readonly #label: string;
  readonly #secrets: (error: unknown) => Iterable<string>;
  readonly #urlSources: boolean;

  /**
   * @param client the SDK client.
   * @param options how this provider is named, priced and described in errors, and which secrets
   *   its errors must not carry.
   */
  constructor(client: Anthropic, options: AnthropicProviderOptions = {}) {
    this.#client = client;
    this.name = options.name ?? ANTHROPIC;
    this.#catalog = options.priceCatalog ?? 'anthropic';
    this.#label = options.label ?? 'the Anthropic API';
    this.#secrets = options.secrets ?? (() => [client.apiKey, client.authToken].filter((secret): secret is string => Boolean(secret)));
    this.#urlSources = options.urlSources ?? true;
  }

  checkInput(parts: readonly InputPart[]): InputRefusal | undefined {
    return anthropicInputRefusal(parts, { label: this.#label, urlSources: this.#urlSources });
  }

  complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelTurn> {
    try {
      // Breakpoints are a last pass over the built request: it copies what it marks, changing nothing of the mapping's.
      const params = withCacheBreakpoints(toAnthropicParams(request), request.promptCache);
      const requestOptions = toAnthropicRequestOptions(request.parameters);
      const sent = options.stream
        ? this.#stream(params, requestOptions, options)
        : // `then` on the SDK's promise, not an async function awaiting it: one promise and one async step less on every call.
          this.#client.messages
            // Nothing to add to the SDK's defaults (no signal, no headers): no options object, as a hand-written loop calls it.
            .create(params, options.signal === undefined && requestOptions.headers === undefined ? undefined : { ...requestOptions, signal: options.signal })
            .then((message) => fromAnthropicMessage(message, message._request_id));
      return sent.catch(this.#redacted);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** R19: an error body that echoes the key or token (a proxy may) must not carry it into our errors. */
  readonly #redacted = (error: unknown): never => {
    for (const secret of this.#secrets(error)) if (secret) redactSecret(error, secret);
    throw error;
  };

  priceOf(model: string): ModelPrice | undefined {
    return priceOf(model, this.#catalog);
  }

  async #stream(params: Anthropic.MessageCreateParamsNonStreaming, requestOptions: AnthropicRequestOptions, options: CompleteOptions): Promise<ModelTurn> {
    const started = performance.now();
    let firstToken: number | undefined;
    const stream = this.#client.messages.stream(params, { ...requestOptions, signal: options.signal });
    const { onUsage } = options;
    stream.on('streamEvent', (event, snapshot) => {
      if (firstToken === undefined && event.type === 'content_block_delta') firstToken = performance.now() - started;
      // Billed from message_start on: report the usage so far, in case the stream breaks off.
      if (onUsage && (event.type === 'message_start' || event.type === 'message_delta')) onUsage(partialUsageOf(snapshot, stream.request_id));
    });
    if (options.onText) stream.on('text', options.onText);
    const message = await stream.finalMessage();
    // R4: the SDK's stream can end quietly on abort; an aborted call never counts as a turn.
    if (options.signal?.aborted) throw new (await loadAnthropicSdk()).APIUserAbortError();
    return { ...fromAnthropicMessage(message, stream.request_id ?? undefined), timeToFirstTokenMs: firstToken };
  }

  describeError(error: unknown): { message: string; status?: number | undefined; requestId?: string | undefined } {
    const described = this.#describe(error);
    // Belt and braces (R19): the SDK does not echo the key, but no message of ours may carry it.
    let message = described.message;
    for (const secret of this.#secrets(error)) if (secret) message = message.replaceAll(secret, REDACTED);
    return { ...described, message };
  }

  #describe(error: unknown): { message: string; status?: number | undefined; requestId?: string | undefined } {
    // By the SDK's class names, not instanceof: a client loaded as an ES module (Claude on Vertex)
    // throws errors of another copy of the SDK's classes than the one imported here.
    const kind = sdkErrorKind(error);
    if (kind === 'abort') return { message: `The request to ${this.#label} was aborted.` };
    if (kind === 'connection') {
      return { message: `Could not reach ${this.#label} at ${this.#client.baseURL}: ${(error as Error).message}` };
    }
    if (kind === 'api') {
      const fields = apiErrorFields(error as Error);
      const requestId = fields.requestID ?? undefined;
      const type = fields.type ? ` (${fields.type})` : '';
      const detail = fields.apiMessage ?? fields.message;
      return {
        message: `${capitalize(this.#label)} answered ${fields.status ?? 'an error'}${type}: ${detail}${requestId ? ` [request ${requestId}]` : ''}`,
        status: fields.status,
        requestId,
      };
    }
    return { message: `${capitalize(this.#label)} call failed: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** The usage a stream's message snapshot reports so far (the snapshot is the SDK's, so its usage is copied). */
function partialUsageOf(snapshot: Anthropic.Message, requestId: string | null | undefined): PartialUsage {
  const { id, model, tokens, usage } = fromAnthropicMessage({ ...snapshot, content: [] }, requestId);
  return { id, model, tokens, usage: { ...usage }, requestId: requestId ?? undefined };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
