/**
 * The `llmproc` command: parses the arguments, loads the program, checks that a real run has its
 * key (or that `--offline` asks for the scripted model), connects, then runs once or starts an
 * interactive session.
 *
 * @module
 */
import { inputPartFromFile } from '../input/part-from-file.js';
import type { RunInput } from '../process/run-input.js';
import { LLMProgram } from '../program/llm-program.js';
import { providerDefinition } from '../providers/index.js';
import { connectModel, type ModelConnection } from '../testing/connect-model.js';
import { type CliArgs, parseCliArgs } from './args.js';
import type { CliIo } from './cli-io.js';
import { EXIT_OK, type ExitCode } from './exit-codes.js';
import { jsonErrorReport } from './json-report.js';
import { observe } from './observe.js';
import { quickAnswer } from './quick-answer.js';
import { readAll } from './read-stdin.js';
import { runReport } from './report-command.js';
import { reportError } from './report-error.js';
import { requireApiKey } from './require-key.js';
import { runOnce } from './run-once.js';
import { runSession } from './session.js';
import { CliUsageError } from './usage-error.js';

/**
 * Whether `argv` asks for `--json` (before any `--`), known even when the arguments do not parse,
 * so that a usage error is reported as JSON too.
 */
export function wantsJson(argv: readonly string[]): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--json');
}

/**
 * Runs the command with `argv` (the arguments after `llmproc`) and returns its exit code. Never
 * throws: errors are printed on `io.stderr` (see `report-error.ts`) and, with `--json`, as a JSON
 * error object on `io.stdout`.
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    if (argv[0] === 'report') return await runReport(argv.slice(1), io);
    const answer = quickAnswer(argv);
    if (answer !== undefined) {
      io.stdout.write(`${answer}\n`);
      return EXIT_OK;
    }
    return await runProgram(parseCliArgs(argv), io);
  } catch (error) {
    const report = reportError(error);
    if (wantsJson(argv)) io.stdout.write(`${JSON.stringify(jsonErrorReport(error), null, 2)}\n`);
    io.stderr.write(report.text);
    return report.exitCode;
  }
}

/** Refuses a real run of `program` without its provider's key (see {@link requireApiKey}). */
function requireKeyFor(program: LLMProgram, env: CliIo['env']): void {
  const definition = providerDefinition(program.provider);
  // A provider the registry does not know is refused by start(), naming the supported ones.
  if (definition) requireApiKey(definition.apiKeyVariable, definition.hasCredentials(env));
}

/** The real API (its client reads the environment), or with `--offline` the scripted model. */
function connect(args: CliArgs, io: CliIo, program: LLMProgram): Promise<ModelConnection> {
  if (args.offline) return connectModel({ offline: true, provider: program.provider, env: io.env, notice: (line) => io.stderr.write(`${line}\n`) });
  return Promise.resolve({ offline: false, startOptions: {}, close: async () => {} });
}

async function runProgram(args: CliArgs, io: CliIo): Promise<ExitCode> {
  const program = LLMProgram.fromFile(args.programFile);
  if (!args.offline) requireKeyFor(program, io.env);
  const prompt = await inputOf(args, await promptOf(args, io));
  const model = await connect(args, io, program);
  try {
    const llm = await program.start(model.startOptions);
    let stopObserving = async (): Promise<void> => {};
    try {
      stopObserving = await observe(llm, args, io);
      const settings = { maxIterations: args.maxIterations, stream: args.stream };
      if (prompt !== undefined) return await runOnce(llm, prompt, { ...settings, json: args.json }, io);
      return await runSession(llm, settings, io);
    } finally {
      await stopObserving();
      await llm.close();
    }
  } finally {
    await model.close();
  }
}

/** The prompt with the `--file` images and PDFs after it (read and checked now, before any run); the prompt alone without files. */
async function inputOf(args: CliArgs, prompt: string | undefined): Promise<RunInput | undefined> {
  if (args.files.length === 0) return prompt;
  if (prompt === undefined) throw new CliUsageError('--file', '--file needs a prompt: pass -p "<prompt>" or pipe one on stdin');
  const parts = await Promise.all(
    args.files.map((file) =>
      inputPartFromFile(file).catch((error: unknown) => {
        if ((error as { code?: unknown }).code === undefined) throw error;
        throw new CliUsageError('--file', `cannot read ${file}: ${(error as Error).message}`);
      }),
    ),
  );
  return [{ type: 'text', text: prompt }, ...parts];
}

/** The `-p` prompt, else what stdin holds when it is not a terminal; `undefined`: interactive. */
async function promptOf(args: CliArgs, io: CliIo): Promise<string | undefined> {
  if (args.prompt !== undefined) return args.prompt;
  if (io.stdin.isTTY) {
    if (args.json) throw new CliUsageError('--json', '--json needs a prompt: pass -p "<prompt>" or pipe one on stdin');
    return undefined;
  }
  const piped = await readAll(io.stdin);
  if (piped === '') throw new CliUsageError('prompt', 'no prompt: stdin was empty; pass one with -p "<prompt>" or pipe one on stdin');
  return piped;
}
