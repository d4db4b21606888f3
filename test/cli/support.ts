/**
 * Runs the real `llmproc` command from source as a child process, with a clean environment.
 *
 * @module
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository's root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
/** The command's entry point, in TypeScript. */
export const mainTs = path.join(root, 'lib/cli/main.ts');
/** How the tests start the command: Node with tsx and the source condition, as mocha runs. */
export const cliCommand: readonly string[] = [process.execPath, '--import', 'tsx', '--conditions=llmproc-source', mainTs];

/** The test process's environment without anything that picks a model (any provider's keys, base URLs, Vertex region). */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !/^(ANTHROPIC_|OPENAI_|CLOUD_ML_REGION$)/.test(name) && name !== 'TMUX' && name !== 'TMUX_PANE') env[name] = value;
  }
  return { ...env, ...extra };
}

/** What a finished command left. */
export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Added to a clean environment (no ANTHROPIC_* variables). */
  env?: Record<string, string> | undefined;
  /** Written to the command's stdin, which is then closed; without it stdin is closed at once. */
  input?: string | undefined;
}

/** A command started by {@link startCli}. */
export interface StartedCli {
  /** The child process (to send it a signal). */
  child: ChildProcessWithoutNullStreams;
  /** Resolves when it has exited and its output is read. */
  done: Promise<CliOutcome>;
}

/** Starts `llmproc <args>` (stdin and stdout are pipes, not terminals). */
export function startCli(args: readonly string[], options: RunCliOptions = {}): StartedCli {
  const [command, ...prefix] = cliCommand;
  const child = spawn(command!, [...prefix, ...args], { cwd: root, env: cleanEnv(options.env), stdio: ['pipe', 'pipe', 'pipe'] });
  const done = new Promise<CliOutcome>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
  child.stdin.end(options.input ?? '');
  return { child, done };
}

/** Runs `llmproc <args>` to its end (stdin and stdout are pipes, not terminals). */
export function runCli(args: readonly string[], options: RunCliOptions = {}): Promise<CliOutcome> {
  return startCli(args, options).done;
}

/** A temp folder for program files; `remove()` deletes it. */
export class TempPrograms {
  readonly path = mkdtempSync(path.join(tmpdir(), 'llmproc-cli-'));

  /** Writes `text` to `name`; returns the absolute path. */
  write(name: string, text: string): string {
    const file = path.join(this.path, name);
    writeFileSync(file, text);
    return file;
  }

  remove(): void {
    rmSync(this.path, { recursive: true, force: true });
  }
}
