/**
 * `provider = "anthropic"`: the Anthropic Messages API through `@anthropic-ai/sdk`.
 *
 * @module
 */
import { MissingApiKeyError } from '../../errors.js';
import type { ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import { AnthropicProvider, createAnthropicClient } from './anthropic-provider.js';

/** The Anthropic provider's registration. */
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
    const client = await createAnthropicClient({ ...options, apiKey, baseURL: options.baseURL ?? context.endpoint.baseUrl });
    return new AnthropicProvider(client);
  },
};
