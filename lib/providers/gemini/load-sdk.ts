/**
 * Loads `@google/genai`, an optional peer dependency, when a Gemini program starts: a program of
 * another provider never pays for it.
 *
 * @module
 */
import { isMissingPackage } from '../openai/load-sdk.js';
import { MissingProviderPackageError } from '../provider-errors.js';

/** The package's name, as `npm install` takes it. */
export const GEMINI_SDK_PACKAGE = '@google/genai';

/** The install command {@link MissingProviderPackageError} gives (v3 needs Node 22). */
export const GEMINI_INSTALL = 'npm install @google/genai@2';

/** What llmproc uses of the package at run time: the client class and the SDK's error class. */
export interface GeminiSdk {
  readonly GoogleGenAI: typeof import('@google/genai').GoogleGenAI;
  readonly ApiError: typeof import('@google/genai').ApiError;
}

/** Imports the package (a parameter so that tests can stand in a failing import). */
export type GeminiSdkImporter = () => Promise<GeminiSdk>;

const importGemini: GeminiSdkImporter = () => import('@google/genai');

/**
 * Loads `@google/genai`.
 *
 * @param provider the provider that needs it (`gemini`, `gemini_vertex`), named in the error.
 * @throws {MissingProviderPackageError} when it is not installed, saying `npm install @google/genai@2`.
 */
export async function loadGeminiSdk(provider: string, importer: GeminiSdkImporter = importGemini): Promise<GeminiSdk> {
  let sdk: GeminiSdk;
  try {
    sdk = await importer();
  } catch (error) {
    if (isMissingPackage(error, GEMINI_SDK_PACKAGE)) {
      throw new MissingProviderPackageError({ provider, packageName: GEMINI_SDK_PACKAGE, label: 'Gemini', install: GEMINI_INSTALL, cause: error });
    }
    throw error;
  }
  if (typeof sdk?.GoogleGenAI !== 'function') {
    const cause = new Error(`${GEMINI_SDK_PACKAGE} has no GoogleGenAI export (an unsupported version?)`);
    throw new MissingProviderPackageError({ provider, packageName: GEMINI_SDK_PACKAGE, label: 'Gemini', install: GEMINI_INSTALL, cause });
  }
  return sdk;
}
