/**
 * The real Anthropic provider (its SDK over HTTP to a fake server), wrapped so that a test can
 * change what it answers: a provider with a bug, or one that fails in a way the SDK never does.
 * Start a program on it with `program.start({ provider })`.
 */
import { providerDefinition } from '../../lib/providers/index.js';
import type { ModelProvider, ModelRequest, ModelTurn } from '../../lib/providers/types.js';
import type { FakeAnthropicServer } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from './sentinel-keys.js';

/** What a test changes; anything left out is the real provider's. */
export interface ProviderChanges {
  /** Changes each turn the real provider returns. */
  turn?: ((turn: ModelTurn) => ModelTurn) | undefined;
  priceOf?: ModelProvider['priceOf'];
  describeError?: ModelProvider['describeError'] | undefined;
  /** Sees each request as the loop hands it over (the history's own message objects), before it is sent. */
  request?: ((request: ModelRequest) => void) | undefined;
}

/** The Anthropic provider of `server`, with `changes` applied. */
export async function wrappedAnthropic(server: FakeAnthropicServer, changes: ProviderChanges = {}): Promise<ModelProvider> {
  const real = await providerDefinition('anthropic')!.create({
    model: 'claude-test',
    endpoint: {},
    options: { apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 },
    env: {},
    file: undefined,
  });
  return {
    name: real.name,
    complete: async (request, options) => {
      changes.request?.(request);
      const turn = await real.complete(request, options);
      return changes.turn ? changes.turn(turn) : turn;
    },
    priceOf: changes.priceOf ?? ((model) => real.priceOf?.(model)),
    describeError: changes.describeError ?? ((error) => real.describeError(error)),
  };
}
