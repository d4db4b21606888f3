/**
 * The command line of `llmproc`, parsed with Node's `util.parseArgs`.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import { CliUsageError } from './usage-error.js';

/** The usage text `llmproc --help` prints. */
export const USAGE = `Usage: llmproc <program.toml> [-p <prompt>] [--file <image or pdf>]... [--json] [--max-iterations N] [--stream] [--offline] [--log <file>] [--trace]
       llmproc report <runs.jsonl> [-o <report.html>]

Runs an LLM program described in TOML.
  With -p, or with a prompt piped on stdin, it runs once and exits.
  Otherwise, on a terminal, it starts an interactive session: type a prompt, read the answer,
  repeat; "exit" or Ctrl-D quits, Ctrl-C cancels a running answer (at the prompt it quits).

Options:
  -p, --prompt <text>     run this prompt once and exit
      --file <path>       send an image (JPEG, PNG, GIF, WebP) or a PDF with the prompt (repeatable;
                          needs -p or a piped prompt)
      --json              print one JSON object and nothing else on stdout: message, stopReason and
                          runResult, plus error when it failed (any failure, bad usage included)
      --max-iterations N  at most N model API calls per run (default 10, or the program's [run] setting)
      --stream            stream the answer as it is written
      --offline           run on the built-in scripted model (canned answers, no network), not the API
      --log <file>        append one JSON line per event of every run to <file> (read it with llmproc report)
      --trace             export OpenTelemetry spans (GenAI conventions) over OTLP/HTTP to OTEL_EXPORTER_OTLP_ENDPOINT
  -h, --help              show this help
      --version           show the version

Environment:
  ANTHROPIC_API_KEY       the key for the Anthropic API; without it (and without --offline) llmproc
                          refuses to run, with exit code 2
  ANTHROPIC_BASE_URL      another address for the Messages API
  OTEL_EXPORTER_OTLP_ENDPOINT  where --trace sends spans (default http://localhost:4318; /v1/traces is added)

Exit codes: 0 success, 1 the run failed (API error, cancelled), 2 bad usage, an invalid program or no key.`;

/** What the command line asks for. */
export interface CliArgs {
  /** `help`/`version` print and exit; `run` runs a program. */
  command: 'run' | 'help' | 'version';
  /** The program file, as given (set when `command` is `run`). */
  programFile: string;
  /** The `-p` prompt, if given. */
  prompt: string | undefined;
  /** `--json`: one JSON object on stdout. */
  json: boolean;
  /** `--max-iterations`, if given. */
  maxIterations: number | undefined;
  /** `--stream`: `true` when given, else `undefined` (the program's `[run] stream` applies). */
  stream: true | undefined;
  /** `--offline`: use the scripted model (the only way to run without a key). */
  offline: boolean;
  /** `--log <file>`: the run log to append to. */
  log: string | undefined;
  /** `--trace`: export spans over OTLP/HTTP. */
  trace: boolean;
  /** `--file <path>` (repeatable): images and PDFs sent with the prompt, in order. */
  files: readonly string[];
}

const OPTIONS = {
  prompt: { type: 'string', short: 'p' },
  json: { type: 'boolean' },
  'max-iterations': { type: 'string' },
  stream: { type: 'boolean' },
  offline: { type: 'boolean' },
  log: { type: 'string' },
  trace: { type: 'boolean' },
  file: { type: 'string', multiple: true },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean' },
} as const;

/**
 * Parses the arguments after `llmproc` (`process.argv.slice(2)`).
 *
 * @throws {CliUsageError} for an unknown flag, a flag without its value, a bad `--max-iterations`,
 *   an empty `-p`, a missing program file or an extra argument.
 */
export function parseCliArgs(argv: readonly string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, allowPositionals: true, strict: true });
  } catch (error) {
    throw usageErrorFrom(error);
  }
  const { values, positionals } = parsed;
  const base = { programFile: '', prompt: undefined, json: false, maxIterations: undefined, stream: undefined, offline: false, log: undefined, trace: false, files: [] } as const;
  if (values.help) return { ...base, command: 'help' };
  if (values.version) return { ...base, command: 'version' };

  const [programFile, ...extra] = positionals;
  if (programFile === undefined || programFile === '') {
    throw new CliUsageError('<program.toml>', 'missing the program file: llmproc <program.toml> [-p <prompt>]');
  }
  if (extra.length > 0) {
    throw new CliUsageError(extra[0]!, `unexpected argument "${extra[0]}"; quote a prompt and pass it with -p "<prompt>"`);
  }
  if (values.prompt !== undefined && values.prompt.trim() === '') {
    throw new CliUsageError('--prompt', '-p/--prompt needs a non-empty prompt');
  }
  return {
    command: 'run',
    programFile,
    prompt: values.prompt,
    json: values.json === true,
    maxIterations: values['max-iterations'] === undefined ? undefined : positiveInteger('--max-iterations', values['max-iterations']),
    stream: values.stream === true ? true : undefined,
    offline: values.offline === true,
    log: nonEmpty('--log', values.log),
    trace: values.trace === true,
    files: (values.file ?? []).map((file) => nonEmpty('--file', file)!),
  };
}

/** A flag's value, refusing an empty one. */
function nonEmpty(flag: string, value: string | undefined): string | undefined {
  if (value !== undefined && value.trim() === '') throw new CliUsageError(flag, `${flag} needs a file name`);
  return value;
}

function positiveInteger(flag: string, text: string): number {
  const value = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !Number.isSafeInteger(value) || value < 1) {
    throw new CliUsageError(flag, `${flag} expects a positive integer, received "${text}"`);
  }
  return value;
}

/** `util.parseArgs`'s errors, in our words, naming the flag. */
function usageErrorFrom(error: unknown): unknown {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
  const quoted = /'([^']*)'/.exec(message)?.[1] ?? '';
  const flag = /--[\w-]+/.exec(quoted)?.[0] ?? /-\w/.exec(quoted)?.[0] ?? quoted;
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return new CliUsageError(flag, `unknown option ${flag}; see llmproc --help`);
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/argument missing|ambiguous/.test(message)) return new CliUsageError(flag, `${flag} needs a value`);
      return new CliUsageError(flag, message.replace(/^Option '([^']*)'/, '$1'));
    default:
      return error;
  }
}
