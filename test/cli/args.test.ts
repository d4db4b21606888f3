import { expect } from 'chai';
import { parseCliArgs } from '../../lib/cli/args.js';
import { CliUsageError } from '../../lib/cli/usage-error.js';
import { LLMProcError } from '../../lib/errors.js';

/** The usage error `argv` is refused with. */
function refusal(argv: string[]): CliUsageError {
  try {
    parseCliArgs(argv);
  } catch (error) {
    expect(error).to.be.instanceOf(CliUsageError).and.instanceOf(LLMProcError);
    return error as CliUsageError;
  }
  throw new Error(`expected ${JSON.stringify(argv)} to be refused`);
}

describe('parseCliArgs', () => {
  it('reads the program, -p and every flag', () => {
    expect(parseCliArgs(['prog.toml', '-p', 'Hi', '--json', '--max-iterations', '3', '--stream', '--offline'])).to.deep.equal({
      command: 'run',
      programFile: 'prog.toml',
      prompt: 'Hi',
      json: true,
      maxIterations: 3,
      stream: true,
      offline: true,
      log: undefined,
      trace: false,
      files: [],
    });
  });

  it('reads --file <path>, repeatable, in order; refuses an empty one', () => {
    expect(parseCliArgs(['prog.toml', '-p', 'Hi', '--file', 'a.png', '--file=b.pdf'])).to.deep.include({ files: ['a.png', 'b.pdf'] });
    expect(refusal(['prog.toml', '--file', ''])).to.include({ argument: '--file', message: '--file needs a file name' });
  });

  it('reads --log <file> and --trace', () => {
    expect(parseCliArgs(['prog.toml', '--log', 'runs.jsonl', '--trace'])).to.deep.include({ log: 'runs.jsonl', trace: true });
    expect(parseCliArgs(['prog.toml', '--log=runs.jsonl'])).to.deep.include({ log: 'runs.jsonl', trace: false });
    expect(refusal(['prog.toml', '--log']).message).to.equal('--log needs a value');
    expect(refusal(['prog.toml', '--log', ' '])).to.include({ argument: '--log', message: '--log needs a file name' });
  });

  it('leaves unset flags to the program: no -p, no --stream, no --max-iterations', () => {
    expect(parseCliArgs(['prog.toml'])).to.deep.include({ prompt: undefined, stream: undefined, maxIterations: undefined, json: false, offline: false });
  });

  it('accepts --prompt=..., --max-iterations=N and flags before the program', () => {
    expect(parseCliArgs(['--prompt=Hello there', '--max-iterations=2', 'prog.toml'])).to.deep.include({ programFile: 'prog.toml', prompt: 'Hello there', maxIterations: 2 });
  });

  it('knows --help, -h and --version without a program', () => {
    expect(parseCliArgs(['--help']).command).to.equal('help');
    expect(parseCliArgs(['-h']).command).to.equal('help');
    expect(parseCliArgs(['--version']).command).to.equal('version');
  });

  it('refuses an unknown flag, naming it', () => {
    expect(refusal(['prog.toml', '--bogus'])).to.include({ argument: '--bogus', message: 'unknown option --bogus; see llmproc --help' });
    expect(refusal(['prog.toml', '-x']).message).to.equal('unknown option -x; see llmproc --help');
  });

  it('refuses a flag without its value', () => {
    expect(refusal(['prog.toml', '-p']).message).to.equal('--prompt needs a value');
    expect(refusal(['prog.toml', '--max-iterations']).message).to.equal('--max-iterations needs a value');
  });

  it('refuses a value given to a boolean flag', () => {
    expect(refusal(['prog.toml', '--json=yes']).message).to.match(/^--json does not take an argument/);
  });

  for (const bad of ['0', '-1', '1.5', 'ten', '', '99999999999999999999']) {
    it(`refuses --max-iterations "${bad}"`, () => {
      expect(refusal(['prog.toml', `--max-iterations=${bad}`])).to.include({
        argument: '--max-iterations',
        message: `--max-iterations expects a positive integer, received "${bad}"`,
      });
    });
  }

  it('refuses a missing program, an extra argument and an empty -p', () => {
    expect(refusal([]).message).to.equal('missing the program file: llmproc <program.toml> [-p <prompt>]');
    expect(refusal(['prog.toml', 'What', 'is', 'it?']).message).to.equal('unexpected argument "What"; quote a prompt and pass it with -p "<prompt>"');
    expect(refusal(['prog.toml', '-p', '  ']).message).to.equal('-p/--prompt needs a non-empty prompt');
  });
});
