import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { errorReply, textReply, toolUseReply } from '../../lib/testing/index.js';
import { costOf, priceOf } from '../../lib/results/pricing.js';
import { echoTool } from '../support/tools.js';
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

  it('fork, called next to another tool in one turn, gives each fork only its own call, answered by the fork note (R5)', async () => {
    t = await setupTest({ tools: ['fork', echoTool('alpha')] });
    t.server.enqueue(
      toolUseReply(
        [
          { name: 'alpha', input: { value: 'x' }, id: 'toolu_alpha' },
          { name: 'fork', input: { prompts: ['task A', 'task B'] }, id: 'toolu_fork' },
        ],
        { text: 'Working on it.' },
      ),
    );
    t.server.respondWith((request) => {
      const said = (request.body as Body).messages.at(-1)!.content.at(-1)!.text;
      if (said === 'task A') return textReply('A done');
      if (said === 'task B') return textReply('B done');
      return textReply('Both forks answered.');
    });
    const result = await t.process.run('Do A and B, and alpha.');
    expect(result.stopReason).to.equal('end_turn');
    const forkRequests = t.server.requests.slice(1).filter((r) => JSON.stringify(r.body).includes('You are fork'));
    expect(forkRequests).to.have.length(2);
    for (const [i, task] of ['task A', 'task B'].entries()) {
      const messages = (forkRequests.find((r) => (r.body as Body).messages.at(-1)!.content.at(-1)!.text === task)!.body as Body).messages;
      expect(messages).to.deep.equal([
        { role: 'user', content: [{ type: 'text', text: 'Do A and B, and alpha.' }] },
        {
          role: 'assistant',
          content: [
            { type: 'text', text: 'Working on it.' },
            { type: 'tool_use', id: 'toolu_fork', name: 'fork', input: { prompts: ['task A', 'task B'] } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: 'toolu_fork', content: [{ type: 'text', text: `You are fork ${i + 1} of 2. Work only on the task below and answer it.` }] },
            { type: 'text', text: task },
          ],
        },
      ]);
    }
    const answered = (t.server.requests.at(-1)!.body as Body).messages.at(-1)!.content;
    expect(answered.map((block) => (block as { tool_use_id?: string }).tool_use_id)).to.deep.equal(['toolu_alpha', 'toolu_fork']);
    expect(JSON.stringify(answered[1]!.content)).to.include('Fork 1 (task A):\\nA done').and.include('Fork 2 (task B):\\nB done');
    expect(t.process.getState()[1]!.content, "the parent's own turn keeps both calls").to.have.length(3);
    expectValidRequests(t);
  });

  describe('the events of a child', () => {
    it("forwards a forked child's api:call, tool:start and tool:end tagged with the child while it runs, and nothing after", async () => {
      t = await setupTest({ tools: [echoTool('alpha'), 'fork'] });
      const spies = { 'api:call': sinon.spy(), 'tool:start': sinon.spy(), 'tool:end': sinon.spy() };
      for (const [event, spy] of Object.entries(spies)) t.process.on(event as keyof typeof spies, spy);
      const events = ['api:call', 'tool:start', 'tool:end'] as const;
      let child: LLMProcess | undefined;
      let before: number[] = [];
      t.process.on('child:start', ({ process }) => {
        child = process;
        // child:start comes before the forwarding listeners are added.
        before = events.map((event) => process.listenerCount(event));
      });
      t.server.enqueue(
        toolUseReply([{ name: 'fork', input: { prompts: ['work'] }, id: 'toolu_fork' }]),
        toolUseReply([{ name: 'alpha', input: { value: '1' }, id: 'toolu_c1' }]),
        textReply('child done'),
        textReply('parent done'),
      );
      await t.process.run('fork it');
      const tag = { program: 'anthropic claude-test', processId: child!.id, via: 'fork' };
      expect(spies['api:call'].getCalls().map((call) => call.args[0].child)).to.deep.equal([undefined, tag, tag, undefined]);
      expect(spies['tool:start'].getCalls().map((call) => call.args[0].toolName)).to.deep.equal(['fork', 'alpha']);
      expect(spies['tool:start'].secondCall.args[0]).to.deep.include({ toolName: 'alpha', toolUseId: 'toolu_c1', child: tag });
      expect(spies['tool:end'].firstCall.args[0]).to.deep.include({ toolName: 'alpha', toolUseId: 'toolu_c1', isError: false, child: tag });

      expect(events.map((event) => child!.listenerCount(event)), "the child's forwarding listeners are gone").to.deep.equal(before);
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: '2' } }]), textReply('again'));
      await child!.run('more work');
      expect([spies['api:call'].callCount, spies['tool:start'].callCount, spies['tool:end'].callCount], 'nothing forwarded after the fork call').to.deep.equal([4, 2, 2]);
    });

    it("keeps the tag of a grandchild's events, and forwards each event once per adoption", async () => {
      const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
      t = await setupTest({ tools: ['fork', 'spawn'], linkedPrograms: { expert } });
      const apiCall = sinon.spy();
      t.process.on('api:call', apiCall);
      const grandchildren: LLMProcess[] = [];
      t.process.on('child:start', (event) => void (event.child && grandchildren.push(event.process)));
      t.server.enqueue(
        toolUseReply([{ name: 'fork', input: { prompts: ['ask the expert'] }, id: 'toolu_fork' }]),
        toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'deep' }, id: 'toolu_spawn' }]),
        textReply('deep'),
        textReply('child done'),
        textReply('parent done'),
      );
      await t.process.run('go');
      expect(grandchildren).to.have.length(1);
      const fromGrandchild = apiCall.getCalls().filter((call) => call.args[0].child?.processId === grandchildren[0]!.id);
      expect(fromGrandchild).to.have.length(1);
      expect(fromGrandchild[0]!.args[0].child).to.deep.equal({ program: 'Expert', processId: grandchildren[0]!.id, via: 'spawn' });
      expect(apiCall.callCount).to.equal(5);
      expectValidRequests(t);
    });
  });

  describe('the RunResult of a run with children', () => {
    type WireBody = { system?: string; messages: Array<{ content: Array<{ type: string }> }> };

    /** main spawns middle (which uses the calculator and spawns leaf) and flaky (whose second call fails). */
    async function runFamily() {
      const model = 'claude-haiku-4-5';
      const leaf = new LLMProgram({ model, displayName: 'Leaf', systemPrompt: 'You are leaf.', tools: ['calculator'] });
      const middle = new LLMProgram({ model, displayName: 'Middle', systemPrompt: 'You are middle.', tools: ['spawn', 'calculator'], linkedPrograms: { leaf } });
      const flaky = new LLMProgram({ model, displayName: 'Flaky', systemPrompt: 'You are flaky.', tools: ['calculator'] });
      t = await setupTest({ model, systemPrompt: 'You are main.', tools: ['spawn'], linkedPrograms: { middle, flaky } });
      const usage = (input_tokens: number, output_tokens: number) => ({ usage: { input_tokens, output_tokens } });
      t.server.respondWith((request) => {
        const body = request.body as WireBody;
        const answered = body.messages.at(-1)!.content.some((block) => block.type === 'tool_result');
        switch (body.system) {
          case 'You are main.':
            return answered
              ? textReply('all done', usage(300, 30))
              : toolUseReply(
                  [
                    { name: 'spawn', input: { program_name: 'middle', query: 'Q1' }, id: 'toolu_main_1' },
                    { name: 'spawn', input: { program_name: 'flaky', query: 'Q3' }, id: 'toolu_main_2' },
                  ],
                  usage(100, 10),
                );
          case 'You are middle.':
            return answered
              ? textReply('middle done', usage(210, 21))
              : toolUseReply(
                  [
                    { name: 'calculator', input: { expression: '2+2' }, id: 'toolu_mid_1' },
                    { name: 'spawn', input: { program_name: 'leaf', query: 'Q2' }, id: 'toolu_mid_2' },
                  ],
                  usage(200, 20),
                );
          case 'You are leaf.':
            return answered ? textReply('leaf: 9', usage(410, 41)) : toolUseReply([{ name: 'calculator', input: { expression: '3*3' }, id: 'toolu_leaf_1' }], usage(400, 40));
          case 'You are flaky.':
            return answered ? errorReply(500) : toolUseReply([{ name: 'calculator', input: { expression: '1+1' }, id: 'toolu_flaky_1' }], usage(500, 50));
          default:
            return errorReply(400, { message: `unexpected system prompt ${String(body.system)}` });
        }
      });
      const result = await t.process.run('Ask both.');
      return { result, model };
    }

    it("counts every descendant's API calls, input and output tokens, and cost; a failed child's calls until it failed too", async () => {
      const { result, model } = await runFamily();
      expect(result.stopReason).to.equal('end_turn');
      expect(result.lastMessage).to.equal('all done');
      const byProgram = (name: string | undefined) => result.apiCallInfos.filter((info) => info.child?.program === name);
      expect(byProgram(undefined).map((info) => info.tokens.outputTokens)).to.deep.equal([10, 30]);
      expect(byProgram('Middle').map((info) => info.tokens.outputTokens)).to.deep.equal([20, 21]);
      expect(byProgram('Leaf').map((info) => info.tokens.outputTokens), 'the grandchild, tagged as itself').to.deep.equal([40, 41]);
      expect(byProgram('Flaky').map((info) => info.tokens.outputTokens), 'the call before the failure').to.deep.equal([50]);
      expect(result.apiCalls).to.equal(7);
      expect(result.usage).to.deep.equal({ inputTokens: 2120, outputTokens: 212, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
      expect(result.totalTokens).to.equal(2332);
      const expectedCost = (2120 * 1 + 212 * 5) / 1_000_000; // claude-haiku-4-5: $1 in, $5 out per million
      expect(result.costUsd).to.be.closeTo(expectedCost, 1e-12);
      for (const info of result.apiCallInfos) expect(info.costUsd).to.be.closeTo(costOf(priceOf(model), info.tokens)!, 1e-15);
      const processIds = new Set(result.apiCallInfos.map((info) => info.child?.processId));
      expect(processIds.size, 'main, middle, leaf, flaky').to.equal(4);
    });

    it("lists every descendant's tool calls tagged with who made them, and the failed spawn as an error", async () => {
      const { result } = await runFamily();
      const calls = result.toolCalls.map((call) => `${call.child?.program ?? 'main'}: ${call.toolName} ${JSON.stringify(call.args)} ${call.isError ? 'failed' : 'ok'}`);
      expect(calls).to.have.members([
        'main: spawn {"program_name":"middle","query":"Q1"} ok',
        'main: spawn {"program_name":"flaky","query":"Q3"} failed',
        'Middle: calculator {"expression":"2+2"} ok',
        'Middle: spawn {"program_name":"leaf","query":"Q2"} ok',
        'Leaf: calculator {"expression":"3*3"} ok',
        'Flaky: calculator {"expression":"1+1"} ok',
      ]);
      const leafCall = result.toolCalls.find((call) => call.toolUseId === 'toolu_leaf_1')!;
      expect(leafCall).to.deep.include({ source: 'builtin', child: { program: 'Leaf', processId: leafCall.child!.processId, via: 'spawn' } });
      const json = result.toJSON();
      expect(json.toolCalls.map(({ durationMs: _d, ...call }) => call)).to.deep.equal(result.toolCalls.map(({ durationMs: _d, ...call }) => call));
      expect(json.toolCalls.map((call) => call.durationMs)).to.deep.equal(result.toolCalls.map((call) => Math.round(call.durationMs * 1000) / 1000));
      expect(json.toolCalls.filter((call) => call.child).map((call) => call.child!.program)).to.have.members(['Middle', 'Middle', 'Leaf', 'Flaky']);
      const flakyAnswer = (t.server.requests.at(-1)!.body as Body).messages.at(-1)!.content.find((block) => JSON.stringify(block).includes('toolu_main_2'))!;
      expect(flakyAnswer.is_error).to.equal(true);
      expect(JSON.stringify(flakyAnswer.content)).to.include('the linked program \\"flaky\\" failed');
    });
  });
});
