/** Shared helpers of the snapshot tests: a temporary folder for TOML programs, and JSON round trips. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ProcessSnapshot } from '../../lib/snapshot/snapshot-schema.js';

/** A temporary folder; `write(name, text)` puts a file in it and returns its path. */
export function tempDir(): { dir: string; write(name: string, text: string): string; remove(): void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-snapshot-'));
  return {
    dir,
    write(name, text) {
      const file = path.join(dir, name);
      writeFileSync(file, text);
      return file;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A snapshot as another process would read it: through JSON. */
export function throughJson(snapshot: ProcessSnapshot): unknown {
  return JSON.parse(JSON.stringify(snapshot));
}

/** A TOML program with a calculator that needs approval. */
export const APPROVAL_TOML = `[model]
name = "claude-haiku-4-5"
provider = "anthropic"
display_name = "Careful Calculator"

[prompt]
system_prompt = "You compute with care."

[tools]
enabled = ["calculator"]
require_approval = ["calculator"]
`;
