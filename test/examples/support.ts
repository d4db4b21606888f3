/**
 * Runs an example as users run it: a child process importing 'llmproc' from source.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Runs `examples/<name>` with `env` on top of a clean environment (no key, no base URL unless given). */
export async function runExample(name: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_AUTH_TOKEN: _token, ANTHROPIC_BASE_URL: _url, ...clean } = process.env;
  return run(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', path.join(root, 'examples', name)], {
    cwd: root,
    env: { ...clean, ...env },
    timeout: 30_000,
  });
}
