/**
 * Where the Gemini client's settings come from, as pure functions of the start options, the
 * program's `[model]` endpoint keys and the environment. Everything is passed to the SDK
 * explicitly (`vertexai`, the key, the project, the base URL), so that the SDK's own reading of
 * `process.env` (`GOOGLE_GENAI_USE_VERTEXAI`, ...) cannot turn a program into another.
 *
 * - `gemini`: the Gemini API with an API key: `apiKey`, else `GOOGLE_API_KEY`, else
 *   `GEMINI_API_KEY` (the SDK's order); base URL `baseURL`, else `[model] base_url`, else
 *   `GOOGLE_GEMINI_BASE_URL`.
 * - `gemini_vertex`: Gemini on Vertex AI with Google credentials: project `projectId`, else
 *   `[model] project_id`, else `GOOGLE_CLOUD_PROJECT`; region `region`, else `[model] region`,
 *   else `CLOUD_ML_REGION`, else `GOOGLE_CLOUD_LOCATION`; base URL `baseURL`, else `[model]
 *   base_url`, else `GOOGLE_VERTEX_BASE_URL`.
 *
 * Retries are the SDK's (`httpOptions.retryOptions`: 408, 429 and 5xx with exponential backoff),
 * which it makes only when asked: llmproc always asks, with `maxRetries` (default 2, as the other
 * SDKs) more attempts after the first.
 *
 * @module
 */
import type { GoogleGenAIOptions, HttpOptions, HttpRetryOptions } from '@google/genai';
import { MissingApiKeyError } from '../../errors.js';
import type { ProviderContext } from '../provider-definition.js';
import { MissingProviderSettingError } from '../provider-errors.js';

/** The provider names. */
export const GEMINI = 'gemini';
export const GEMINI_VERTEX = 'gemini_vertex';

/** How errors name each provider. */
export const GEMINI_LABEL = 'Gemini';
export const GEMINI_VERTEX_LABEL = 'Gemini on Vertex AI';

/** The variables holding a Gemini API key, in the order the SDK reads them. */
export const GEMINI_KEY_VARIABLES = ['GOOGLE_API_KEY', 'GEMINI_API_KEY'] as const;

/** The variable holding the Vertex project. */
export const GEMINI_PROJECT_VARIABLE = 'GOOGLE_CLOUD_PROJECT';

/** The variables holding the Vertex region, in order. */
export const GEMINI_REGION_VARIABLES = ['CLOUD_ML_REGION', 'GOOGLE_CLOUD_LOCATION'] as const;

/** Retries when the start options do not say (as the Anthropic and OpenAI SDKs). */
export const DEFAULT_MAX_RETRIES = 2;

/** The SDK's backoff, in seconds: 0.5 s doubling up to 8 s (the Anthropic SDK's), not its own 1 s up to 60 s. */
const BACKOFF = { initialDelay: 0.5, maxDelay: 8 } as const;

type Context = Pick<ProviderContext, 'options' | 'endpoint' | 'env' | 'file'>;

/** The first non-empty value of `variables` in `env`. */
function fromEnv(env: Context['env'], variables: readonly string[]): string | undefined {
  for (const name of variables) {
    const value = env[name]?.trim();
    if (value) return value;
  }
  return undefined;
}

/** The HTTP options both modes share: base URL, headers, timeout, retries. */
function httpOptions(context: Context, baseUrlVariable: string): HttpOptions {
  const { options, endpoint, env } = context;
  const retryOptions: HttpRetryOptions = { attempts: (options.maxRetries ?? DEFAULT_MAX_RETRIES) + 1, ...BACKOFF };
  const http: HttpOptions = { retryOptions };
  const baseUrl = options.baseURL ?? endpoint.baseUrl ?? fromEnv(env, [baseUrlVariable]);
  if (baseUrl) http.baseUrl = baseUrl;
  if (options.defaultHeaders && Object.keys(options.defaultHeaders).length > 0) http.headers = { ...options.defaultHeaders };
  if (options.timeout !== undefined) http.timeout = options.timeout;
  return http;
}

/**
 * The Gemini API client's options for a program.
 *
 * @throws {MissingApiKeyError} naming `GEMINI_API_KEY` and `GOOGLE_API_KEY` when there is no key.
 */
export function geminiClientOptions(context: Context): GoogleGenAIOptions & { apiKey: string } {
  const apiKey = context.options.apiKey || fromEnv(context.env, GEMINI_KEY_VARIABLES);
  if (!apiKey) {
    throw new MissingApiKeyError({ provider: GEMINI, label: GEMINI_LABEL, variable: 'GEMINI_API_KEY (or GOOGLE_API_KEY)', file: context.file });
  }
  return { vertexai: false, apiKey, httpOptions: httpOptions(context, 'GOOGLE_GEMINI_BASE_URL') };
}

/** One Vertex setting, by its names in each place it may be set. */
interface SettingNames {
  setting: string;
  option: 'projectId' | 'region';
  tomlKey: string;
  variables: readonly string[];
}

const PROJECT: SettingNames = { setting: 'Google Cloud project', option: 'projectId', tomlKey: 'model.project_id', variables: [GEMINI_PROJECT_VARIABLE] };
const REGION: SettingNames = { setting: 'region (e.g. "global" or "us-central1")', option: 'region', tomlKey: 'model.region', variables: GEMINI_REGION_VARIABLES };

function resolve(context: Context, names: SettingNames): string {
  const value = context.options[names.option] || context.endpoint[names.option] || fromEnv(context.env, names.variables);
  if (value) return value;
  throw new MissingProviderSettingError({
    provider: GEMINI_VERTEX,
    label: GEMINI_VERTEX_LABEL,
    setting: names.setting,
    keyPath: context.file === undefined ? names.option : names.tomlKey,
    variable: names.variables.join(' or '),
    option: names.option,
    file: context.file,
  });
}

/** The project and region of a Gemini on Vertex program. */
export interface GeminiVertexSettings {
  project: string;
  location: string;
}

/**
 * The project and region of a `gemini_vertex` program. Both are required, as for
 * `anthropic_vertex` (a program says where it runs; `region = "global"` serves every Gemini model).
 *
 * @throws {MissingProviderSettingError} naming the program key, the variables and the start option
 * of the first one missing.
 */
export function geminiVertexSettings(context: Context): GeminiVertexSettings {
  return { project: resolve(context, PROJECT), location: resolve(context, REGION) };
}

/** The Vertex client's options for a program, without credentials (the definition adds them). */
export function geminiVertexClientOptions(context: Context): GoogleGenAIOptions & GeminiVertexSettings {
  return { vertexai: true, ...geminiVertexSettings(context), httpOptions: httpOptions(context, 'GOOGLE_VERTEX_BASE_URL') };
}
