/**
 * Loads a dependency synchronously the first time a function needs it, instead of when llmproc is
 * imported: for the small packages used by synchronous APIs (`LLMProgram.fromToml` parses TOML,
 * `defineTool` converts a valibot schema), which cannot wait for a dynamic `import()`. Node gives
 * the package's CommonJS build; each one used this way is self-contained (it requires no package
 * whose classes are shared with the caller).
 *
 * @module
 */
import { createRequire } from 'node:module';

/** `require` for packages, resolved from llmproc's own folder. */
export const requirePackage: NodeJS.Require = createRequire(import.meta.url);
