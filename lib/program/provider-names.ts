/**
 * The model providers a program may name in `[model] provider`.
 *
 * @module
 */

/**
 * Every provider a program may name (the set of llmproc 0.2.0, which also ran Gemini as `gemini`
 * and `gemini_vertex`). A program naming any of these loads; whether this version of llmproc can
 * *run* it is decided by `program.start()`.
 */
export const PROVIDER_NAMES = ['anthropic', 'openai', 'anthropic_vertex', 'vertex', 'gemini', 'gemini_vertex'] as const;

/** One of {@link PROVIDER_NAMES}. */
export type ProviderName = (typeof PROVIDER_NAMES)[number];
