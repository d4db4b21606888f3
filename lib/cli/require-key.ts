/**
 * The command's one check that a real run has credentials.
 *
 * @module
 */
import { CliMissingKeyError } from './missing-key-error.js';

/**
 * Refuses a real run without credentials: `variable` is the provider's key variable (from its
 * registry entry, `undefined` for a provider that needs none) and `present` whether the
 * environment holds credentials it can use.
 *
 * @throws {CliMissingKeyError} naming `variable` and `--offline`.
 */
export function requireApiKey(variable: string | undefined, present: boolean): void {
  if (variable !== undefined && !present) throw new CliMissingKeyError(variable);
}
