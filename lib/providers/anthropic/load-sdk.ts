/**
 * Loads `@anthropic-ai/sdk` when an Anthropic (or Claude on Vertex) program starts, not when
 * llmproc is imported: the SDK is the heaviest part of `import('llmproc')` (some 250 modules), and
 * a program of another provider, the CLI's `--help` or a program that is only loaded never needs it.
 *
 * The SDK is imported dynamically, so Node gives its ES module build, the copy that a user's
 * `import Anthropic from '@anthropic-ai/sdk'` gets too: `error.cause instanceof Anthropic.APIError`
 * holds for the errors a run rejects with.
 *
 * @module
 */

/** The `@anthropic-ai/sdk` package: the `Anthropic` client class (`default`) and the SDK's error classes. */
export type AnthropicSdk = typeof import('@anthropic-ai/sdk');

/** Imports the SDK (cached by Node after the first call). */
export function loadAnthropicSdk(): Promise<AnthropicSdk> {
  return import('@anthropic-ai/sdk');
}
