/**
 * Loads the OTLP tracing module (and with it the optional OpenTelemetry packages) only when asked,
 * turning a missing package into an {@link OptionalDependencyError} that says what to install.
 *
 * @module
 */
import { OptionalDependencyError } from '../../errors.js';

/** What the loaded module offers: OTLP export and instrumentation. */
export type OtlpTracingModule = typeof import('./otlp-tracing.js') & typeof import('./instrument.js');

/** The package a module-not-found error names, when it names one. */
export function missingPackage(error: unknown): string | undefined {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return undefined;
  return /Cannot find (?:package|module) '((?:@[^/']+\/)?[^/']+)/.exec(String(message))?.[1];
}

/**
 * Imports the OTLP tracing module for `feature` (e.g. `--trace`).
 *
 * @throws {OptionalDependencyError} when an OpenTelemetry package it needs is not installed.
 */
export async function loadOtlpTracing(
  feature: string,
  importModules: () => Promise<OtlpTracingModule> = async () => ({ ...(await import('./otlp-tracing.js')), ...(await import('./instrument.js')) }),
): Promise<OtlpTracingModule> {
  try {
    return await importModules();
  } catch (error) {
    const name = missingPackage(error);
    if (name?.startsWith('@opentelemetry/')) throw new OptionalDependencyError(name, feature, { cause: error });
    throw error;
  }
}
