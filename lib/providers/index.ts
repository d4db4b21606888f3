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
import { registerProvider } from './registry.js';

registerProvider(anthropicProvider);
registerProvider(openaiProvider);
registerProvider(anthropicVertexProvider);
registerProvider(geminiProvider);
registerProvider(geminiVertexProvider);

export { providerDefinition, providerNames, registerProvider } from './registry.js';
export type { ProviderClientOptions, ProviderContext, ProviderDefinition, ProviderEndpoint } from './provider-definition.js';
