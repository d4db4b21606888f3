/**
 * The builtin providers, registered by name. Importing this module registers them; each loads its
 * SDK only when a program of its provider starts.
 *
 * @module
 */
import { anthropicProvider } from './anthropic/definition.js';
import { anthropicVertexProvider } from './anthropic-vertex/definition.js';
import { geminiProvider, geminiVertexProvider } from './gemini/definition.js';
import { openaiProvider } from './openai/definition.js';
import type { RunnableProviderName } from '../program/provider-names.js';
import type { ProviderDefinition } from './provider-definition.js';
import { registerProvider } from './registry.js';

/**
 * One builtin provider under each name a program may give that this version runs (the program
 * layer's `PROVIDERS`): the compiler refuses a name missing here, or one not there.
 */
const BUILTIN_PROVIDERS: Readonly<Record<RunnableProviderName, ProviderDefinition>> = {
  anthropic: anthropicProvider,
  openai: openaiProvider,
  anthropic_vertex: anthropicVertexProvider,
  gemini: geminiProvider,
  gemini_vertex: geminiVertexProvider,
};

for (const definition of Object.values(BUILTIN_PROVIDERS)) registerProvider(definition);

export { providerDefinition, providerNames, registerProvider } from './registry.js';
export type { ProviderClientOptions, ProviderContext, ProviderDefinition, ProviderEndpoint } from './provider-definition.js';
