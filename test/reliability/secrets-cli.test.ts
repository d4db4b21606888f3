/**
 * R19 through the command line: `llmproc prog.toml -p ... --json`, run as a child process with the
 * sentinel as ANTHROPIC_API_KEY and ANTHROPIC_BASE_URL at a fake server. Neither stdout nor stderr
 * carries the key, on success (with a builtin tool and an MCP server that reports its environment)
 * or on an API error whose body echoes the key.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorReply, type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { RELIABILITY_API_KEY, resultText, TempDir, toolResultsOf } from './mcp-support.js';

const repository = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mainTs = path.join(repository, 'lib/cli/main.ts');

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI on `programFile` with the sentinel key and the fake server; only PATH and HOME besides. */
function runCli(programFile: string, server: FakeAnthropicServer, prompt: string): Promise<Outcome> {
  const env = { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ANTHROPIC_API_KEY: RELIABILITY_API_KEY, ANTHROPIC_BASE_URL: server.url };
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', mainTs, programFile, '-p', prompt, '--json'], {
    cwd: repository,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('reliability: the API key never leaks from the CLI (R19)', () => {
  let dir: TempDir;
  const servers: FakeAnthropicServer[] = [];
  beforeEach(() => {
    dir = new TempDir();
  });
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
    dir.remove();
  });

  it('R19: `llmproc --json` prints no trace of the key, on a run with tools and an MCP server and on an API error that echoes it', async function () {
    this.timeout(20_000);
    dir.config({ echo: dir.server('echo-server.mjs', 'echo') });
    const programFile = dir.write(
      'program.toml',
      ['[model]', 'name = "claude-test"', 'provider = "anthropic"', '', '[tools]', 'enabled = ["calculator"]', '', '[mcp]', 'config_path = "servers.json"', '', '[mcp.tools]', 'echo = ["env"]', ''].join('\n'),
    );
    const ok = await startFakeAnthropic();
    const failing = await startFakeAnthropic();
    servers.push(ok, failing);
    ok.enqueue(
      toolUseReply([
        { name: 'calculator', input: { expression: '6*7' } },
        { name: 'echo__env', input: {} },
      ]),
      textReply('42, and the environment was clean.'),
    );
    failing.enqueue(errorReply(403, { message: `the key ${RELIABILITY_API_KEY} is not allowed` }));

    const [success, failure] = await Promise.all([runCli(programFile, ok, 'Compute and look around.'), runCli(programFile, failing, 'Fail.')]);

    expect(success.code, success.stderr).to.equal(0);
    const report = JSON.parse(success.stdout) as { message: string; runResult: { toolCalls: unknown[] } };
    expect(report.message).to.equal('42, and the environment was clean.');
    expect(report.runResult.toolCalls).to.have.length(2);
    const env = JSON.parse(resultText(toolResultsOf(ok.requests[1])[1])) as Record<string, string>;
    expect(env, 'the MCP server ran and reported its environment').to.have.property('PATH');
    const authorization = String(ok.requests[0]!.headers['authorization'] ?? ok.requests[0]!.headers['x-api-key']);
    expect(authorization, 'the CLI used the sentinel key').to.include(RELIABILITY_API_KEY);

    expect(failure.code).to.equal(1);
    const failed = JSON.parse(failure.stdout) as { error: { name: string; status: number; message: string } };
    expect(failed.error).to.include({ name: 'ApiCallError', status: 403 });
    expect(failed.error.message).to.include('[redacted]');

    for (const [where, text] of [
      ['stdout of the run', success.stdout],
      ['stderr of the run', success.stderr],
      ['stdout of the failure', failure.stdout],
      ['stderr of the failure', failure.stderr],
      ['the MCP server environment', JSON.stringify(env)],
      ['request bodies', JSON.stringify([...ok.requests, ...failing.requests].map((request) => request.body))],
    ] as const) {
      expect(text.includes(RELIABILITY_API_KEY), `the key leaked into ${where}`).to.equal(false);
      expect(text.includes('SENTINEL'), `part of the key leaked into ${where}`).to.equal(false);
    }
  });
});
