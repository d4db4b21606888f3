/**
 * What a provider is to llmproc: a name programs use in `[model] provider`, the credentials it
 * needs, how it creates its {@link ModelProvider} (its SDK client, loaded only then) and which price
 * catalog prices its models. Providers are registered by name ({@link registerProvider}); the loop
 * never imports one.
 *
 * @module
 */
import type { ModelParameters, ModelProvider } from './types.js';

/** Where a provider's API is, as a program says it (`[model] base_url`, `project_id`, `region`). */
export interface ProviderEndpoint {
  /** The API's base URL: an OpenAI-compatible server, a proxy, a test server. */
  baseUrl?: string | undefined;
  /** Claude or Gemini on Vertex: the Google Cloud project. */
  projectId?: string | undefined;
  /** Claude or Gemini on Vertex: the region. */
  region?: string | undefined;
}

/**
 * Client options of `program.start()`. Each provider reads the ones it knows; they apply to the
 * program's own provider (a linked program of another provider gets its client from its own
 * program and environment).
 */
export interface ProviderClientOptions {
  /** The API key; default the provider's environment variable (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, `GEMINI_API_KEY`). */
  apiKey?: string | undefined;
  /**
   * A bearer token sent as `Authorization: Bearer ...` instead of (or besides) an API key, for a
   * gateway or proxy that wants one; default `ANTHROPIC_AUTH_TOKEN` (Anthropic), as in the SDK.
   */
  authToken?: string | undefined;
  /**
   * Headers sent with every request (a gateway's routing or tenant header, `anthropic-beta`);
   * each provider passes them to its SDK client's `defaultHeaders`.
   */
  defaultHeaders?: Record<string, string> | undefined;
  /** The API's base URL; default the program's `base_url`, then the provider's variable, then the SDK's default. */
  baseURL?: string | undefined;
  /** How many times the SDK retries a failed request (the SDK's default is 2). */
  maxRetries?: number | undefined;
  /** Per-request timeout in ms (the SDK's default applies when unset). */
  timeout?: number | undefined;
  /**
   * A ready SDK client of the program's provider (an `Anthropic`, `OpenAI`, `AnthropicVertex` or
   * `GoogleGenAI` instance); when given, the other client options are ignored. Typed `object` and
   * checked by shape at `start()` (`messages.create`, `chat.completions.create` or
   * `models.generateContent` must be a function), not as our SDK version's class: the
   * SDKs' classes have private members, so a client of another installed version of the SDK would
   * not type-check against ours, though it works the same.
   */
  client?: object | undefined;
  /** OpenAI: the organization; default `OPENAI_ORG_ID`. */
  organization?: string | undefined;
  /**
   * Claude or Gemini on Vertex: the project; default the program's `project_id`, then
   * `ANTHROPIC_VERTEX_PROJECT_ID` (Claude) or `GOOGLE_CLOUD_PROJECT` (Gemini).
   */
  projectId?: string | undefined;
  /** Claude or Gemini on Vertex: the region; default the program's `region`, then `CLOUD_ML_REGION` (Gemini: then `GOOGLE_CLOUD_LOCATION`). */
  region?: string | undefined;
  /** Claude or Gemini on Vertex: a Google access token to send instead of resolving credentials. */
  accessToken?: string | undefined;
  /** Claude or Gemini on Vertex: a `GoogleAuth` instance (google-auth-library) to take credentials from. */
  googleAuth?: unknown;
}

/** What a provider's `create` gets. */
export interface ProviderContext {
  /** The model id the program names. */
  model: string;
  /** The program's endpoint settings. */
  endpoint: Readonly<ProviderEndpoint>;
  /** The start options. */
  options: Readonly<ProviderClientOptions>;
  /** The environment to read variables from. */
  env: Readonly<Record<string, string | undefined>>;
  /** The program file, for errors. */
  file: string | undefined;
  /** The program's parameters, so a provider can refuse one it cannot send (naming the key) when the program starts. */
  parameters?: Readonly<ModelParameters> | undefined;
}

/** A provider llmproc can run, registered by name. */
export interface ProviderDefinition {
  /** The name programs use in `[model] provider`. */
  readonly name: string;
  /** The environment variable holding the key, named in errors and by the CLI; `undefined` when it needs none (Vertex). */
  readonly apiKeyVariable: string | undefined;
  /** Whether `env` holds credentials this provider can use (the CLI's check before a real run). */
  hasCredentials(env: Readonly<Record<string, string | undefined>>): boolean;
  /**
   * Creates the model provider for a program, loading the provider's SDK.
   * @throws {MissingApiKeyError} or another {@link LLMProcError} naming what is missing.
   */
  create(context: ProviderContext): Promise<ModelProvider>;
}
