/**
 * The Anthropic provider: the only module that calls `@anthropic-ai/sdk`. Retries, timeouts, SSE
 * and error classes are the SDK's; this module adds none of its own.
 *
 * @module
 */
import Anthropic from '@anthropic-ai/sdk';
import { InvalidArgumentError, MissingApiKeyError } from '../../errors.js';
import { type ModelPrice, priceOf } from '../../results/pricing.js';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelTurn, PartialUsage } from '../types.js';
import { redactSecret } from './redact-secret.js';
import { ANTHROPIC, fromAnthropicMessage, toAnthropicParams } from './mapping.js';

/** Options for the Anthropic client that `program.start()` creates. */
export interface AnthropicClientOptions {
  /** Defaults to the `ANTHROPIC_API_KEY` environment variable, as in the SDK. */
  apiKey?: string | undefined;
  /** Defaults to `ANTHROPIC_BASE_URL`, then the SDK's default. */
  baseURL?: string | undefined;
  /** How many times the SDK retries a failed request (the SDK's default is 2). */
  maxRetries?: number | undefined;
  /** Per-request timeout in ms (the SDK's default applies when unset). */
  timeout?: number | undefined;
  /** A ready client (an `Anthropic` instance); when given, the other options are ignored. */
  client?: object | undefined;
}

/**
 * Creates the SDK client, or throws {@link MissingApiKeyError} when no key is configured. An
 * `ANTHROPIC_AUTH_TOKEN` (bearer auth, which the SDK supports) counts as a key.
 */
export function createAnthropicClient(options: AnthropicClientOptions = {}): Anthropic {
  if (options.client) {
    const client = options.client as Partial<Anthropic>;
    if (typeof client.messages?.create !== 'function') {
      throw new InvalidArgumentError('options.client', 'expected an Anthropic client (new Anthropic(...) from @anthropic-ai/sdk)');
    }
    return client as Anthropic;
  }
  const env = globalThis.process.env;
  const apiKey = options.apiKey ?? env['ANTHROPIC_API_KEY'];
  if (!apiKey && !env['ANTHROPIC_AUTH_TOKEN']) throw new MissingApiKeyError();
  const clientOptions: ConstructorParameters<typeof Anthropic>[0] = {};
  if (apiKey) clientOptions.apiKey = apiKey;
  if (options.baseURL !== undefined) clientOptions.baseURL = options.baseURL;
  if (options.maxRetries !== undefined) clientOptions.maxRetries = options.maxRetries;
  if (options.timeout !== undefined) clientOptions.timeout = options.timeout;
  return new Anthropic(clientOptions);
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

  /**
   * @param client the SDK client.
   * @param options how this provider is named (`anthropic`), priced (the genai-prices provider id)
   *   and described in errors ("the Anthropic API").
   */
  constructor(client: Anthropic, options: { name?: string; priceCatalog?: string; label?: string } = {}) {
    this.#client = client;
    this.name = options.name ?? ANTHROPIC;
    this.#catalog = options.priceCatalog ?? 'anthropic';
    this.#label = options.label ?? 'the Anthropic API';
  }

  async complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelTurn> {
    const params = toAnthropicParams(request);
    try {
      return await (options.stream ? this.#stream(params, options) : this.#create(params, options.signal));
    } catch (error) {
      // R19: an error body that echoes the key or token (a proxy may) must not carry it into our errors.
      for (const secret of [this.#client.apiKey, this.#client.authToken]) if (secret) redactSecret(error, secret);
      throw error;
    }
  }

  priceOf(model: string): ModelPrice | undefined {
    return priceOf(model, this.#catalog);
  }

  async #create(params: Anthropic.MessageCreateParamsNonStreaming, signal: AbortSignal | undefined): Promise<ModelTurn> {
    const message = await this.#client.messages.create(params, { signal });
    return fromAnthropicMessage(message, message._request_id);
  }

  async #stream(params: Anthropic.MessageCreateParamsNonStreaming, options: CompleteOptions): Promise<ModelTurn> {
    const started = performance.now();
    let firstToken: number | undefined;
    const stream = this.#client.messages.stream(params, { signal: options.signal });
    const { onUsage } = options;
    stream.on('streamEvent', (event, snapshot) => {
      if (firstToken === undefined && event.type === 'content_block_delta') firstToken = performance.now() - started;
      // Billed from message_start on: report the usage so far, in case the stream breaks off.
      if (onUsage && (event.type === 'message_start' || event.type === 'message_delta')) onUsage(partialUsageOf(snapshot, stream.request_id));
    });
    if (options.onText) stream.on('text', options.onText);
    const message = await stream.finalMessage();
    // R4: the SDK's stream can end quietly on abort; an aborted call never counts as a turn.
    if (options.signal?.aborted) throw new Anthropic.APIUserAbortError();
    return { ...fromAnthropicMessage(message, stream.request_id ?? undefined), timeToFirstTokenMs: firstToken };
  }

  describeError(error: unknown): { message: string; status?: number | undefined; requestId?: string | undefined } {
    const described = this.#describe(error);
    // Belt and braces (R19): the SDK does not echo the key, but no message of ours may carry it.
    const key = this.#client.apiKey;
    return key ? { ...described, message: described.message.replaceAll(key, '[redacted]') } : described;
  }

  #describe(error: unknown): { message: string; status?: number | undefined; requestId?: string | undefined } {
    if (error instanceof Anthropic.APIUserAbortError) return { message: `The request to ${this.#label} was aborted.` };
    if (error instanceof Anthropic.APIConnectionError) {
      return { message: `Could not reach ${this.#label} at ${this.#client.baseURL}: ${error.message}` };
    }
    if (error instanceof Anthropic.APIError) {
      const requestId = error.requestID ?? undefined;
      const kind = error.type ? ` (${error.type})` : '';
      const detail = error.apiMessage ?? error.message;
      return {
        message: `${capitalize(this.#label)} answered ${error.status ?? 'an error'}${kind}: ${detail}${requestId ? ` [request ${requestId}]` : ''}`,
        status: error.status,
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
