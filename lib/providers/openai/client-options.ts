/**
 * Where the OpenAI client's settings come from, as a pure function of the start options, the
 * program's `[model] base_url` and the environment (read the way the `openai` SDK reads it).
 *
 * @module
 */
import { MissingApiKeyError } from '../../errors.js';
import type { ProviderContext } from '../provider-definition.js';

/** OpenAI's own API; a base URL elsewhere is an OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio, a proxy). */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * The key sent to an OpenAI-compatible server when none is configured: the SDK needs one to send
 * a request, and local servers ignore it.
 */
export const KEYLESS_API_KEY = 'not-needed';

/** The options the OpenAI client is created with. */
export interface OpenAIClientSettings {
  apiKey: string;
  /** The API's base URL; `OPENAI_BASE_URL` when none is configured. */
  baseURL: string;
  /** `null` sends no `OpenAI-Organization` header. */
  organization: string | null;
  maxRetries?: number | undefined;
  timeout?: number | undefined;
}

/** Whether `baseURL` is OpenAI's own API (`api.openai.com`), which always needs a key. */
export function isOpenAIBaseUrl(baseURL: string): boolean {
  try {
    return new URL(baseURL).hostname === 'api.openai.com';
  } catch {
    return false;
  }
}

/**
 * The client's settings for a program. The key is `options.apiKey`, else `OPENAI_API_KEY`; the
 * base URL `options.baseURL`, else the program's `base_url`, else `OPENAI_BASE_URL`, else OpenAI's;
 * the organization `options.organization`, else `OPENAI_ORG_ID`. A base URL that is not
 * `api.openai.com` needs no key: {@link KEYLESS_API_KEY} is sent instead.
 *
 * @throws {MissingApiKeyError} naming `OPENAI_API_KEY` when OpenAI's own API is used without a key.
 */
export function openAIClientSettings(context: Pick<ProviderContext, 'options' | 'endpoint' | 'env' | 'file'>): OpenAIClientSettings {
  const { options, endpoint, env } = context;
  const baseURL = options.baseURL ?? endpoint.baseUrl ?? (env['OPENAI_BASE_URL'] || undefined) ?? OPENAI_BASE_URL;
  let apiKey = options.apiKey ?? (env['OPENAI_API_KEY'] || undefined);
  if (!apiKey) {
    if (isOpenAIBaseUrl(baseURL)) {
      throw new MissingApiKeyError({ provider: 'openai', label: 'OpenAI', variable: 'OPENAI_API_KEY', file: context.file });
    }
    apiKey = KEYLESS_API_KEY;
  }
  const settings: OpenAIClientSettings = { apiKey, baseURL, organization: options.organization ?? (env['OPENAI_ORG_ID'] || null) };
  if (options.maxRetries !== undefined) settings.maxRetries = options.maxRetries;
  if (options.timeout !== undefined) settings.timeout = options.timeout;
  return settings;
}
