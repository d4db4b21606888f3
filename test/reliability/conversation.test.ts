/**
 * Reliability R5–R9 (the conversation): every tool_use answered, a valid history after any failure,
 * stop reasons, no empty blocks, maxIterations. Checked on what the real SDK sends to the fake
 * server, which refuses an invalid conversation with the API's 400.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, RunAbortedError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { errorReply, type FakeAnthropicServer, hang, messageReply, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import {
  echoMcpProgram,
  emptyTool,
  expectValidHistory,
  invalidRequest,
  messagesOf,
  okTool,
  rejectionOf,
  SENTINEL_API_KEY,
  setupTest,
  signalled,
  stubbornTool,
  type TestSetup,
  throwingTool,
  tool,
  typedTool,
  waitForAbortTool,
} from './support.js';

type WireBlock = Record<string, unknown>;

/** The blocks of the last message of request `index`. */
const lastMessageOf = (server: FakeAnthropicServer, index: number): { role: string; content: WireBlock[] } => messagesOf(server, index).at(-1)!;

describe('reliability: the conversation (R5–R9)', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  /** The next run succeeds from the history left behind, and every request was valid. */
  async function expectRecovers(process: LLMProcess, server: FakeAnthropicServer): Promise<void> {
    expectValidHistory(process);
    server.enqueue(textReply('Recovered.'));
    const result = await process.run('try again');
    expect(result.stopReason).to.equal('end_turn');
    expect(invalidRequest(server), 'a request the API would refuse').to.equal(undefined);
  }

  describe('R5: every tool_use gets exactly one tool_result', () => {
    for (const toolConcurrency of [Infinity, 1]) {
      it(`R5: success, throw, invalid input and unknown tool are all answered in the very next message, results first, in order (toolConcurrency ${toolConcurrency})`, async () => {
        t = await setupTest({ tools: [okTool('ok'), throwingTool('boom'), typedTool('double'), tool('alone', async () => ({ content: 'alone', isError: false }), true)] });
        t.server.enqueue(
          toolUseReply(
            [
              { name: 'ok', input: { value: 'a' }, id: 'toolu_ok' },
              { name: 'boom', input: {}, id: 'toolu_boom' },
              { name: 'double', input: { n: 'not a number' }, id: 'toolu_invalid' },
              { name: 'missing', input: {}, id: 'toolu_unknown' },
              { name: 'alone', input: {}, id: 'toolu_alone' },
              { name: 'double', input: { n: 21 }, id: 'toolu_double' },
            ],
            { text: 'Running six tools.' },
          ),
          textReply('All answered.'),
        );
        const result = await t.process.run('go', { toolConcurrency: toolConcurrency === Infinity ? undefined : toolConcurrency });
        expect(result.stopReason).to.equal('end_turn');
        const answer = lastMessageOf(t.server, 1);
        expect(answer.role).to.equal('user');
        expect(answer.content.map((block) => block['type'])).to.deep.equal(Array(6).fill('tool_result'));
        expect(answer.content.map((block) => block['tool_use_id'])).to.deep.equal([
          'toolu_ok',
          'toolu_boom',
          'toolu_invalid',
          'toolu_unknown',
          'toolu_alone',
          'toolu_double',
        ]);
        expect(answer.content.map((block) => block['is_error'] === true)).to.deep.equal([false, true, true, true, false, false]);
        const texts = answer.content.map((block) => ((block['content'] as WireBlock[] | undefined)?.[0]?.['text'] as string) ?? '');
        expect(texts[1]).to.equal('Error in boom: boom failed');
        expect(texts[2]).to.include('n:');
        expect(texts[3]).to.match(/^Unknown tool "missing"/);
        expect(texts[5]).to.equal('42');
        expect(invalidRequest(t.server)).to.equal(undefined);
      });
    }

    it('R5: a tool cancelled by an abort, and one that ignores its signal, are answered with is_error', async () => {
      const started = signalled();
      let startedCount = 0;
      const onStart = (): void => void (++startedCount === 2 && started.resolve());
      t = await setupTest({ tools: [okTool('ok'), waitForAbortTool('slow', onStart), stubbornTool('stubborn', onStart)] });
      t.server.enqueue(
        toolUseReply([
          { name: 'ok', input: { value: 'a' }, id: 'toolu_a' },
          { name: 'slow', input: {}, id: 'toolu_b' },
          { name: 'stubborn', input: {}, id: 'toolu_c' },
        ]),
      );
      const controller = new AbortController();
      const run = t.process.run('go', { signal: controller.signal });
      await started.promise;
      controller.abort();
      expect(await rejectionOf(run)).to.be.instanceOf(RunAbortedError);
      const last = t.process.getState().at(-1)!;
      expect(last.role).to.equal('user');
      expect(last.content.map((part) => [part.type === 'tool_result' && part.toolCallId, part.type === 'tool_result' && part.isError])).to.deep.equal([
        ['toolu_a', false],
        ['toolu_b', true],
        ['toolu_c', true],
      ]);
      await expectRecovers(t.process, t.server);
    });

    it('R5: a tool stopped by timeoutMs is answered with is_error', async () => {
      const started = sinon.spy();
      t = await setupTest({ tools: [waitForAbortTool('slow', started)] });
      t.server.enqueue(toolUseReply([{ name: 'slow', input: {}, id: 'toolu_slow' }]));
      // Long enough for the tool to be running when it fires (checked below), even on a slow machine.
      const error = (await rejectionOf(t.process.run('go', { timeoutMs: 250 }))) as RunAbortedError;
      expect(started.calledOnce, 'the tool was running when the run timed out').to.equal(true);
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'timeout');
      const last = t.process.getState().at(-1)!;
      expect(last.content).to.have.length(1);
      expect(last.content[0]).to.deep.include({ type: 'tool_result', toolCallId: 'toolu_slow', isError: true });
      await expectRecovers(t.process, t.server);
    });

    it('R5: an MCP call that times out is answered with is_error and the run goes on', async () => {
      const fake = await startFakeAnthropic();
      const { program, remove } = echoMcpProgram(['slow', 'echo'], 200);
      const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: fake.url, maxRetries: 0 });
      t = { server: fake, program, process, close: async () => (await process.close(), await fake.close(), remove()) };
      fake.enqueue(
        toolUseReply([
          { name: 'echo__slow', input: { ms: 60_000 }, id: 'toolu_slow' },
          { name: 'echo__echo', input: { text: 'hi' }, id: 'toolu_echo' },
        ]),
        textReply('Went on.'),
      );
      const result = await process.run('go');
      expect(result.stopReason).to.equal('end_turn');
      const answer = lastMessageOf(fake, 1);
      expect(answer.content.map((block) => [block['tool_use_id'], block['is_error'] === true])).to.deep.equal([
        ['toolu_slow', true],
        ['toolu_echo', false],
      ]);
      expect(JSON.stringify(answer.content[0])).to.include('timeoutMs');
    });
  });

  describe('R6: after any failure or abort the history is valid', () => {
    it('R6: an API failure on the first call leaves only the input; the next input joins it', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500));
      await rejectionOf(t.process.run('first'));
      expect(t.process.getState()).to.deep.equal([{ role: 'user', content: [{ type: 'text', text: 'first' }] }]);
      await expectRecovers(t.process, t.server);
      expect(lastMessageOf(t.server, 1).role).to.equal('user');
    });

    it('R6: an API failure after a tool round keeps the answered round; the next input joins the results, after them', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(toolUseReply([{ name: 'ok', input: { value: '1' }, id: 'toolu_1' }]), errorReply(529));
      const error = (await rejectionOf(t.process.run('first'))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError);
      await expectRecovers(t.process, t.server);
      const resumed = lastMessageOf(t.server, 2);
      expect(resumed.content.map((block) => block['type'])).to.deep.equal(['tool_result', 'text']);
    });

    it('R6: an abort during the API call after a tool round leaves every tool_use answered and no result alone', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      const controller = new AbortController();
      t.server.enqueue(toolUseReply([{ name: 'ok', input: { value: '1' }, id: 'toolu_1' }]));
      t.server.respondWith(() => {
        controller.abort();
        return hang();
      });
      await rejectionOf(t.process.run('first', { signal: controller.signal }));
      const state = t.process.getState();
      expect(state.map((message) => message.role)).to.deep.equal(['user', 'assistant', 'user']);
      t.server.respondWith(() => textReply('unused'));
      await expectRecovers(t.process, t.server);
    });

    it('R6: several failed runs in a row still leave a history the API accepts', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(
        toolUseReply([{ name: 'ok', input: { value: '1' } }]),
        errorReply(500),
        errorReply(429),
        toolUseReply([{ name: 'ok', input: { value: '2' } }, { name: 'gone', input: {} }]),
        errorReply(529),
      );
      await rejectionOf(t.process.run('one'));
      await rejectionOf(t.process.run('two'));
      await rejectionOf(t.process.run('three'));
      await expectRecovers(t.process, t.server);
    });
  });

  describe('R7: stop reasons', () => {
    for (const stopReason of ['end_turn', 'stop_sequence']) {
      it(`R7: ${stopReason} finishes the run`, async () => {
        t = await setupTest();
        t.server.enqueue(messageReply({ content: [{ type: 'text', text: 'Done' }], stop_reason: stopReason, stop_sequence: stopReason === 'stop_sequence' ? 'END' : null }));
        const result = await t.process.run('go');
        expect(result).to.include({ stopReason, apiCalls: 1, lastMessage: 'Done' });
        await expectRecovers(t.process, t.server);
      });
    }

    it('R7: tool_use runs the tools and calls the model again', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(toolUseReply([{ name: 'ok', input: { value: '1' } }]), textReply('Done'));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2 });
      expect(result.toolCalls).to.have.length(1);
    });

    it('R7: max_tokens with a trailing tool_use does not run the truncated call and records max_tokens', async () => {
      const run = sinon.spy(async () => ({ content: 'ran', isError: false }));
      t = await setupTest({ tools: [tool('ok', run)] });
      t.server.enqueue(toolUseReply([{ name: 'ok', input: { value: 'cut' } }], { text: 'Let me call', stopReason: 'max_tokens' }));
      const toolStart = sinon.spy();
      t.process.on('tool:start', toolStart);
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'max_tokens', apiCalls: 1 });
      expect(result.apiCallInfos[0]!.stopReason).to.equal('max_tokens');
      expect(run.called, 'the truncated call did not run').to.equal(false);
      expect(toolStart.called).to.equal(false);
      expect(t.process.getState().at(-1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Let me call' }] });
      await expectRecovers(t.process, t.server);
    });

    it('R7: max_tokens with only a truncated tool_use leaves no empty turn', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(toolUseReply([{ name: 'ok', input: {} }], { stopReason: 'max_tokens' }));
      const result = await t.process.run('go');
      expect(result.stopReason).to.equal('max_tokens');
      expect(t.process.getState()).to.have.length(1);
      await expectRecovers(t.process, t.server);
    });

    it('R7: pause_turn continues the turn, and the history stays valid for the next run', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Searching', { stopReason: 'pause_turn' }), textReply('Found it.'));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2 });
      expect(lastMessageOf(t.server, 1), 'the paused turn is sent back to be continued').to.deep.equal({
        role: 'assistant',
        content: [{ type: 'text', text: 'Searching' }],
      });
      expect(result.lastMessage).to.equal('Found it.');
      await expectRecovers(t.process, t.server);
      // The paused turn and its continuation go out as one assistant turn, never two in a row.
      expect(messagesOf(t.server, 2).map((message) => message.role)).to.deep.equal(['user', 'assistant', 'user']);
      expect(messagesOf(t.server, 2)[1]!.content.map((block) => block['text'])).to.deep.equal(['Searching', 'Found it.']);
    });

    it('R7: a paused turn whose text ends in whitespace is sent back trimmed, which the API accepts', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('Searching the web \n', { stopReason: 'pause_turn' }), textReply('Found it.'));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2 });
      expect(lastMessageOf(t.server, 1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Searching the web' }] });
      await expectRecovers(t.process, t.server);
    });

    it('R7: refusal stops the run and is reported in the RunResult and api:call', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(textReply('I cannot help with that.', { stopReason: 'refusal' }));
      const apiCall = sinon.spy();
      t.process.on('api:call', apiCall);
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'refusal', apiCalls: 1, lastMessage: 'I cannot help with that.' });
      expect(apiCall.firstCall.args[0]).to.include({ stopReason: 'refusal' });
      await expectRecovers(t.process, t.server);
    });

    it('R7: an unknown stop reason ends the run cleanly with that reason', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.enqueue(toolUseReply([{ name: 'ok', input: { value: 'x' } }], { stopReason: 'model_context_window_exceeded_v9' }));
      const result = await t.process.run('go');
      expect(result).to.include({ stopReason: 'model_context_window_exceeded_v9', apiCalls: 1 });
      await expectRecovers(t.process, t.server);
    });
  });

  describe('R8: no empty blocks are sent', () => {
    it('R8: an empty text block of the model is not sent back; an empty tool output is sent without content', async () => {
      t = await setupTest({ tools: [emptyTool('empty'), tool('blank', async () => ({ content: [{ type: 'text', text: '' }], isError: false }))] });
      t.server.enqueue(
        messageReply({
          content: [
            { type: 'text', text: '' },
            { type: 'tool_use', id: 'toolu_e', name: 'empty', input: {} },
            { type: 'tool_use', id: 'toolu_b', name: 'blank', input: {} },
          ],
          stop_reason: 'tool_use',
        }),
        textReply('Done.'),
      );
      await t.process.run('go');
      const [assistant, results] = messagesOf(t.server, 1).slice(-2);
      expect(assistant!.content.map((block) => block['type'])).to.deep.equal(['tool_use', 'tool_use']);
      expect(results!.content).to.deep.equal([
        { type: 'tool_result', tool_use_id: 'toolu_e' },
        { type: 'tool_result', tool_use_id: 'toolu_b' },
      ]);
      await expectRecovers(t.process, t.server);
    });

    it('R8: an empty answer leaves no empty message for the next request', async () => {
      t = await setupTest();
      t.server.enqueue(textReply(''));
      const result = await t.process.run('go');
      expect(result.stopReason).to.equal('end_turn');
      expect(t.process.getState()).to.have.length(1);
      await expectRecovers(t.process, t.server);
    });
  });

  describe('R9: maxIterations', () => {
    it('R9: reaching maxIterations ends the run with max_iterations, every tool_use answered, and the next run continues', async () => {
      t = await setupTest({ tools: [okTool('ok')] });
      t.server.respondWith(() => toolUseReply([{ name: 'ok', input: { value: 'again' } }]));
      const result = await t.process.run('loop', { maxIterations: 3 });
      expect(result).to.include({ stopReason: 'max_iterations', apiCalls: 3 });
      expect(result.toolCalls).to.have.length(3);
      expect(t.server.requests).to.have.length(3);
      expect(t.process.getState().at(-1)!.role).to.equal('user');
      t.server.respondWith(() => textReply('unused'));
      await expectRecovers(t.process, t.server);
    });
  });
});
