/**
 * `provider = "gemini"` (the Gemini API, with an API key) and `provider = "gemini_vertex"` (Gemini
 * on Vertex AI, with Google credentials): one client, Google's `@google/genai` (v2, an optional
 * peer dependency loaded only when such a program starts), in its two modes, on one mapping.
 *
 * @module
 */
import type { GoogleGenAIOptions } from '@google/genai';
import { InvalidArgumentError } from '../../errors.js';
import { accessTokenAuthClient, googleAuthClient, googleTokensIn, TokenJar } from '../anthropic-vertex/auth-client.js';
import type { ProviderClientOptions, ProviderContext, ProviderDefinition } from '../provider-definition.js';
import type { ModelProvider } from '../types.js';
import {
  GEMINI,
  GEMINI_KEY_VARIABLES,
  GEMINI_PROJECT_VARIABLE,
  GEMINI_VERTEX,
  GEMINI_VERTEX_LABEL,
  geminiClientOptions,
  geminiVertexClientOptions,
} from './client-options.js';
import { type GeminiClient, GeminiProvider } from './gemini-provider.js';
import { loadGeminiSdk } from './load-sdk.js';

/** A ready `client` start option, checked by shape: it has `models.generateContent`. */
function readyClient(client: object): GeminiClient {
  if (typeof (client as Partial<GeminiClient>).models?.generateContent !== 'function') {
    throw new InvalidArgumentError('options.client', 'expected a GoogleGenAI client (new GoogleGenAI(...) from @google/genai)');
  }
  return client as GeminiClient;
}

/** The Gemini API key of a ready client, when it has one as a string. */
function keyOf(client: GeminiClient): string | undefined {
  const key: unknown = (client as { apiKey?: unknown }).apiKey;
  return typeof key === 'string' ? key : undefined;
}

/** The Gemini API's registration. */
export const geminiProvider: ProviderDefinition = {
  name: GEMINI,
  apiKeyVariable: 'GEMINI_API_KEY',
  hasCredentials: (env) => GEMINI_KEY_VARIABLES.some((name) => Boolean(env[name]?.trim())),
  async create(context: ProviderContext): Promise<ModelProvider> {
    const given = context.options.client ? readyClient(context.options.client) : undefined;
    const settings = given ? undefined : geminiClientOptions(context);
    const sdk = await loadGeminiSdk(GEMINI);
    const client = given ?? new sdk.GoogleGenAI(settings!);
    const key = settings?.apiKey ?? keyOf(client);
    const custom = settings?.httpOptions?.baseUrl;
    return new GeminiProvider(client, sdk, {
      name: GEMINI,
      label: custom ? `the Gemini API at ${custom}` : 'the Gemini API',
      secrets: () => (key ? [key] : []),
    });
  },
};

/** The `googleAuthOptions` for the start options' credentials; none: the SDK's Application Default Credentials. */
function authOptions(options: Readonly<ProviderClientOptions>, jar: TokenJar): Pick<GoogleGenAIOptions, 'googleAuthOptions'> {
  if (options.accessToken !== undefined && options.googleAuth !== undefined) {
    throw new InvalidArgumentError('options.accessToken', 'give either accessToken or googleAuth to program.start(), not both');
  }
  type AuthClient = NonNullable<NonNullable<GoogleGenAIOptions['googleAuthOptions']>['authClient']>;
  if (options.accessToken !== undefined) {
    if (typeof options.accessToken !== 'string' || options.accessToken === '') {
      throw new InvalidArgumentError('options.accessToken', 'expected a non-empty Google access token');
    }
    return { googleAuthOptions: { authClient: accessTokenAuthClient(options.accessToken, jar) as unknown as AuthClient } };
  }
  if (options.googleAuth !== undefined) return { googleAuthOptions: { authClient: googleAuthClient(options.googleAuth, jar) as unknown as AuthClient } };
  return {};
}

/** Gemini on Vertex AI's registration. */
export const geminiVertexProvider: ProviderDefinition = {
  name: GEMINI_VERTEX,
  // Google credentials, not a key: Application Default Credentials, an access token or a GoogleAuth.
  apiKeyVariable: undefined,
  hasCredentials: (env) => Boolean(env[GEMINI_PROJECT_VARIABLE]?.trim()),
  async create(context: ProviderContext): Promise<ModelProvider> {
    const jar = new TokenJar();
    const given = context.options.client ? readyClient(context.options.client) : undefined;
    const settings = given ? undefined : { ...geminiVertexClientOptions(context), ...authOptions(context.options, jar) };
    const sdk = await loadGeminiSdk(GEMINI_VERTEX);
    const client = given ?? new sdk.GoogleGenAI(settings!);
    return new GeminiProvider(client, sdk, {
      name: GEMINI_VERTEX,
      label: settings ? `${GEMINI_VERTEX_LABEL} (project ${settings.project}, region ${settings.location})` : GEMINI_VERTEX_LABEL,
      secrets: (error) => [...jar.tokens(), ...googleTokensIn(error)],
    });
  },
};
