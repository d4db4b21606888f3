import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { RunInProgressError } from '../../lib/errors.js';
import { expectValidRequests, setupTest, signalled, type TestSetup } from '../support/setup.js';

type Body = { system?: string; messages: Array<{ role: string; content: Array<{ type: string; text?: string; content?: unknown; is_error?: boolean }> }> };

describe('programs that work together', () => {
  let t: TestSetup;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-children-'));
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spawn runs a linked program and answers with its result; the parent RunResult includes the child, tagged', async () => {
    writeFileSync(path.join(dir, 'expert.toml'), '[model]\nname = "claude-expert"\nprovider = "anthropic"\ndisplay_name = "Expert"\n[prompt]\nsystem_prompt = "You are the expert."\n');
    writeFileSync(path.join(dir, 'main.toml'), '[model]\nname = "claude-main"\nprovider = "anthropic"\n[tools]\nenabled = ["spawn"]\n[linked_programs]\nexpert = "expert.toml"\n');
    t = await setupTest(LLMProgram.fromToml(path.join(dir, 'main.toml')));
    expect(t.process.tools[0]!.description).to.include('Linked programs: expert.');
    t.server.enqueue(
      toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'What is the answer?' } }], { usage: { input_tokens: 100, output_tokens: 10 } }),
      textReply('42, says the expert.', { usage: { input_tokens: 7, output_tokens: 3 } }),
      textReply('The expert says 42.', { usage: { input_tokens: 120, output_tokens: 8 } }),
    );
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const result = await t.process.run('Ask the expert.');
    expect(t.process.getLastMessage()).to.equal('The expert says 42.');
    const childBody = t.server.requests[1]!.body as Body & { model: string };
    expect(childBody).to.include({ model: 'claude-expert', system: 'You are the expert.' });
    const toolResult = (t.server.requests[2]!.body as Body).messages.at(-1)!.content[0]!;
    expect(JSON.stringify(toolResult.content)).to.include('42, says the expert.');
    expect(result.apiCalls).to.equal(3);
    expect(result.usage.inputTokens).to.equal(227);
    expect(result.apiCallInfos[1]!.child).to.deep.include({ program: 'Expert', via: 'spawn' });
    expect(result.apiCallInfos[0]!.child).to.equal(undefined);
    expect(apiCall.secondCall.args[0].child.processId).to.match(/^proc-\d+$/);
    expectValidRequests(t);
  });

  it('spawn answers an unknown program with an is_error result listing the linked ones', async () => {
    const expert = new LLMProgram({ model: 'claude-expert' });
    t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
    t.server.enqueue(toolUseReply([{ name: 'spawn', input: { program_name: 'oracle', query: 'hi' } }]), textReply('ok'));
    await t.process.run('go');
    const result = (t.server.requests[1]!.body as Body).messages.at(-1)!.content[0]!;
    expect(result.is_error).to.equal(true);
    expect(JSON.stringify(result.content)).to.include('there is no linked program \\"oracle\\". Linked programs: expert.');
  });

  it('fork runs one child per prompt from a copy of the conversation; a child cannot fork again', async () => {
    t = await setupTest({ tools: ['fork'] });
    t.server.enqueue(toolUseReply([{ name: 'fork', input: { prompts: ['task A', 'task B'] }, id: 'toolu_fork' }]));
    t.server.respondWith((request) => {
      const body = request.body as Body;
      const last = body.messages.at(-1)!;
      const said = last.content.map((block) => block.text ?? '').join(' ');
      if (said.includes('task A')) return toolUseReply([{ name: 'fork', input: { prompts: ['deeper'] } }]);
      if (said.includes('task B')) return textReply('B done');
      if (last.content.some((block) => block.type === 'tool_result' && JSON.stringify(block.content).includes('cannot fork again'))) return textReply('A done myself');
      return textReply('Both forks answered.');
    });
    const result = await t.process.run('Do A and B in parallel.');
    expect(t.process.getLastMessage()).to.equal('Both forks answered.');
    const forkResult = JSON.stringify((t.server.requests.at(-1)!.body as Body).messages.at(-1)!.content[0]!.content);
    expect(forkResult).to.include('Fork 1 (task A):\\nA done myself');
    expect(forkResult).to.include('Fork 2 (task B):\\nB done');
    const childRequest = t.server.requests.find((r) => JSON.stringify(r.body).includes('task B'))!.body as Body;
    expect(childRequest.messages[0]!.content[0]!.text).to.equal('Do A and B in parallel.');
    expect(result.apiCalls).to.equal(t.server.requests.length);
    expect(result.apiCallInfos.filter((info) => info.child?.via === 'fork')).to.have.length(t.server.requests.length - 2);
    expectValidRequests(t);
  });

  it('adds the <env> and <preload> blocks to the system prompt only when asked', async () => {
    writeFileSync(path.join(dir, 'notes.txt'), 'Remember the milk.');
    const warning = sinon.spy();
    process.on('warning', warning);
    try {
      t = await setupTest({ baseDir: dir, systemPrompt: 'Base.', preload: ['notes.txt', 'missing.txt'], envInfo: { variables: ['platform', 'node_version'] } });
      t.server.enqueue(textReply('ok'), textReply('ok'));
      await t.process.run('hi');
      const system = (t.server.requests[0]!.body as Body).system!;
      expect(system).to.equal(`Base.\n\n<env>\nplatform: ${process.platform}\nnode_version: ${process.version}\n</env>\n\n<preload>\n<file path="${path.join(dir, 'notes.txt')}">\nRemember the milk.\n</file>\n</preload>`);
      await new Promise((resolve) => setImmediate(resolve));
      expect(warning.getCalls().map((call) => String(call.args[0].message))).to.include(`preload file skipped: ${path.join(dir, 'missing.txt')} (file not found)`);
      const plain = await setupTest({ systemPrompt: 'Base.' });
      plain.server.enqueue(textReply('ok'));
      await plain.process.run('hi');
      expect((plain.server.requests[0]!.body as Body).system).to.equal('Base.');
      await plain.close();
    } finally {
      process.off('warning', warning);
    }
  });

  it('preloadFiles() adds files to the next request, re-reads a file given again, and is refused during a run', async () => {
    writeFileSync(path.join(dir, 'a.txt'), 'first A');
    writeFileSync(path.join(dir, 'b.txt'), 'B');
    const warnings = sinon.stub(process, 'emitWarning');
    t = await setupTest({ baseDir: dir, systemPrompt: 'Base.', preload: ['a.txt'] });
    const block = (file: string, text: string) => `<file path="${path.join(dir, file)}">\n${text}\n</file>`;
    writeFileSync(path.join(dir, 'a.txt'), 'second A');
    await t.process.preloadFiles(['b.txt', 'a.txt', 'gone.txt']);
    expect(t.process.systemPrompt).to.equal(`Base.\n\n<preload>\n${block('b.txt', 'B')}\n${block('a.txt', 'second A')}\n</preload>`);
    expect(warnings.getCalls().map((call) => String(call.args[0]))).to.deep.equal([`preload file skipped: ${path.join(dir, 'gone.txt')} (file not found)`]);

    const started = signalled();
    t.server.respondWith(async () => {
      started.resolve();
      return textReply('ok');
    });
    const running = t.process.run('hi');
    await started.promise;
    expect(await t.process.preloadFiles(['b.txt']).then(() => undefined, (error: unknown) => error)).to.be.instanceOf(RunInProgressError);
    await running;
    expect((t.server.requests[0]!.body as Body).system).to.equal(t.process.systemPrompt);
  });
});
