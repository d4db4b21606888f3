/**
 * `provider = "anthropic_vertex"`: Claude on Google Vertex AI through `@anthropic-ai/vertex-sdk`
 * (an optional package, loaded only here, only when such a program starts), on the Anthropic
 * provider's mapping: one mapping, two clients.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { ClientOptions as VertexClientOptions } from '@anthropic-ai/vertex-sdk';
import { InvalidArgumentError } from '../../errors.js';
import { AnthropicProvider } from '../anthropic/anthropic-provider.js';
import type { ProviderClientOptions, ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import { accessTokenAuthClient, googleAuthClient, googleTokensIn, TokenJar } from './auth-client.js';
import { loadVertexSdk } from './load-sdk.js';
import { PROJECT_VARIABLE, VERTEX_LABEL, vertexSettings } from './settings.js';

/** The variable the Vertex SDK reads its base URL from. */
const BASE_URL_VARIABLE = 'ANTHROPIC_VERTEX_BASE_URL';

/** The `authClient` option for the start options' credentials; none: the SDK's Application Default Credentials. */
function authOption(options: Readonly<ProviderClientOptions>, jar: TokenJar): Pick<VertexClientOptions, 'authClient'> {
  if (options.accessToken !== undefined && options.googleAuth !== undefined) {
    throw new InvalidArgumentError('options.accessToken', 'give either accessToken or googleAuth to program.start(), not both');
  }
  if (options.accessToken !== undefined) {
    if (typeof options.accessToken !== 'string' || options.accessToken === '') {
      throw new InvalidArgumentError('options.accessToken', 'expected a non-empty Google access token');
    }
    return { authClient: accessTokenAuthClient(options.accessToken, jar) as unknown as VertexClientOptions['authClient'] };
  }
  if (options.googleAuth !== undefined) return { authClient: googleAuthClient(options.googleAuth, jar) as unknown as VertexClientOptions['authClient'] };
  return {};
}

/**
 * Without credentials of ours the SDK starts fetching Application Default Credentials in its
 * constructor and awaits them only at the first request: a process that never runs would leave
 * that promise rejected and unhandled. Marking it handled changes nothing else (the first request
 * still gets its rejection).
 */
function handleEagerCredentials(client: object): void {
  const pending = (client as { _authClientPromise?: unknown })._authClientPromise;
  if (pending instanceof Promise) pending.catch(() => undefined);
}

/** The SDK client of a ready `client` start option, checked. */
function readyClient(client: object): Anthropic {
  if (typeof (client as Partial<Anthropic>).messages?.create !== 'function') {
    throw new InvalidArgumentError('options.client', 'expected an AnthropicVertex client (new AnthropicVertex(...) from @anthropic-ai/vertex-sdk)');
  }
  return client as Anthropic;
}

/** Creates the Vertex SDK client for `context`. */
async function createClient(context: ProviderContext, jar: TokenJar): Promise<Anthropic> {
  const { options, endpoint, env } = context;
  const { projectId, region } = vertexSettings(context);
  const auth = authOption(options, jar);
  const { AnthropicVertex } = await loadVertexSdk();
  const clientOptions: VertexClientOptions = { projectId, region, ...auth };
  const baseURL = options.baseURL ?? endpoint.baseUrl ?? env[BASE_URL_VARIABLE];
  if (baseURL) clientOptions.baseURL = baseURL;
  if (options.maxRetries !== undefined) clientOptions.maxRetries = options.maxRetries;
  if (options.timeout !== undefined) clientOptions.timeout = options.timeout;
  const client = new AnthropicVertex(clientOptions);
  if (!auth.authClient) handleEagerCredentials(client);
  // The Vertex client has the Anthropic client's `messages` API, which is all the provider uses.
  return client as unknown as Anthropic;
}

/** The Claude on Vertex provider's registration. */
export const anthropicVertexProvider: ProviderDefinition = {
  name: 'anthropic_vertex',
  // Google credentials, not a key: Application Default Credentials, an access token or a GoogleAuth.
  apiKeyVariable: undefined,
  hasCredentials: (env) => Boolean(env[PROJECT_VARIABLE]),
  async create(context: ProviderContext): Promise<ModelProvider> {
    const jar = new TokenJar();
    const client = context.options.client ? readyClient(context.options.client) : await createClient(context, jar);
    const given = (client as { accessToken?: unknown }).accessToken;
    if (typeof given === 'string') jar.record(given);
    return new AnthropicProvider(client, {
      name: 'anthropic_vertex',
      priceCatalog: 'google',
      label: VERTEX_LABEL,
      urlSources: false,
      secrets: (error) => [...jar.tokens(), ...googleTokensIn(error)],
    });
  },
};
