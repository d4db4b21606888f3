/**
 * The Gemini provider: the only module that calls `@google/genai` (`models.generateContent` and
 * `models.generateContentStream`), for the Gemini API and for Gemini on Vertex AI alike. Retries,
 * timeouts, SSE parsing and the error class are the SDK's; this module adds none.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { GoogleGenAI } from '@google/genai';
import { type ModelPrice, priceOf } from '../../results/pricing.js';
import { redactSecret } from '../anthropic/redact-secret.js';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelTurn } from '../types.js';
import { describeGeminiError, type ErrorDescription } from './describe-error.js';
import type { GeminiSdk } from './load-sdk.js';
import { fromGeminiResponse, rawUsage, toGeminiRequest, toTokenUsage } from './mapping.js';
import { StreamAssembly } from './stream-assembly.js';

/** The genai-prices catalog Gemini's models are priced by (the Gemini API and Vertex AI alike). */
export const GEMINI_PRICE_CATALOG = 'google';

/** Secrets shorter than this are not redacted from messages: they are no real keys, and would garble the text. */
const MIN_REDACTED_LENGTH = 8;

/** What the provider uses of a `GoogleGenAI` client. */
export type GeminiClient = Pick<GoogleGenAI, 'models'>;

/** How a {@link GeminiProvider} names itself and which secrets it keeps out of errors. */
export interface GeminiProviderSettings {
  /** `gemini` or `gemini_vertex`. */
  name: string;
  /** Where the requests go, in words, for error messages. */
  label: string;
  /** The secrets (the API key, access tokens) no error may carry (R19). */
  secrets(error: unknown): readonly string[];
}

/** The error an aborted call ends with when the stream ends quietly instead of failing. */
function abortError(): Error {
  return new DOMException('The request was aborted.', 'AbortError');
}

/** A {@link ModelProvider} on `@google/genai`. */
export class GeminiProvider implements ModelProvider {
  readonly name: string;
  readonly #client: GeminiClient;
  readonly #sdk: GeminiSdk;
  readonly #settings: GeminiProviderSettings;
  /** The model each failed request asked for, for describing a 404. */
  readonly #failedModels = new WeakMap<object, string>();

  /**
   * @param client the SDK client (`new GoogleGenAI(...)`, or one the start options gave).
   * @param sdk the loaded package: its error class.
   * @param settings the provider's name, label and secrets.
   */
  constructor(client: GeminiClient, sdk: GeminiSdk, settings: GeminiProviderSettings) {
    this.#client = client;
    this.#sdk = sdk;
    this.#settings = settings;
    this.name = settings.name;
  }

  async complete(request: ModelRequest, options: CompleteOptions = {}): Promise<ModelTurn> {
    const params = toGeminiRequest(request);
    params.config = { ...params.config, abortSignal: options.signal };
    const fallback = { model: request.model, responseId: `gemini_${randomUUID()}` };
    try {
      if (options.stream) return await this.#stream(params, fallback, options);
      const response = await this.#client.models.generateContent(params);
      if (options.signal?.aborted) throw abortError();
      return fromGeminiResponse(response, fallback);
    } catch (error) {
      // R19: an error body that echoes a key or token (a proxy may) must not carry it into our errors.
      for (const secret of this.#secrets(error)) redactSecret(error, secret);
      if (error !== null && typeof error === 'object') this.#failedModels.set(error, request.model);
      throw error;
    }
  }

  priceOf(model: string): ModelPrice | undefined {
    return priceOf(model, GEMINI_PRICE_CATALOG);
  }

  describeError(error: unknown): ErrorDescription {
    const model = error !== null && typeof error === 'object' ? this.#failedModels.get(error) : undefined;
    const described = describeGeminiError(error, { sdk: this.#sdk, label: this.#settings.label, model });
    // Belt and braces (R19): no message of ours may carry a secret.
    let message = described.message;
    for (const secret of this.#secrets(error)) message = message.replaceAll(secret, '[redacted]');
    return { ...described, message };
  }

  #secrets(error: unknown): string[] {
    return this.#settings.secrets(error).filter((secret) => secret.length >= MIN_REDACTED_LENGTH);
  }

  /**
   * Streams with the SDK's `generateContentStream` (which parses the SSE and retries the request);
   * {@link StreamAssembly} joins the chunks. Each chunk's usage is reported through `onUsage`.
   */
  async #stream(params: ReturnType<typeof toGeminiRequest>, fallback: { model: string; responseId: string }, options: CompleteOptions): Promise<ModelTurn> {
    const started = performance.now();
    let firstToken: number | undefined;
    const assembly = new StreamAssembly();
    const stream = await this.#client.models.generateContentStream(params);
    try {
      for await (const chunk of stream) {
        const texts = assembly.add(chunk);
        if (firstToken === undefined && assembly.hasContent()) firstToken = performance.now() - started;
        for (const { delta, snapshot } of texts) options.onText?.(delta, snapshot);
        if (chunk.usageMetadata && options.onUsage) {
          options.onUsage({
            id: chunk.responseId,
            model: chunk.modelVersion,
            tokens: toTokenUsage(chunk.usageMetadata),
            usage: rawUsage(chunk.usageMetadata),
          });
        }
      }
    } catch (error) {
      if (options.signal?.aborted) throw abortError();
      throw error;
    }
    // R4: a stream cut short by an abort can end quietly; an aborted call never counts as a turn.
    if (options.signal?.aborted) throw abortError();
    return { ...fromGeminiResponse(assembly.response(), fallback), timeToFirstTokenMs: firstToken };
  }
}
