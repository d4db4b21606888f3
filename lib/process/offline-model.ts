/**
 * `program.start({ offline })`: a process on llmproc's offline scripted model instead of the
 * program's provider, so a program runs on a machine with no key and no network. The scripted
 * model (from the test kit, imported statically: it is small and needs only `node:http`) listens
 * on 127.0.0.1 and the real Anthropic SDK talks to it (for a Gemini program, the Gemini SDK, on the
 * fake Gemini API: Anthropic's rules, such as thinking's temperature, are not Gemini's); it answers
 * plausibly and deterministically (arithmetic → calculator, a file path → read_file, anything else
 * → an echo).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import type { LLMProgram } from '../program/llm-program.js';
import { providerFacts } from '../program/provider-names.js';
import { providerDefinition } from '../providers/index.js';
import type { ProviderClientOptions } from '../providers/provider-definition.js';
import type { ModelProvider } from '../providers/types.js';
import { startScriptedGemini } from '../testing/scripted-gemini.js';
import { startScriptedModel } from '../testing/scripted-model.js';

/** When to run on the offline scripted model: always (`true`), never (`false`), or when no credentials are found (`'auto'`). */
export type OfflineMode = boolean | 'auto';

/** The offline model of one process: its provider and the function that stops its server. */
export interface OfflineModel {
  readonly provider: ModelProvider;
  close(): Promise<void>;
}

/** The programs `offline: 'auto'` has warned about: once per program, not once per process. */
const warned = new WeakSet<LLMProgram>();

/** The warning `offline: 'auto'` gives (once per program) when it goes offline. */
function offlineWarning(variable: string): string {
  return (
    `no ${variable} set, so this process runs OFFLINE on llmproc's built-in scripted model (canned answers, no network). ` +
    `Set ${variable} to use the real API, or leave out offline: 'auto' to be refused instead.`
  );
}

/**
 * Whether `options` ask for the offline model for `program`: `offline: true`, or `offline: 'auto'`
 * when neither the options (`apiKey`, `authToken`, `client`) nor the environment (the provider's
 * variables) hold credentials. An unknown provider is not offline: `start()` refuses it as usual.
 *
 * @throws {InvalidArgumentError} for an `offline` value other than `true`, `false`, `'auto'`, or
 *   `offline: true` together with a `provider`.
 */
export function wantsOffline(
  program: LLMProgram,
  options: ProviderClientOptions & { offline?: unknown; provider?: unknown },
  env: Readonly<Record<string, string | undefined>>,
): boolean {
  const { offline } = options;
  if (offline === undefined || offline === false) return false;
  if (offline !== true && offline !== 'auto') throw new InvalidArgumentError('options.offline', `expected true, false or 'auto', received ${JSON.stringify(offline)}`);
  if (options.provider !== undefined) {
    if (offline === true) throw new InvalidArgumentError('options.offline', 'cannot be combined with a provider of your own; give one or the other');
    return false;
  }
  if (offline === true) return true;
  const definition = providerDefinition(program.provider);
  if (!definition || options.client || options.apiKey || options.authToken || definition.hasCredentials(env)) return false;
  if (!warned.has(program)) {
    warned.add(program);
    globalThis.process.emitWarning(offlineWarning(definition.apiKeyVariable ?? `credentials for "${definition.name}"`), { type: 'LLMProcOfflineWarning' });
  }
  return true;
}

/**
 * Starts the scripted model on 127.0.0.1 and a provider talking to it, for a program of `provider`:
 * the Gemini provider (on the fake Gemini API) when `provider` speaks Gemini's wire format
 * (`PROVIDERS`), the Anthropic provider otherwise (OpenAI programs and providers of your own too).
 */
export async function startScriptedProvider(provider: string, model: string, file: string | undefined): Promise<OfflineModel> {
  const gemini = providerFacts(provider)?.family === 'gemini';
  const server = gemini ? await startScriptedGemini() : await startScriptedModel();
  try {
    const scripted = await providerDefinition(gemini ? 'gemini' : 'anthropic')!.create({
      model,
      endpoint: {},
      options: { apiKey: 'offline-scripted-model', baseURL: server.url, maxRetries: 0 },
      env: {},
      file,
    });
    return { provider: scripted, close: () => server.close() };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/** The offline model of a process of `program` (see {@link startScriptedProvider}). */
export function startOfflineModel(program: LLMProgram): Promise<OfflineModel> {
  return startScriptedProvider(program.provider, program.model, program.file);
}
