/**
 * How the examples and `npm run demo` reach a model: the real Anthropic API when a key is set,
 * otherwise the built-in scripted model, saying so. The CLI uses it for `--offline` only.
 *
 * @module
 */
import type { StartOptions } from '../process/start.js';
import { startScriptedModel } from './scripted-model.js';

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
  /** The environment to read `ANTHROPIC_API_KEY` / `ANTHROPIC_AUTH_TOKEN` from; default `process.env`. */
  env?: Readonly<Record<string, string | undefined>> | undefined;
  /** Where the offline notice goes; default stderr. */
  notice?: ((line: string) => void) | undefined;
}

/** The notice printed when running offline. */
export const OFFLINE_NOTICE =
  'llmproc: no ANTHROPIC_API_KEY set, so this runs OFFLINE on the built-in scripted model (canned answers, no network). ' +
  'Set ANTHROPIC_API_KEY to use the real Anthropic API.';

/** The notice printed when `offline` asks for the scripted model (the CLI's `--offline`). */
export const EXPLICIT_OFFLINE_NOTICE =
  'llmproc: running OFFLINE on the built-in scripted model (--offline): canned answers, no network.';

/**
 * The real API when `ANTHROPIC_API_KEY` (or `ANTHROPIC_AUTH_TOKEN`) is set and `offline` is not;
 * otherwise starts the scripted model on 127.0.0.1 and prints {@link OFFLINE_NOTICE} (no key: what
 * the examples and `npm run demo` do) or {@link EXPLICIT_OFFLINE_NOTICE} (`offline`). The `llmproc`
 * command never goes offline on its own: without a key it refuses to run unless `--offline` is
 * given.
 */
export async function connectModel(options: ConnectModelOptions = {}): Promise<ModelConnection> {
  const env = options.env ?? process.env;
  const hasKey = Boolean(env['ANTHROPIC_API_KEY'] || env['ANTHROPIC_AUTH_TOKEN']);
  if (hasKey && !options.offline) {
    return { offline: false, startOptions: {}, close: async () => {} };
  }
  const notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`));
  notice(options.offline ? EXPLICIT_OFFLINE_NOTICE : OFFLINE_NOTICE);
  const server = await startScriptedModel();
  return {
    offline: true,
    startOptions: { apiKey: 'offline-scripted-model', baseURL: server.url, maxRetries: 0 },
    close: () => server.close(),
  };
}
