import { expect } from 'chai';
import { reportError } from '../../lib/cli/report-error.js';
import { CliUsageError } from '../../lib/cli/usage-error.js';
import { ApiCallError, McpServerStartError, ProgramError, RunAbortedError } from '../../lib/errors.js';
import { RunResult } from '../../lib/results/run-result.js';

describe('reportError (exit code and text of an error)', () => {
  const result = new RunResult().complete({ stopReason: 'error', lastMessage: '' });

  it('2 with the message and the usage line for bad usage', () => {
    const report = reportError(new CliUsageError('--bogus', 'unknown option --bogus; see llmproc --help'));
    expect(report.exitCode).to.equal(2);
    expect(report.text).to.equal('llmproc: unknown option --bogus; see llmproc --help\nUsage: llmproc <program.toml> [-p <prompt>] [--file <image or pdf>]... [--json] [--max-iterations N] [--stream] [--offline] [--log <file>] [--trace]\n');
  });

  it("2 with the library's message, no stack, for an invalid program or one that cannot start", () => {
    expect(reportError(new ProgramError('model.name: expected a non-empty string, received number', { file: 'bad.toml' }))).to.deep.equal({
      exitCode: 2,
      text: 'llmproc: bad.toml: model.name: expected a non-empty string, received number\n',
    });
    const start = reportError(new McpServerStartError('clock', 'spawn nope ENOENT', ''));
    expect(start.exitCode).to.equal(2);
    expect(start.text).not.to.match(/^\s+at /m);
  });

  it('1 with the message, no stack, for a failed or cancelled run', () => {
    expect(reportError(new ApiCallError('The Anthropic API answered 500', result, { status: 500 }))).to.deep.equal({
      exitCode: 1,
      text: 'llmproc: The Anthropic API answered 500\n',
    });
    expect(reportError(new RunAbortedError('aborted', result)).exitCode).to.equal(1);
  });

  it('1 with the stack for anything else (a bug)', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const report = reportError(bug);
    expect(report.exitCode).to.equal(1);
    expect(report.text).to.include('llmproc: internal error (please report it): TypeError: cannot read properties of undefined\n    at ');
    expect(reportError('a string').text).to.equal('llmproc: internal error (please report it): a string\n');
  });
});
