/**
 * Loads the `openai` package, an optional peer dependency, when an OpenAI program starts: a
 * program of another provider never pays for it.
 *
 * @module
 */
import { MissingProviderPackageError } from '../provider-errors.js';

/** What llmproc uses of the `openai` package at run time. */
export interface OpenAISdk {
  /** The package: the `OpenAI` client class and the SDK's error classes. */
  readonly openai: typeof import('openai');
  /** The SDK's stream helper, which assembles streamed chunks (text and tool call deltas) into a completion. */
  readonly ChatCompletionStream: typeof import('openai/lib/ChatCompletionStream').ChatCompletionStream;
}

/** The install command {@link MissingProviderPackageError} gives. */
export const OPENAI_INSTALL = 'npm install openai@6';

/** Imports the package's modules. */
async function importOpenAI(): Promise<OpenAISdk> {
  const [openai, stream] = await Promise.all([import('openai'), import('openai/lib/ChatCompletionStream')]);
  return { openai, ChatCompletionStream: stream.ChatCompletionStream };
}

/** Whether `error` says that the package `name` itself (not one of its files or dependencies) is not installed. */
export function isMissingPackage(error: unknown, name: string): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  const message = error instanceof Error ? error.message : String(error);
  return message.includes(`'${name}'`) || message.includes(`"${name}"`);
}

/**
 * Loads the `openai` package (`importer` is for tests).
 *
 * @throws {MissingProviderPackageError} when it is not installed, saying `npm install openai@6`.
 */
export async function loadOpenAISdk(importer: () => Promise<OpenAISdk> = importOpenAI): Promise<OpenAISdk> {
  try {
    return await importer();
  } catch (error) {
    if (isMissingPackage(error, 'openai')) throw new MissingProviderPackageError({ provider: 'openai', packageName: 'openai', label: 'OpenAI', install: OPENAI_INSTALL, cause: error });
    throw error;
  }
}
