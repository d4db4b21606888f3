/**
 * `provider = "anthropic"`: the Anthropic Messages API through `@anthropic-ai/sdk`.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import { MissingApiKeyError } from '../../errors.js';
import type { ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import { envValues, sharedClient } from '../shared-client.js';
import { AnthropicProvider, createAnthropicClient } from './anthropic-provider.js';
import { ANTHROPIC } from './mapping.js';

/**
 * The environment variables `new Anthropic()` reads whatever its options (llmproc gives it
 * `webhookKey: null`: it never verifies webhooks, so the SDK need not read their key).
 */
const ALWAYS_READ = ['ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS'] as const;
/** Those it reads when no credential is given (a key or token given is its only credential). */
const CREDENTIAL_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const;
/** What {@link variablesRead} answers, made once: with a credential given or not, with a base URL given or not. */
const READ = {
  both: [...ALWAYS_READ],
  credentials: [...ALWAYS_READ, ...CREDENTIAL_VARIABLES],
  baseURL: [...ALWAYS_READ, 'ANTHROPIC_BASE_URL'],
  all: [...ALWAYS_READ, ...CREDENTIAL_VARIABLES, 'ANTHROPIC_BASE_URL'],
} as const;

/**
 * The environment variables `new Anthropic(options)` reads itself: only those no option overrides
 * are part of a shared client's key (`process.env` is slow to read, and a start per conversation
 * asks on every start).
 */
function variablesRead(options: { apiKey?: string | undefined; authToken?: string | undefined; baseURL?: string | undefined }): readonly string[] {
  const credential = Boolean(options.apiKey || options.authToken);
  if (options.baseURL === undefined) return credential ? READ.baseURL : READ.all;
  return credential ? READ.both : READ.credentials;
}

/** The provider of each shared client: it holds nothing but the client, so the starts that share a client share it too. */
const providers = new WeakMap<Anthropic, AnthropicProvider>();

function providerOf(client: Anthropic): AnthropicProvider {
  let provider = providers.get(client);
  if (!provider) providers.set(client, (provider = new AnthropicProvider(client)));
  return provider;
}

/**
 * The Anthropic provider's registration. Starts with the same client settings (and environment)
 * share one SDK client ({@link sharedClient}); a `client` given to `start()` is used as it is.
 */
export const anthropicProvider: ProviderDefinition = {
  name: 'anthropic',
  apiKeyVariable: 'ANTHROPIC_API_KEY',
  hasCredentials: (env) => Boolean(env['ANTHROPIC_API_KEY'] || env['ANTHROPIC_AUTH_TOKEN']),
  async create(context: ProviderContext): Promise<ModelProvider> {
    const { options, env } = context;
    const apiKey = options.apiKey ?? env['ANTHROPIC_API_KEY'];
    if (!options.client && !apiKey && !options.authToken && !env['ANTHROPIC_AUTH_TOKEN']) {
      throw new MissingApiKeyError({ provider: 'anthropic', label: 'Anthropic', variable: 'ANTHROPIC_API_KEY', file: context.file });
    }
    const clientOptions = { ...options, apiKey, baseURL: options.baseURL ?? context.endpoint.baseUrl };
    if (options.client) return new AnthropicProvider(await createAnthropicClient(clientOptions));
    const { authToken, defaultHeaders, baseURL, maxRetries, timeout } = clientOptions;
    const settings = [ANTHROPIC, apiKey, authToken, defaultHeaders, baseURL, maxRetries, timeout, envValues(env, variablesRead(clientOptions))];
    // The promise is shared: starts that come while the SDK loads wait for the same client.
    return providerOf(await sharedClient(settings, () => createAnthropicClient(clientOptions)));
  },
};
