/**
 * The providers llmproc can run, by name. The builtin ones, one under each runnable name of the
 * program layer's `PROVIDERS` (`program/provider-names.ts`), register themselves in
 * `providers/index.ts`; {@link registerProvider} replaces one of them with a provider of your own.
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { ProviderDefinition } from './provider-definition.js';

const providers = new Map<string, ProviderDefinition>();

/**
 * Registers a provider under its name (replacing one registered under that name before).
 * @throws {InvalidArgumentError} when the definition has no name or no `create`.
 */
export function registerProvider(definition: ProviderDefinition): void {
  if (typeof definition?.name !== 'string' || definition.name === '') {
    throw new InvalidArgumentError('definition.name', 'expected a non-empty provider name');
  }
  if (typeof definition.create !== 'function') {
    throw new InvalidArgumentError('definition.create', `expected a function creating the "${definition.name}" provider`);
  }
  providers.set(definition.name, definition);
}

/** The provider registered as `name`, or `undefined`. */
export function providerDefinition(name: string): ProviderDefinition | undefined {
  return providers.get(name);
}

/** The names of the registered providers, in registration order. */
export function providerNames(): string[] {
  return [...providers.keys()];
}
