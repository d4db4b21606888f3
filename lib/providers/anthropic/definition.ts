/**
 * `provider = "anthropic"`: the Anthropic Messages API through `@anthropic-ai/sdk`.
 *
 * @module
 */
import { MissingApiKeyError } from '../../errors.js';
import type { ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import { envValues, sharedClient } from '../shared-client.js';
import { AnthropicProvider, createAnthropicClient } from './anthropic-provider.js';
import { ANTHROPIC } from './mapping.js';

/** The environment variables `new Anthropic()` reads itself. */
const SDK_VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL', 'ANTHROPIC_WEBHOOK_SIGNING_KEY', 'ANTHROPIC_LOG', 'ANTHROPIC_CUSTOM_HEADERS'];

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
    const settings = [ANTHROPIC, apiKey, authToken, defaultHeaders, baseURL, maxRetries, timeout, envValues(env, SDK_VARIABLES)];
    // The promise is shared: starts that come while the SDK loads wait for the same client.
    return new AnthropicProvider(await sharedClient(settings, () => createAnthropicClient(clientOptions)));
  },
};
