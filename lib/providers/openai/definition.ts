/**
 * `provider = "openai"`: OpenAI Chat Completions through the official `openai` package (v6), an
 * optional peer dependency loaded only when an OpenAI program starts. Also any OpenAI-compatible
 * server (vLLM, Ollama, llama.cpp, LM Studio) through `[model] base_url`, with no key needed.
 *
 * @module
 */
import type OpenAIType from 'openai';
import { InvalidArgumentError } from '../../errors.js';
import type { ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import { envValues, sharedClient } from '../shared-client.js';
import { isOpenAIBaseUrl, openAIClientSettings } from './client-options.js';
import { loadOpenAISdk } from './load-sdk.js';
import { OPENAI, OpenAIProvider } from './openai-provider.js';
import { refuseUnsupportedParameters } from './unsupported-parameters.js';

/** Whether `client` looks like an `OpenAI` client: it has `chat.completions.create`. */
function isOpenAIClient(client: object): client is OpenAIType {
  return typeof (client as Partial<OpenAIType>).chat?.completions?.create === 'function';
}

/** The environment variables `new OpenAI()` reads itself. */
const SDK_VARIABLES = ['OPENAI_API_KEY', 'OPENAI_ADMIN_KEY', 'OPENAI_BASE_URL', 'OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_WEBHOOK_SECRET', 'OPENAI_LOG', 'OPENAI_CUSTOM_HEADERS'];

/**
 * The OpenAI provider's registration. Starts with the same client settings (and environment) share
 * one SDK client ({@link sharedClient}); a `client` given to `start()` is used as it is.
 */
export const openaiProvider: ProviderDefinition = {
  name: OPENAI,
  apiKeyVariable: 'OPENAI_API_KEY',
  hasCredentials: (env) => Boolean(env['OPENAI_API_KEY']) || (Boolean(env['OPENAI_BASE_URL']) && !isOpenAIBaseUrl(env['OPENAI_BASE_URL']!)),
  async create(context: ProviderContext): Promise<ModelProvider> {
    refuseUnsupportedParameters(context.parameters, context.file);
    const given = context.options.client;
    if (given && !isOpenAIClient(given)) {
      throw new InvalidArgumentError('options.client', 'expected an OpenAI client (new OpenAI(...) from the openai package)');
    }
    const settings = given ? undefined : openAIClientSettings(context);
    const sdk = await loadOpenAISdk();
    const client = given ?? sharedClient([OPENAI, settings, envValues(context.env, SDK_VARIABLES)], () => new sdk.openai.OpenAI(settings));
    return new OpenAIProvider(client, sdk);
  },
};
