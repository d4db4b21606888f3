/**
 * Runs an example as users run it: a child process importing 'llmproc' from source.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

/** Runs `examples/<name> ...args` with `env` on top of a clean environment (no key, no base URL unless given). */
export async function runExample(name: string, env: Record<string, string>, args: readonly string[] = []): Promise<{ stdout: string; stderr: string }> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_AUTH_TOKEN: _token, ANTHROPIC_BASE_URL: _url, OPENAI_API_KEY: _openai, OPENAI_BASE_URL: _openaiUrl, ...clean } = process.env;
  return run(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', path.join(root, 'examples', name), ...args], {
    cwd: root,
    env: { ...clean, ...env },
    timeout: 30_000,
  });
}

/** The quick start of the README: the program (its ```toml block) and the script (its ```js block). */
export function readmeQuickStart(): { toml: string; script: string } {
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Quick start'), readme.indexOf('\n## Installing'));
  const block = (language: string): string => {
    const found = new RegExp('```' + language + '\\n([\\s\\S]*?)```').exec(section)?.[1];
    if (found === undefined) throw new Error(`README: no \`\`\`${language} block in the quick start`);
    return found;
  };
  return { toml: block('toml'), script: block('js') };
}

/**
 * Runs the README's quick start as a user would, in a fresh folder outside the repository whose
 * `node_modules/llmproc` links to this checkout (its sources, through tsx and the llmproc-source
 * condition): `minimal.toml` and `quickstart.mjs` side by side, `node quickstart.mjs` there.
 */
export async function runQuickStart(env: Record<string, string>): Promise<{ stdout: string; stderr: string }> {
  const folder = mkdtempSync(path.join(tmpdir(), 'llmproc-quickstart-'));
  try {
    const { toml, script } = readmeQuickStart();
    mkdirSync(path.join(folder, 'node_modules'));
    symlinkSync(root, path.join(folder, 'node_modules', 'llmproc'), 'dir');
    writeFileSync(path.join(folder, 'minimal.toml'), toml);
    writeFileSync(path.join(folder, 'quickstart.mjs'), script);
    const { ANTHROPIC_API_KEY: _key, ANTHROPIC_AUTH_TOKEN: _token, ANTHROPIC_BASE_URL: _url, ...clean } = process.env;
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    return await run(process.execPath, ['--import', tsx, '--conditions=llmproc-source', 'quickstart.mjs'], { cwd: folder, env: { ...clean, ...env }, timeout: 30_000 });
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** An example running as a server: its address, and the function that stops it. */
export interface RunningExample {
  /** `http://127.0.0.1:<port>`, from the line the example prints when it listens. */
  url: string;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Sends SIGTERM and waits for it to exit. */
  stop(): Promise<void>;
}

/** Starts `examples/<name>` (a server) with `env` on a clean environment and `PORT=0`; resolves once it prints its address. */
export async function startExample(name: string, env: Record<string, string>): Promise<RunningExample> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_AUTH_TOKEN: _token, ANTHROPIC_BASE_URL: _url, ...clean } = process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', path.join(root, 'examples', name)], {
    cwd: root,
    env: { ...clean, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const found = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (found) resolve(found);
    });
    void exited.then(() => reject(new Error(`examples/${name} exited before listening:\n${stderr}`)));
  });
  return {
    url,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
