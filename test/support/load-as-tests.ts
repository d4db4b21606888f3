/**
 * Loads a module of llmproc the way the test files load theirs, for the root hook plugins, which
 * load llmproc late (in `beforeAll`, after the test files did) instead of importing it at load.
 *
 * Mocha `require`s a `.ts` test file when it can (tsx then compiles it, its imports included, to
 * CommonJS) and `import`s it otherwise. The two give two copies of each module, each with its own
 * state (the process observers, the price lookups), so a hook must use the copy the tests use:
 * `require` when this file was required, `import()` when it was imported.
 */
import { fileURLToPath } from 'node:url';

/** The module at `url` (a `file:` URL), from the same module system as the test files. */
export async function loadAsTests<T>(url: URL): Promise<T> {
  if (typeof require === 'function') return require(fileURLToPath(url)) as T;
  return (await import(url.href)) as T;
}

/** The test kit (lib/testing/index.ts), as the test files have it. */
export function loadTestKit(): Promise<typeof import('../../lib/testing/index.js')> {
  return loadAsTests(new URL('../../lib/testing/index.ts', import.meta.url));
}
