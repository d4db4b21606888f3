/**
 * Loads `@anthropic-ai/vertex-sdk`, an optional package, when a Claude on Vertex program starts:
 * programs of other providers never load it, and a missing package is a clear error.
 *
 * @module
 */
import type { AnthropicVertex } from '@anthropic-ai/vertex-sdk';
import { MissingProviderPackageError } from '../provider-errors.js';

/** The package's name, as `npm install` takes it. */
export const VERTEX_SDK_PACKAGE = '@anthropic-ai/vertex-sdk';

/** What llmproc uses of the package. */
export interface VertexSdk {
  AnthropicVertex: typeof AnthropicVertex;
}

/** Imports the package (a parameter so that tests can stand in a failing import). */
export type VertexSdkImporter = () => Promise<VertexSdk>;

const importVertexSdk: VertexSdkImporter = () => import('@anthropic-ai/vertex-sdk');

/**
 * The Vertex SDK.
 *
 * @throws {MissingProviderPackageError} naming `npm install @anthropic-ai/vertex-sdk` when it
 * cannot be imported (not installed, or a dependency of it missing), with the import's error as
 * `cause`.
 */
export async function loadVertexSdk(importer: VertexSdkImporter = importVertexSdk): Promise<VertexSdk> {
  let sdk: VertexSdk;
  try {
    sdk = await importer();
  } catch (error) {
    throw new MissingProviderPackageError({ provider: 'anthropic_vertex', packageName: VERTEX_SDK_PACKAGE, label: 'Claude on Vertex AI', cause: error });
  }
  if (typeof sdk?.AnthropicVertex !== 'function') {
    const cause = new Error(`${VERTEX_SDK_PACKAGE} has no AnthropicVertex export (an unsupported version?)`);
    throw new MissingProviderPackageError({ provider: 'anthropic_vertex', packageName: VERTEX_SDK_PACKAGE, label: 'Claude on Vertex AI', cause });
  }
  return sdk;
}
