/**
 * The model providers a program may name in `[model] provider`, each declared once with what the
 * program layer knows of it before any provider code loads: the wire format it speaks, how messages
 * name it, and, for a name this version refuses, what to use instead. The schema's picklist, the
 * parameter checks, the offline model's choice and the builtin provider registry
 * (`providers/index.ts`, typed against {@link RunnableProviderName}) all read this table.
 *
 * @module
 */

/** The wire formats a provider speaks: whose request rules apply, and which scripted model answers offline. */
export type ProviderFamily = 'anthropic' | 'openai' | 'gemini';

/** What is known of a provider a program may name. */
export interface ProviderFacts {
  /** The wire format it speaks. */
  readonly family: ProviderFamily;
  /** How messages name it (`Claude on Vertex AI`). */
  readonly label: string;
  /**
   * Set for a name that loads (llmproc 0.2.0 programs use it) but that this version cannot run:
   * the hint `start()` refuses it with.
   */
  readonly refusal?: string;
}

/**
 * Every provider a program may name (the set of llmproc 0.2.0, which also ran Gemini as `gemini`
 * and `gemini_vertex`), in the order messages list them. A program naming any of these loads;
 * whether this version of llmproc can *run* it is decided by `program.start()`.
 */
export const PROVIDERS = {
  anthropic: { family: 'anthropic', label: 'Anthropic' },
  openai: { family: 'openai', label: 'OpenAI' },
  anthropic_vertex: { family: 'anthropic', label: 'Claude on Vertex AI' },
  vertex: {
    family: 'anthropic',
    label: 'Claude on Vertex AI',
    refusal: 'for Claude on Vertex AI use provider = "anthropic_vertex" (with project_id and region);',
  },
  gemini: { family: 'gemini', label: 'Gemini' },
  gemini_vertex: { family: 'gemini', label: 'Gemini on Vertex AI' },
} as const satisfies Record<string, ProviderFacts>;

/** One of the providers a program may name. */
export type ProviderName = keyof typeof PROVIDERS;

/** A provider name this version runs: a builtin provider is registered under each (`providers/index.ts`). */
export type RunnableProviderName = { [Name in ProviderName]: (typeof PROVIDERS)[Name] extends { refusal: string } ? never : Name }[ProviderName];

/** Every name of {@link PROVIDERS}, in their order. */
export const PROVIDER_NAMES = Object.keys(PROVIDERS) as [ProviderName, ...ProviderName[]];

/** What is known of `name`, or `undefined` for a name no program may give (a provider registered in code). */
export function providerFacts(name: string): ProviderFacts | undefined {
  return Object.hasOwn(PROVIDERS, name) ? PROVIDERS[name as ProviderName] : undefined;
}
