/**
 * Rewinds: the `goto` tool (the model) and `process.rewind()` (code) return the conversation to an
 * earlier user message and go on from there with a new instruction, after the tool batch, with a
 * history every request of which is valid; the RunResult, the `rewind` event and snapshots record it.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { RewindError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { RewindEvent } from '../../lib/process/events.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { echoTool } from '../support/tools.js';
import { expectValidRequests, SENTINEL_API_KEY, setupTest, type TestSetup } from '../support/setup.js';

type Body = { messages: Array<{ role: string; content: Array<{ type: string; text?: string; tool_use_id?: string }> }> };
const bodyOf = (t: TestSetup, i: number): Body => t.server.requests.at(i)!.body as Body;
const texts = (body: Body): string[] => body.messages.map((message) => message.content.map((part) => part.text ?? `<${part.type}>`).join('|'));

describe('rewinds (goto, process.rewind())', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('message ids', () => {
    it('gives each message an id in order; the model sees them on the user messages it can go back to, only with goto enabled', async () => {
      t = await setupTest({ tools: ['goto', echoTool('alpha')] });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: '1' } }]), textReply('done'));
      await t.process.run('first');
      expect(t.process.messageIds).to.deep.equal(['msg_0', 'msg_1', 'msg_2', 'msg_3']);
      expect(texts(bodyOf(t, 1))).to.deep.equal(['[msg_0] first', '<tool_use>', '<tool_result>']);
      expect(t.process.getState()[0]!.content, 'the history itself has no label').to.deep.equal([{ type: 'text', text: 'first' }]);

      const plain = await setupTest({ tools: [echoTool('alpha')] });
      try {
        plain.server.enqueue(textReply('hi'));
        await plain.process.run('first');
        expect(texts(plain.server.requests[0]!.body as Body)).to.deep.equal(['first']);
        expect(plain.process.messageIds).to.deep.equal(['msg_0', 'msg_1']);
      } finally {
        await plain.close();
      }
    });

    it('never reuses an id: resetState() and rewinds leave the count going', async () => {
      t = await setupTest({ tools: ['goto'] });
      t.server.enqueue(textReply('one'));
      await t.process.run('a');
      t.process.resetState();
      expect(t.process.messageIds).to.deep.equal([]);
      t.server.enqueue(textReply('two'));
      await t.process.run('b');
      expect(t.process.messageIds).to.deep.equal(['msg_2', 'msg_3']);
      expect(texts(bodyOf(t, -1))).to.deep.equal(['[msg_2] b']);
    });

    it('a fork keeps the ids of the conversation it copies, and counts on alone', async () => {
      t = await setupTest({ tools: ['goto'] });
      t.server.enqueue(textReply('one'));
      await t.process.run('a');
      const fork = t.process.fork();
      expect(fork.messageIds).to.deep.equal(['msg_0', 'msg_1']);
      t.server.enqueue(textReply('fork two'));
      await fork.run('b');
      expect(fork.messageIds).to.deep.equal(['msg_0', 'msg_1', 'msg_2', 'msg_3']);
      expect(t.process.messageIds).to.deep.equal(['msg_0', 'msg_1']);
    });
  });

  describe('the goto tool', () => {
    it('returns to an earlier user message after the tool batch; the model goes on from the new instruction, and the RunResult records it', async () => {
      t = await setupTest({ tools: ['goto'] });
      t.server.enqueue(textReply('A done'));
      await t.process.run('task A');
      const rewind = sinon.spy((_event: RewindEvent) => {});
      t.process.on('rewind', rewind);
      t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'Only do C.' }, id: 'toolu_goto' }]), textReply('C done'));
      const result = await t.process.run('task B');

      expect(t.server.requests).to.have.length(3);
      expect(texts(bodyOf(t, 1))).to.deep.equal(['[msg_0] task A', 'A done', '[msg_2] task B']);
      const after = texts(bodyOf(t, 2));
      expect(after).to.have.length(1);
      expect(after[0]).to.match(/^\[msg_5\] <goto>You went back to msg_0 with the goto tool; the messages from there on were removed\.<\/goto>\nOnly do C\.$/);
      expect(t.process.getState().map((message) => message.role)).to.deep.equal(['user', 'assistant']);
      expect(t.process.messageIds).to.deep.equal(['msg_5', 'msg_6']);
      expect(t.process.getLastMessage()).to.equal('C done');

      expect(result.stopReason).to.equal('end_turn');
      expect(result.rewinds).to.have.length(1);
      expect(result.rewinds[0]).to.deep.include({ from: 'msg_4', to: 'msg_0', messageId: 'msg_5', removed: 5, via: 'goto', toolUseId: 'toolu_goto' });
      expect(result.rewinds[0]!.at).to.be.a('number');
      expect(result.toJSON().rewinds).to.deep.equal(result.rewinds);
      expect(result.toolCalls.map((call) => [call.toolName, call.isError])).to.deep.equal([['goto', false]]);
      expect(rewind.calledOnce).to.equal(true);
      expect(rewind.firstCall.args[0]).to.deep.include({ from: 'msg_4', to: 'msg_0', messageId: 'msg_5', removed: 5, via: 'goto', toolUseId: 'toolu_goto' });
      expect(rewind.firstCall.args[0].instruction).to.match(/Only do C\.$/);
      expectValidRequests(t);
    });

    it("answers every call of the turn first: calls beside goto run and get their results, then the rewind removes them", async () => {
      t = await setupTest({ tools: ['goto', echoTool('alpha'), echoTool('beta')] });
      const ended = sinon.spy();
      t.process.on('tool:end', ended);
      t.server.enqueue(
        toolUseReply([
          { name: 'alpha', input: { value: '1' }, id: 'toolu_a' },
          { name: 'goto', input: { position: 'msg_0', message: 'Again, shorter.' }, id: 'toolu_goto' },
          { name: 'beta', input: { value: '2' }, id: 'toolu_b' },
        ]),
        textReply('short answer'),
      );
      const checkpoints: string[] = [];
      t.process.on('checkpoint', ({ step }) => void checkpoints.push(step));
      await t.process.run('long task');
      expect(ended.getCalls().map((call) => [call.args[0].toolName, call.args[0].isError]).sort()).to.deep.equal([['alpha', false], ['beta', false], ['goto', false]]);
      expect(checkpoints).to.deep.equal(['model_call', 'tool_results', 'rewind', 'model_call']);
      expect(texts(bodyOf(t, 1))).to.have.length(1);
      expect(texts(bodyOf(t, 1))[0]).to.match(/^\[msg_3\] <goto>.*Again, shorter\.$/s);
      expectValidRequests(t);
    });
  });

  describe('process.rewind()', () => {
    it('from a listener during a run: the run goes on from the instruction, once the model call is answered', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('first answer'));
      await t.process.run('question one');
      t.process.once('response', () => t!.process.rewind('msg_0', 'A different question.'));
      t.server.enqueue(textReply('second answer'), textReply('answer to the different question'));
      const result = await t.process.run('question two');
      expect(texts(bodyOf(t, -1)), 'no ids shown without goto').to.deep.equal(['A different question.']);
      expect(t.process.getLastMessage()).to.equal('answer to the different question');
      expect(result.rewinds.map(({ from, to, messageId, removed, via }) => ({ from, to, messageId, removed, via }))).to.deep.equal([
        { from: 'msg_3', to: 'msg_0', messageId: 'msg_4', removed: 4, via: 'code' },
      ]);
      expect(result.rewinds[0]).not.to.have.property('toolUseId');
      expectValidRequests(t);
    });

    it('is refused with a RewindError when no run is going, and changes nothing', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('answer'));
      await t.process.run('question');
      const before = t.process.getState();
      expect(() => t!.process.rewind('msg_0', 'again')).to.throw(RewindError, /no run is going/).with.property('reason', 'no_run');
      expect(t.process.getState()).to.deep.equal(before);
    });

    it('refuses a second rewind while one is pending, an empty instruction, and the current message', async () => {
      t = await setupTest({ tools: [echoTool('alpha')] });
      t.server.enqueue(textReply('answer'));
      await t.process.run('question');
      const errors: unknown[] = [];
      const attempt = (id: string, instruction: string) => {
        try {
          t!.process.rewind(id, instruction);
        } catch (error) {
          errors.push(error);
        }
      };
      t.process.once('tool:start', () => {
        attempt('msg_3', 'current');
        attempt('msg_0', '  ');
        attempt('msg_0', 'back');
        attempt('msg_2', 'twice');
      });
      t.server.enqueue(toolUseReply([{ name: 'alpha', input: { value: '1' } }]), textReply('after the rewind'));
      const result = await t.process.run('next');
      expect(errors.map((error) => (error as RewindError).reason)).to.deep.equal(['current', 'bad_instruction', 'pending']);
      for (const error of errors) expect(error).to.be.instanceOf(RewindError);
      expect(result.rewinds).to.have.length(1);
      expect(texts(bodyOf(t, -1))).to.deep.equal(['back']);
    });
  });

  describe('snapshots', () => {
    it('carry the ids after a rewind, and a process restored from one goes on counting them', async () => {
      const program = new LLMProgram({ model: 'claude-test', provider: 'anthropic', tools: ['goto'] });
      t = await setupTest(program);
      t.server.enqueue(textReply('A'), toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'B instead' } }]), textReply('B'));
      await t.process.run('do A');
      await t.process.run('do more');
      const snapshot = JSON.parse(JSON.stringify(t.process.snapshot()));
      expect(snapshot).to.deep.include({ messageIds: ['msg_5', 'msg_6'], nextMessageId: 7 });
      const restored = await LLMProgram.restore(snapshot, { apiKey: SENTINEL_API_KEY, baseURL: t.server.url, maxRetries: 0 });
      try {
        expect(restored.messageIds).to.deep.equal(['msg_5', 'msg_6']);
        t.server.enqueue(textReply('C'));
        await restored.run('do C');
        expect(restored.messageIds).to.deep.equal(['msg_5', 'msg_6', 'msg_7', 'msg_8']);
        expect(texts(bodyOf(t, -1))[2]).to.equal('[msg_7] do C');
      } finally {
        await restored.close();
      }
    });

    it('leave the ids out while they are 0, 1, 2, ... (as before rewinds existed)', async () => {
      t = await setupTest({ tools: ['goto'] });
      t.server.enqueue(textReply('A'));
      await t.process.run('do A');
      expect(t.process.snapshot()).not.to.have.any.keys('messageIds', 'nextMessageId');
    });

    it('keep a goto pending while the run waits for approval; resuming the restored run applies it', async () => {
      const send = { ...echoTool('send'), requireApproval: true };
      const program = new LLMProgram({ model: 'claude-test', provider: 'anthropic', tools: ['goto', send] });
      t = await setupTest(program);
      t.server.enqueue(
        textReply('A'),
        toolUseReply([
          { name: 'goto', input: { position: 'msg_0', message: 'Start over.' }, id: 'toolu_goto' },
          { name: 'send', input: { value: 'x' }, id: 'toolu_send' },
        ]),
      );
      await t.process.run('do A');
      const paused = await t.process.run('do B');
      expect(paused.stopReason).to.equal('awaiting_approval');
      const snapshot = JSON.parse(JSON.stringify(t.process.snapshot()));
      expect(snapshot.run.state.rewind).to.deep.include({ to: 'msg_0', via: 'goto', toolUseId: 'toolu_goto' });
      const restored = await LLMProgram.restore(snapshot, { apiKey: SENTINEL_API_KEY, baseURL: t.server.url, maxRetries: 0, tools: [send] });
      try {
        restored.deny('toolu_send', 'not now');
        t.server.enqueue(textReply('started over'));
        const result = await restored.resume();
        expect(result.rewinds.map((rewind) => rewind.to)).to.deep.equal(['msg_0']);
        expect(texts(bodyOf(t, -1))).to.have.length(1);
        expect(texts(bodyOf(t, -1))[0]).to.match(/^\[msg_5\] <goto>.*Start over\.$/s);
        expect(restored.getLastMessage()).to.equal('started over');
        expectValidRequests(t);
      } finally {
        await restored.close();
      }
    });
  });
});
