/**
 * How the examples and `npm run demo` reach a model: the real Anthropic API when a key is set,
 * otherwise the built-in scripted model, saying so. The CLI uses it for `--offline` only.
 *
 * @module
 */
import type { StartOptions } from '../process/start.js';
import { providerDefinition } from '../providers/index.js';
import { startScriptedProvider } from '../process/offline-model.js';

/** A way to reach a model, and what to pass to `program.start()` to use it. */
export interface ModelConnection {
  /** `true` when runs go to the scripted offline model. */
  readonly offline: boolean;
  /** Options for `program.start()`: empty online (the SDK reads the environment), the fake server's address offline. */
  readonly startOptions: StartOptions;
  /** Stops the offline model's server; nothing to do online. */
  close(): Promise<void>;
}

/** Options of {@link connectModel}. */
export interface ConnectModelOptions {
  /** Go offline even when a key is set. */
  offline?: boolean | undefined;
  /** The environment to read the provider's credentials from (`ANTHROPIC_API_KEY`, `OPENAI_API_KEY`, ...); default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** The provider of the program to run (its credentials decide online or offline); default `anthropic`. */
  provider?: string | undefined;
  /** Where the offline notice goes; default stderr. */
  notice?: ((line: string) => void) | undefined;
}

/** The notice printed when running offline because `variable` is not set. */
export function offlineNotice(variable = 'ANTHROPIC_API_KEY'): string {
  return (
    `llmproc: no ${variable} set, so this runs OFFLINE on the built-in scripted model (canned answers, no network). ` +
    `Set ${variable} to use the real API.`
  );
}

/** The notice printed when an Anthropic program runs offline. */
export const OFFLINE_NOTICE = offlineNotice('ANTHROPIC_API_KEY');

/** The notice printed when `offline` asks for the scripted model (the CLI's `--offline`). */
export const EXPLICIT_OFFLINE_NOTICE =
  'llmproc: running OFFLINE on the built-in scripted model (--offline): canned answers, no network.';

/**
 * The real API when the provider's credentials are set (`ANTHROPIC_API_KEY` or
 * `ANTHROPIC_AUTH_TOKEN` for Anthropic, `OPENAI_API_KEY` for OpenAI, ...) and `offline` is not;
 * otherwise starts the scripted model on 127.0.0.1 (it answers programs of every provider; a Gemini
 * program's through the fake Gemini API and the Gemini SDK) and
 * prints {@link offlineNotice} (no key: what the examples and `npm run demo` do) or
 * {@link EXPLICIT_OFFLINE_NOTICE} (`offline`). The `llmproc` command never goes offline on its
 * own: without a key it refuses to run unless `--offline` is given.
 */
export async function connectModel(options: ConnectModelOptions = {}): Promise<ModelConnection> {
  const env = options.env ?? process.env;
  const definition = providerDefinition(options.provider ?? 'anthropic');
  const hasKey = definition?.hasCredentials(env) ?? false;
  if (hasKey && !options.offline) {
    return { offline: false, startOptions: {}, close: async () => {} };
  }
  const notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  notice(options.offline ? EXPLICIT_OFFLINE_NOTICE : offlineNotice(definition?.apiKeyVariable ?? 'ANTHROPIC_API_KEY'));
  // A Gemini program gets the scripted model behind the fake Gemini API, on its own SDK (Anthropic's
  // request rules are not Gemini's); every other program the one behind the fake Anthropic API.
  const { provider, close } = await startScriptedProvider(options.provider ?? 'anthropic', 'scripted', undefined);
  return {
    offline: true,
    startOptions: { provider },
    close,
  };
}
