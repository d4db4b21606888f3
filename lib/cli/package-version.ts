/**
 * The version `llmproc --version` prints.
 *
 * @module
 */
import { requirePackage } from '../require-package.js';

/**
 * The package's version, from its package.json, found by the package's own name (a self-reference
 * through `exports["./package.json"]`), so it does not depend on where the bundler put this code.
 */
export function packageVersion(): string {
  const pkg = requirePackage('llmproc/package.json') as { version?: string };
  return pkg.version ?? 'unknown';
}
