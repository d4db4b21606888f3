/**
 * Shared by the program tests: where the llmproc 0.2.0 example programs are, and a literal tool.
 *
 * @module
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Tool } from '../../lib/tools/tool.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The llmproc 0.2.0 examples folder: our vendored copy of `../shared/compat/llmproc-0.2.0/examples`
 * (a fresh CI clone has no `../shared`).
 */
export const COMPAT_EXAMPLES = path.resolve(REPO, 'test/fixtures/compat/llmproc-0.2.0/examples');

/** Our own test programs (`test/fixtures/programs`). */
export const PROGRAM_FIXTURES = path.resolve(REPO, 'test/fixtures/programs');

/** Every `*.toml` file under `folder`, recursively, sorted, as absolute paths. */
export function tomlFilesUnder(folder: string): string[] {
  return readdirSync(folder)
    .sort()
    .flatMap((name) => {
      const full = path.join(folder, name);
      return statSync(full).isDirectory() ? tomlFilesUnder(full) : name.endsWith('.toml') ? [full] : [];
    });
}

/** A minimal function tool, written as a literal (not through `defineTool`). */
export const literalTool = (name: string): Tool => ({
  name,
  description: 'x',
  inputSchema: { type: 'object' },
  source: { kind: 'function' },
  run: async () => ({ content: 'x', isError: false }),
});
