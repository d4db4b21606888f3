/**
 * The `llmproc` command, run as a child process (stdin and stdout are pipes) against the fake
 * Anthropic server through ANTHROPIC_BASE_URL, and offline on the scripted model.
 */
import { expect } from 'chai';
import { writeFileSync } from 'node:fs';
import { type FakeAnthropicServer, errorReply, hang, startFakeAnthropic, textReply, TINY_PNG, tinyPdf, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY, signalled } from '../support/setup.js';
import { type CliOutcome, runCli, startCli, TempPrograms } from './support.js';

const calculator = 'examples/calculator.toml';
const SUMMARY = /^(\d+) API calls? · (\d+) tool calls? · (\d+) tokens? \((\d+) in, (\d+) out\) · (\$[\d.]+|cost unknown) · \d+(\.\d+)?m?s( · stopped: \w+)?$/m;

interface Body {
  model: string;
  stream?: boolean;
  system?: string;
  messages: Array<{ role: string; content: Array<{ type: string; text?: string }> }>;
}
const bodyOf = (server: FakeAnthropicServer, i: number): Body => withoutCaching(server.requests[i]!.body) as Body;

describe('llmproc (the command)', function () {
  this.timeout(30_000);
  let server: FakeAnthropicServer;
  let online: Record<string, string>;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    online = { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url };
  });
  afterEach(async () => server.close());

  describe('when it runs once', () => {
    it('-p runs the prompt, shows the tools and the answer as plain lines, then the summary, and exits 0', async () => {
      server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '12*34' } }], { text: 'Computing.' }), textReply('12 × 34 = 408.'));
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?'], { env: online });
      expect(code, stderr).to.equal(0);
      expect(stdout.split('\n').slice(0, 4)).to.deep.equal([
        'Computing.',
        '[tool] calculator {"expression":"12*34"}',
        stdout.split('\n')[2]!.match(/^\[tool\] calculator done \(\d+ms\)$/)?.[0],
        '12 × 34 = 408.',
      ]);
      const summary = SUMMARY.exec(stdout);
      expect(summary, stdout).to.not.equal(null);
      expect(summary!.slice(1, 6)).to.deep.equal(['2', '1', '30', '20', '10']);
      expect(stdout).not.to.include('\x1b');
      expect(stderr).to.equal('');
      expect(server.requests).to.have.length(2);
      expect(bodyOf(server, 0).messages).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'What is 12*34?' }] }]);
      expect(bodyOf(server, 0).system).to.include('You are a helpful math assistant');
      expect(stdout + stderr).not.to.include(SENTINEL_API_KEY);
    });

    it('reads the prompt from stdin when one is piped', async () => {
      server.enqueue(textReply('Piped answer.'));
      const { code, stdout } = await runCli([calculator], { env: online, input: 'Hello from a pipe\n' });
      expect(code).to.equal(0);
      expect(stdout).to.match(/^Piped answer\.\n/);
      expect(bodyOf(server, 0).messages[0]!.content).to.deep.equal([{ type: 'text', text: 'Hello from a pipe' }]);
    });

    it('--stream streams the answer (the request asks for a stream) and still ends with the summary', async () => {
      server.enqueue(textReply('Streamed, word by word.'));
      const { code, stdout } = await runCli([calculator, '-p', 'Stream it', '--stream'], { env: online });
      expect(code).to.equal(0);
      expect(bodyOf(server, 0).stream).to.equal(true);
      expect(stdout).to.match(/^Streamed, word by word\.\n1 API call · 0 tool calls · /);
      expect(stdout).not.to.include('\x1b');
    });
  });

  describe('--json', () => {
    it('prints one JSON object, the message, stop reason and RunResult matching what the server got, and nothing else', async () => {
      server.enqueue(
        toolUseReply([{ name: 'calculator', input: { expression: '2+2' } }], { usage: { input_tokens: 40, output_tokens: 12 } }),
        textReply('2 + 2 = 4.', { usage: { input_tokens: 60, output_tokens: 7 } }),
      );
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 2+2?', '--json'], { env: online });
      expect(code, stderr).to.equal(0);
      expect(stderr).to.equal('');
      const report = JSON.parse(stdout);
      expect(Object.keys(report)).to.deep.equal(['message', 'stopReason', 'runResult']);
      expect(report.message).to.equal('2 + 2 = 4.');
      expect(report.stopReason).to.equal('end_turn');
      const run = report.runResult;
      expect(run.apiCalls).to.equal(server.requests.length).and.to.equal(2);
      expect(run.apiCallInfos.map((info: { model: string }) => info.model)).to.deep.equal(server.requests.map((r) => (r.body as Body).model));
      expect(run.apiCallInfos.map((info: { requestId: string }) => info.requestId)).to.deep.equal(['req_fake_1', 'req_fake_2']);
      expect(run.apiCallInfos.map((info: { stopReason: string }) => info.stopReason)).to.deep.equal(['tool_use', 'end_turn']);
      expect(run.usage).to.deep.equal({ inputTokens: 100, outputTokens: 19, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
      expect(run.toolCalls).to.have.length(1);
      expect(run.toolCalls[0]).to.include({ toolName: 'calculator', isError: false, source: 'builtin' });
      expect(run.toolCalls[0].args).to.deep.equal({ expression: '2+2' });
      expect(run.costUsd).to.be.a('number').greaterThan(0);
      expect(run.stopReason).to.equal('end_turn');
      expect(run.lastMessage).to.equal('2 + 2 = 4.');
      expect(run.endTime - run.startTime).to.equal(run.durationMs);
      // The tool result the CLI sent back is the calculator's answer.
      expect(JSON.stringify(bodyOf(server, 1).messages.at(-1))).to.include('"4"');
    });

    it('--max-iterations N stops after N API calls with stopReason max_iterations, exit 0', async () => {
      server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '1+1' } }]), textReply('never sent'));
      const { code, stdout } = await runCli([calculator, '-p', 'Loop', '--json', '--max-iterations', '1'], { env: online });
      expect(code).to.equal(0);
      const report = JSON.parse(stdout);
      expect(report.stopReason).to.equal('max_iterations');
      expect(report.runResult.apiCalls).to.equal(1);
      expect(report.runResult.toolCalls).to.have.length(1);
      expect(server.requests).to.have.length(1);
      expect(server.pending()).to.equal(1);
    });
  });

  describe('offline', () => {
    it('--offline uses the scripted model even with a key and a base URL set, and says so on stderr', async () => {
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--offline'], { env: online });
      expect(code).to.equal(0);
      expect(stderr).to.include('running OFFLINE on the built-in scripted model (--offline)');
      expect(stdout).to.include('[tool] calculator {"expression":"12*34"}');
      expect(stdout).to.include('The calculator says 408.');
      expect(server.requests).to.have.length(0);
    });

    it('--offline without ANTHROPIC_API_KEY runs the scripted model (llmproc examples/calculator.toml -p "What is 12*34?" --offline)', async () => {
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--offline']);
      expect(code).to.equal(0);
      expect(stderr).to.equal('llmproc: running OFFLINE on the built-in scripted model (--offline): canned answers, no network.\n');
      expect(stdout).to.include('The calculator says 408.');
      expect(stdout).to.match(/^2 API calls · 1 tool call · /m);
    });
  });

  describe('--file', () => {
    let files: TempPrograms;
    beforeEach(() => (files = new TempPrograms()));
    afterEach(() => files.remove());

    it('sends the images and PDFs with the prompt as content parts, in order', async () => {
      const png = files.write('pixel.png', '');
      writeFileSync(png, Buffer.from(TINY_PNG, 'base64'));
      const pdf = files.write('report.pdf', '');
      writeFileSync(pdf, Buffer.from(tinyPdf(3), 'base64'));
      server.enqueue(textReply('A pixel and a report.'));
      const { code, stdout } = await runCli([calculator, '-p', 'What are these?', '--file', png, '--file', pdf], { env: online });
      expect(code).to.equal(0);
      expect(stdout).to.include('A pixel and a report.');
      expect(bodyOf(server, 0).messages[0]!.content).to.deep.equal([
        { type: 'text', text: 'What are these?' },
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: TINY_PNG } },
        { type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: tinyPdf(3) }, title: 'report' },
      ]);
    });

    it('offline, the scripted model says what it got', async () => {
      const png = files.write('pixel.png', '');
      writeFileSync(png, Buffer.from(TINY_PNG, 'base64'));
      const { code, stdout } = await runCli([calculator, '-p', 'Describe it', '--file', png, '--offline']);
      expect(code).to.equal(0);
      expect(stdout).to.include('I received an image (image/png, 1×1 px, 70 bytes) with your words: "Describe it"');
    });

    it('exits 2 for a file that is neither an image nor a PDF, or missing, sending nothing', async () => {
      const notes = files.write('notes.txt', 'plain text');
      const refused = await runCli([calculator, '-p', 'Read', '--file', notes], { env: online });
      expect(refused.code).to.equal(2);
      expect(refused.stderr).to.include('is neither a JPEG, PNG, GIF or WebP image nor a PDF');
      const missing = await runCli([calculator, '-p', 'Read', '--file', `${files.path}/nope.png`], { env: online });
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.match(/^llmproc: cannot read .*nope\.png: ENOENT/);
      expect(server.requests).to.have.length(0);
    });
  });

  describe('without ANTHROPIC_API_KEY and without --offline (a CI job that lost its secret)', () => {
    it('exits 2 naming the variable and --offline, without running anything', async () => {
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?'], { env: { ANTHROPIC_BASE_URL: server.url } });
      expect(code).to.equal(2);
      expect(stdout).to.equal('');
      expect(stderr).to.equal(
        'llmproc: no ANTHROPIC_API_KEY set: set it to run the program on its model\'s API, or pass --offline to run on the built-in scripted model (canned answers, no network).\n',
      );
      expect(server.requests).to.have.length(0);
    });

    it('with --json prints a JSON error object naming the variable, not a canned success', async () => {
      const { code, stdout } = await runCli([calculator, '-p', 'What is 12*34?', '--json']);
      expect(code).to.equal(2);
      const report = JSON.parse(stdout);
      expect(report).to.deep.equal({ error: { name: 'CliMissingKeyError', message: report.error.message, variable: 'ANTHROPIC_API_KEY' } });
      expect(report.error.message).to.include('--offline');
    });
  });

  describe('--json when the command fails before any run (these commands run side by side)', () => {
    const temp = new TempPrograms();
    let outcomes: Record<'bogus' | 'invalid' | 'noPrompt', Promise<CliOutcome>>;
    let badToml: string;
    before(async function () {
      this.timeout(90_000);
      badToml = temp.write('bad.toml', '[model]\nname = 42\nprovider = "anthropic"\n');
      const env = { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url };
      outcomes = {
        bogus: runCli([calculator, '--json', '--bogus'], { env }),
        invalid: runCli([badToml, '-p', 'hi', '--json'], { env }),
        noPrompt: runCli([calculator, '--json'], { env, input: '' }),
      };
      await Promise.all(Object.values(outcomes));
    });
    after(() => temp.remove());

    it('prints a JSON error object for a usage error, naming the flag (exit 2)', async () => {
      const { code, stdout, stderr } = await outcomes.bogus;
      expect(code).to.equal(2);
      expect(JSON.parse(stdout)).to.deep.equal({ error: { name: 'CliUsageError', message: 'unknown option --bogus; see llmproc --help', argument: '--bogus' } });
      expect(stderr).to.include('llmproc: unknown option --bogus');
    });

    it('prints a JSON error object for an invalid program, with its file and key path (exit 2)', async () => {
      const { code, stdout } = await outcomes.invalid;
      expect(code).to.equal(2);
      expect(JSON.parse(stdout)).to.deep.equal({
        error: { name: 'ProgramError', message: `${badToml}: line 2, column 1: model.name: expected a non-empty string, received number`, file: badToml, keyPath: 'model.name', line: 2, column: 1 },
      });
    });

    it('prints a JSON error object for a missing prompt (exit 2)', async () => {
      const { code, stdout } = await outcomes.noPrompt;
      expect(code).to.equal(2);
      expect(JSON.parse(stdout).error).to.include({ name: 'CliUsageError', argument: 'prompt' });
    });
  });

  describe('warnings', () => {
    it('print as one plain line each (llmproc: warning: ...), not as a Node warning', async () => {
      const temp = new TempPrograms();
      try {
        const program = temp.write('preload.toml', '[model]\nname = "claude-test"\nprovider = "anthropic"\n[preload]\nfiles = ["missing.md"]\n');
        server.enqueue(textReply('ok'));
        const { code, stderr } = await runCli([program, '-p', 'hi'], { env: online });
        expect(code).to.equal(0);
        expect(stderr).to.equal(`llmproc: warning: preload file skipped: ${temp.path}/missing.md (file not found)\n`);
      } finally {
        temp.remove();
      }
    });
  });

  describe('exit codes of a failed run', () => {
    it('1 when the API fails: the API\'s error on stderr, the partial summary on stdout, no stack', async () => {
      server.enqueue(errorReply(400, { message: 'prompt is too long' }));
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'hi'], { env: online });
      expect(code).to.equal(1);
      expect(stderr).to.equal('llmproc: The Anthropic API answered 400 (invalid_request_error): prompt is too long [request req_fake_1]\n');
      expect(stdout).to.match(/^0 API calls · 0 tool calls · 0 tokens \(0 in, 0 out\) · \$0 · \d+ms · stopped: error\n$/);
    });

    it('1 when the API fails with --json: the report carries the error', async () => {
      server.enqueue(errorReply(529, { headers: { 'x-should-retry': 'false' } }));
      const { code, stdout, stderr } = await runCli([calculator, '-p', 'hi', '--json'], { env: online });
      expect(code).to.equal(1);
      const report = JSON.parse(stdout);
      expect(report.stopReason).to.equal('error');
      expect(report.error).to.deep.include({ name: 'ApiCallError', status: 529, requestId: 'req_fake_1' });
      expect(stderr).to.include('llmproc: The Anthropic API answered 529 (overloaded_error)');
    });

  });

  describe('SIGINT during a one-shot run', () => {
    it('cancels the run through its signal: exit 1, the abort on stderr, the partial summary on stdout', async () => {
      const arrived = signalled();
      server.respondWith(() => {
        arrived.resolve();
        return hang();
      });
      const { child, done } = startCli([calculator, '-p', 'Take your time'], { env: online });
      await arrived.promise;
      child.kill('SIGINT');
      const { code, stdout, stderr } = await done;
      expect(code).to.equal(1);
      expect(stderr).to.equal('llmproc: The run was aborted by its signal.\n');
      expect(stdout).to.match(/^0 API calls · 0 tool calls · .* · stopped: aborted\n$/);
    });
  });

  describe('exit codes of bad usage and invalid programs (these commands run side by side)', () => {
    const temp = new TempPrograms();
    let quiet: FakeAnthropicServer;
    let badToml: string;
    let outcomes: Record<'bogus' | 'iterations' | 'missingArg' | 'emptyStdin' | 'missingFile' | 'invalid' | 'help', Promise<CliOutcome>>;
    before(async function () {
      // Seven commands start at once: on a loaded machine that takes a while.
      this.timeout(90_000);
      quiet = await startFakeAnthropic();
      const env = { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: quiet.url };
      badToml = temp.write('bad.toml', '[model]\nname = 42\nprovider = "anthropic"\n');
      outcomes = {
        bogus: runCli([calculator, '--bogus'], { env }),
        iterations: runCli([calculator, '--max-iterations', '0', '-p', 'x'], { env }),
        missingArg: runCli([], { env }),
        emptyStdin: runCli([calculator], { env, input: '  \n' }),
        missingFile: runCli(['no/such/program.toml', '-p', 'hi'], { env }),
        invalid: runCli([badToml, '-p', 'hi'], { env }),
        help: runCli(['--help'], { env }),
      };
      await Promise.all(Object.values(outcomes));
    });
    after(async () => {
      temp.remove();
      await quiet.close();
    });
    const noStack = (stderr: string): void => {
      expect(stderr).not.to.match(/^\s+at /m);
    };

    it('2 for an unknown flag, naming it', async () => {
      const { code, stdout, stderr } = await outcomes.bogus;
      expect(code).to.equal(2);
      expect(stderr).to.include('llmproc: unknown option --bogus');
      expect(stdout).to.equal('');
      noStack(stderr);
    });

    it('2 for a bad --max-iterations, a missing program argument or an empty stdin', async () => {
      const bad = await outcomes.iterations;
      expect(bad.code).to.equal(2);
      expect(bad.stderr).to.include('--max-iterations expects a positive integer, received "0"');
      const missing = await outcomes.missingArg;
      expect(missing.code).to.equal(2);
      expect(missing.stderr).to.include('missing the program file');
      const empty = await outcomes.emptyStdin;
      expect(empty.code).to.equal(2);
      expect(empty.stderr).to.include('no prompt: stdin was empty');
    });

    it('2 for a program file that does not exist, naming it', async () => {
      const { code, stderr } = await outcomes.missingFile;
      expect(code).to.equal(2);
      expect(stderr).to.match(/^llmproc: no\/such\/program\.toml: cannot read the program file \(.*no\/such\/program\.toml\)/);
      noStack(stderr);
    });

    it('2 for an invalid program, with the library\'s message naming the key', async () => {
      const { code, stderr } = await outcomes.invalid;
      expect(code).to.equal(2);
      expect(stderr).to.equal(`llmproc: ${badToml}: line 2, column 1: model.name: expected a non-empty string, received number\n`);
    });

    it('sends no request to the API for any of them', () => {
      expect(quiet.requests).to.have.length(0);
    });

    it('0 for --help, which prints the usage', async () => {
      const { code, stdout } = await outcomes.help;
      expect(code).to.equal(0);
      expect(stdout).to.match(/^Usage: llmproc <program\.toml> \[-p <prompt>\]/);
      expect(stdout).to.include('Exit codes: 0 success, 1 the run failed');
    });
  });
});
