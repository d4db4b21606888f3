/**
 * Issue 16, item 6: a run paused for approval is snapshotted, the snapshot goes through JSON to a
 * second Node process, which restores it, approves and finishes against the fake Anthropic server.
 * The requests it sends are exactly those an uninterrupted run sends from that point, the final
 * conversation is the same, and the RunResult totals across the two processes equal the
 * uninterrupted run's.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { Message } from '../../lib/providers/types.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { RunResultJSON } from '../../lib/results/run-result.js';
import { type FakeAnthropicServer, type RecordedRequest, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { tempDir } from './support.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const PROGRAM = path.join(here, 'fixtures/careful-calculator/program.toml');
const CHILD = path.join(here, 'fixtures/resume-child.ts');

/** The model's side of the run, by how far the conversation got: read a file and compute, compute again, answer. */
function careful(request: RecordedRequest) {
  const messages = (request.body as { messages: unknown[] }).messages;
  if (messages.length === 1) {
    return toolUseReply(
      [
        { name: 'read_file', input: { path: 'notes.txt' }, id: 'toolu_read' },
        { name: 'calculator', input: { expression: '12*34' }, id: 'toolu_calc_1' },
      ],
      { text: 'Reading the notes and computing.', usage: { input_tokens: 400, output_tokens: 40 } },
    );
  }
  if (messages.length === 3) return toolUseReply([{ name: 'calculator', input: { expression: '408+2' }, id: 'toolu_calc_2' }], { usage: { input_tokens: 500, output_tokens: 20 } });
  return textReply('The budget plus two is 410.', { usage: { input_tokens: 600, output_tokens: 12 } });
}

/** Runs the child script on `snapshotFile` against `server`; returns what it printed. */
async function resumeInChild(snapshotFile: string, server: FakeAnthropicServer): Promise<{ runResult: RunResultJSON; messages: Message[]; output: string }> {
  const { ANTHROPIC_API_KEY: _key, ANTHROPIC_AUTH_TOKEN: _token, ANTHROPIC_BASE_URL: _url, ...clean } = process.env;
  const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', CHILD, snapshotFile], {
    cwd: root,
    env: { ...clean, ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url },
    timeout: 30_000,
  });
  return { ...(JSON.parse(stdout) as { runResult: RunResultJSON; messages: Message[] }), output: stdout + stderr };
}

/** What a RunResult's totals are, without timings and ids. */
function totals(json: RunResultJSON) {
  return {
    apiCalls: json.apiCalls,
    usage: json.usage,
    costUsd: json.costUsd,
    stopReason: json.stopReason,
    lastMessage: json.lastMessage,
    perCall: json.apiCallInfos.map(({ tokens, costUsd, stopReason }) => ({ tokens, costUsd, stopReason })),
    toolCalls: json.toolCalls.map(({ toolName, args, decision, isError }) => ({ toolName, args, decision, isError })),
  };
}

describe('a paused run resumed in another Node process', () => {
  let reference: FakeAnthropicServer;
  let interrupted: FakeAnthropicServer;
  let dir: ReturnType<typeof tempDir>;
  beforeEach(async () => {
    reference = await startFakeAnthropic({ responder: careful });
    interrupted = await startFakeAnthropic({ responder: careful });
    dir = tempDir();
  });
  afterEach(async () => {
    await reference.close();
    await interrupted.close();
    dir.remove();
  });

  it('sends exactly the requests an uninterrupted run sends from the pause, and the totals add up to its', async function () {
    this.timeout(60_000);
    const startOptions = (server: FakeAnthropicServer) => ({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });

    // The uninterrupted run: paused twice, approved in this process each time.
    const whole = await LLMProgram.fromToml(PROGRAM).start(startOptions(reference));
    let result = await whole.run('What is the budget in my notes?');
    while (result.stopReason === 'awaiting_approval') {
      for (const { id } of whole.pendingApprovals) whole.approve(id);
      result = await whole.resume();
    }
    const wholeState = whole.getState();
    await whole.close();
    expect(result.stopReason).to.equal('end_turn');
    expect(reference.requests).to.have.length(3);

    // The interrupted one: this process runs to the first pause and writes the snapshot down.
    const first = await LLMProgram.fromToml(PROGRAM).start(startOptions(interrupted));
    const paused = await first.run('What is the budget in my notes?');
    expect(paused.stopReason).to.equal('awaiting_approval');
    expect(paused.pendingApprovals.map((approval) => approval.id)).to.deep.equal(['toolu_calc_1']);
    const snapshotText = JSON.stringify(first.snapshot());
    await first.close();
    expect(snapshotText).not.to.include(SENTINEL_API_KEY);
    const snapshotFile = dir.write('snapshot.json', snapshotText);
    expect(interrupted.requests).to.have.length(1);

    const child = await resumeInChild(snapshotFile, interrupted);

    expect(interrupted.requests.slice(1).map((request) => request.body)).to.deep.equal(reference.requests.slice(1).map((request) => request.body));
    expect(child.messages).to.deep.equal(wholeState);
    expect(totals(child.runResult)).to.deep.equal(totals(result.toJSON()));
    expect(child.runResult.toolCalls.map((call) => [call.toolName, call.decision])).to.deep.equal([
      ['read_file', 'ran'],
      ['calculator', 'approved'],
      ['calculator', 'approved'],
    ]);
    expect(child.output).not.to.include(SENTINEL_API_KEY);
  });

  it('refuses, in the other process too, a snapshot whose program file changed since', async function () {
    this.timeout(60_000);
    const copy = dir.write('program.toml', readFileSync(PROGRAM, 'utf8'));
    writeFileSync(path.join(dir.dir, 'notes.txt'), 'notes');
    const first = await LLMProgram.fromToml(copy).start({ apiKey: SENTINEL_API_KEY, baseURL: interrupted.url, maxRetries: 0 });
    await first.run('What is the budget in my notes?');
    const snapshotFile = dir.write('snapshot.json', JSON.stringify(first.snapshot()));
    await first.close();
    writeFileSync(copy, readFileSync(PROGRAM, 'utf8').replace('claude-haiku-4-5', 'claude-sonnet-4-5'));
    const failure = await resumeInChild(snapshotFile, interrupted).then(
      () => undefined,
      (error: { stderr?: string }) => error,
    );
    expect(failure?.stderr).to.include('SnapshotError').and.include('program.definition.model: the snapshot belongs to another program');
    expect(interrupted.requests).to.have.length(1);
  });
});
