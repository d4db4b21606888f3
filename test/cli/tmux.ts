/**
 * Drives a command in a real pseudo-terminal with tmux: a detached session of a fixed size on a
 * private server (`tmux -L <unique>`, no config file), so tests never touch a user's tmux.
 *
 * @module
 */
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** Throws a clear error when tmux is not installed: the pseudo-terminal tests need it. */
export function requireTmux(): void {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'pipe' });
  } catch {
    throw new Error(
      'tmux is not installed, and the CLI tests drive the interactive session in a real pseudo-terminal with it. ' +
        'Install it (apt-get install tmux, brew install tmux); .ci/run installs it when missing.',
    );
  }
}

let sessions = 0;

/** What the wrapper shell prints when the command exits, before its status. */
const EXIT_MARK = '[exit status ';

/** Quotes `word` for a POSIX shell. */
const shellQuote = (word: string): string => `'${word.replaceAll("'", `'\\''`)}'`;

/** A command running in a tmux pane. */
export class TmuxSession {
  readonly socket = `llmproc-test-${process.pid}-${++sessions}`;
  readonly #name = 'cli';

  private constructor() {}

  /**
   * Starts `command` in a `columns`×`rows` pane with exactly `env` as its environment. A shell
   * waits for it and prints `[exit status N]` when it ends: tmux itself may be slow to reap a
   * pane's process, the shell is not. The pane stays after that, so its screen can still be read.
   */
  static async start(command: readonly string[], env: Record<string, string>, size = { columns: 120, rows: 30 }): Promise<TmuxSession> {
    requireTmux();
    const session = new TmuxSession();
    const vars = Object.entries(env).map(([name, value]) => `${name}=${value}`);
    const line = ['env', '-i', ...vars, '/bin/sh', '-c', `"$@"; echo "${EXIT_MARK}$?]"`, 'sh', ...command].map(shellQuote).join(' ');
    await session.tmux(
      'set-option', '-g', 'remain-on-exit', 'on', ';',
      'new-session', '-d', '-s', session.#name, '-x', String(size.columns), '-y', String(size.rows), line,
    );
    return session;
  }

  /** Runs a tmux command on this session's private server. */
  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await exec('tmux', ['-L', this.socket, '-f', '/dev/null', ...args], { env: { ...process.env, TMUX: '' } });
    return stdout;
  }

  /** What the pane shows now, one string, lines joined with `\n`, trailing blanks trimmed. */
  async screen(): Promise<string> {
    const text = await this.tmux('capture-pane', '-p', '-t', this.#name);
    return text.split('\n').map((line) => line.trimEnd()).join('\n').trimEnd();
  }

  /** Types `keys` (tmux key names: `Enter`, `C-c`, `C-d`, or literal text with `literal`). */
  async send(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.#name, ...keys);
  }

  /** Types `text` literally, then Enter. */
  async type(text: string): Promise<void> {
    await this.tmux('send-keys', '-t', this.#name, '-l', text);
    await this.send('Enter');
  }

  /**
   * Polls the screen until `expected` is on it (a string, a regex, or a predicate), at most
   * `tries` times, 50 ms apart; fails with the last screen when it never shows up.
   */
  async waitFor(expected: string | RegExp | ((screen: string) => boolean), tries = 300): Promise<string> {
    const matches = (screen: string): boolean =>
      typeof expected === 'string' ? screen.includes(expected) : expected instanceof RegExp ? expected.test(screen) : expected(screen);
    let screen = '';
    for (let attempt = 0; attempt < tries; attempt++) {
      screen = await this.screen();
      if (matches(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the terminal never showed ${String(expected)} (${tries} tries); ${await this.diagnose()}`);
  }

  /** The command's exit status once it has exited (the shell printed it), else `undefined`. */
  async exitStatus(): Promise<number | undefined> {
    const status = new RegExp(`^${EXIT_MARK.replace('[', '\\[')}(\\d+)\\]$`, 'm').exec(await this.screen())?.[1];
    return status === undefined ? undefined : Number(status);
  }

  /** Waits (polling, bounded) for the command to exit; returns its status. */
  async waitForExit(tries = 300): Promise<number> {
    for (let attempt = 0; attempt < tries; attempt++) {
      const status = await this.exitStatus();
      if (status !== undefined) return status;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`the command did not exit (${tries} tries); ${await this.diagnose()}`);
  }

  /** The pane's processes and screen, for failure messages. */
  async diagnose(): Promise<string> {
    const pid = (await this.tmux('display-message', '-p', '-t', this.#name, '#{pane_pid}')).trim();
    const processes = await exec('ps', ['-o', 'pid,ppid,stat,wchan:20,args', '-g', pid]).then(({ stdout }) => stdout, (error: Error) => error.message);
    return `the processes of its session:\n${processes}\nthe terminal shows:\n${await this.screen()}`;
  }

  /** Stops the private tmux server and everything in it. */
  async kill(): Promise<void> {
    await this.tmux('kill-server').catch(() => {});
  }
}
