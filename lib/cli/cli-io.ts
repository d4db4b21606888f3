/**
 * The streams and environment the command runs with (the real ones in `main.ts`).
 *
 * @module
 */

/** What the command reads from and writes to. */
export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  /** Read for `ANTHROPIC_API_KEY` (offline when unset); the SDK reads `ANTHROPIC_BASE_URL` itself. */
  env: Readonly<Record<string, string | undefined>>;
}

/** The options of each run the command makes, from its flags. */
export interface CliRunSettings {
  /** `--max-iterations`; unset: the program's default. */
  maxIterations: number | undefined;
  /** `--stream`; unset: the program's default. */
  stream: true | undefined;
}
