/**
 * Reliability of goto (and process.rewind()): whatever position the model gives — out of range,
 * negative, not an integer, not a string, huge — it gets an `is_error` result that says what it can
 * go back to, the conversation is left as it was, and every request stays valid (R5, R6, R21);
 * a goto beside other calls, twice in one batch, or beside an abort never leaves a call unanswered.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { RunAbortedError } from '../../lib/errors.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { chatReply, toolCallsReply } from '../../lib/testing/index.js';
import { expectValidOpenAIRequests, setupOpenAITest } from '../providers/openai/support.js';
import { expectValidHistory, expectValidRequests, messagesOf, okTool, setupTest, type TestSetup, waitForAbortTool } from './support.js';

type Block = Record<string, unknown>;

/** The tool results of the last message of the last request. */
const lastResults = (t: TestSetup): Block[] => messagesOf(t.server, t.server.requests.length - 1).at(-1)!.content.filter((block) => block.type === 'tool_result');
const textOf = (block: Block): string => (block['content'] as Array<{ text?: string }>).map((part) => part.text ?? '').join('');

describe('reliability: goto', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  /** A process with goto and an earlier exchange (msg_0 user, msg_1 assistant). */
  async function withHistory(): Promise<TestSetup> {
    const setup = await setupTest({ tools: ['goto', okTool('ok'), waitForAbortTool('slow')] });
    setup.server.enqueue(textReply('first answer'));
    await setup.process.run('first question');
    return setup;
  }

  /** The model calls goto with `position`, then answers; resolves with the goto result the model saw. */
  async function gotoWith(setup: TestSetup, position: unknown): Promise<Block> {
    setup.server.enqueue(toolUseReply([{ name: 'goto', input: { position, message: 'try again' }, id: 'toolu_goto' }]), textReply('carried on'));
    const result = await setup.process.run('second question');
    expect(result.rewinds, 'no rewind').to.have.length(0);
    expect(setup.process.getLastMessage()).to.equal('carried on');
    return lastResults(setup)[0]!;
  }

  const refusals: Array<[string, unknown, RegExp]> = [
    ['an id past the newest (out of range)', 'msg_99', /no message has that id yet \(the newest is msg_3\); you can only go back\. Messages you can go back to: msg_0, msg_2\./],
    ['a negative id', 'msg_-1', /a message id is "msg_" and a whole number/],
    ['a non-integer id', 'msg_1.5', /a message id is "msg_" and a whole number/],
    ['a bare number', 2, /a message id is "msg_" and a whole number/],
    ['a number as text', '0', /a message id is "msg_" and a whole number/],
    ['a padded id', ' msg_0', /a message id is "msg_" and a whole number/],
    ['a leading zero', 'msg_00', /a message id is "msg_" and a whole number/],
    ['an upper-case id', 'MSG_0', /a message id is "msg_" and a whole number/],
    ['null', null, /a message id is "msg_" and a whole number/],
    ['an object', { id: 'msg_0' }, /a message id is "msg_" and a whole number/],
    ['an array', ['msg_0'], /a message id is "msg_" and a whole number/],
    ['a huge number', `msg_${'9'.repeat(400)}`, /a message id is "msg_" and a whole number/],
    ['a huge string', 'x'.repeat(1_000_000), /a message id is "msg_" and a whole number/],
    ['Infinity-like text', 'msg_Infinity', /a message id is "msg_" and a whole number/],
    ['an assistant message', 'msg_1', /only a user message that answers no tool call can be returned to/],
    ['the current message (the goto call itself)', 'msg_3', /it is the current message/],
  ];
  for (const [what, position, message] of refusals) {
    it(`refuses ${what} with an is_error result the model can act on, leaving the conversation as it was`, async () => {
      t = await withHistory();
      const result = await gotoWith(t, position);
      expect(result['is_error']).to.equal(true);
      expect(textOf(result)).to.match(message);
      expect(textOf(result).length, 'a huge position is not echoed back').to.be.below(1000);
      expect(t.process.messageIds).to.deep.equal(['msg_0', 'msg_1', 'msg_2', 'msg_3', 'msg_4', 'msg_5']);
      expectValidRequests(t);
      expectValidHistory(t.process);
    });
  }

  it('refuses a tool result message, and an id an earlier rewind removed', async () => {
    t = await withHistory();
    t.server.enqueue(toolUseReply([{ name: 'ok', input: {} }]), textReply('ok used'));
    await t.process.run('use ok'); // msg_2 user, msg_3 call, msg_4 result, msg_5 answer
    expect(textOf(await gotoWith(t, 'msg_4'))).to.match(/only a user message that answers no tool call/);
    t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_2', message: 'shorter' } }]), textReply('short'));
    await t.process.run('rewind now');
    expect(textOf(await gotoWith(t, 'msg_6'))).to.match(/that message was removed by an earlier rewind/);
    expectValidRequests(t);
  });

  it('refuses a goto without a message, before looking at the position', async () => {
    t = await withHistory();
    for (const message of [undefined, '', '   ', 7]) {
      t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_0', message } }]), textReply('fine'));
      await t.process.run('again');
      expect(lastResults(t)[0]).to.deep.include({ is_error: true });
      expect(textOf(lastResults(t)[0]!)).to.include('goto needs "message", a non-empty string');
    }
    expectValidRequests(t);
  });

  it('twice in one batch: the first is done, the second refused; both calls are answered before the rewind', async () => {
    t = await withHistory();
    const ends = sinon.spy();
    t.process.on('tool:end', ends);
    t.server.enqueue(
      toolUseReply([
        { name: 'goto', input: { position: 'msg_0', message: 'one' }, id: 'toolu_1' },
        { name: 'goto', input: { position: 'msg_2', message: 'two' }, id: 'toolu_2' },
      ]),
      textReply('after'),
    );
    const result = await t.process.run('second question');
    expect(ends.getCalls().map((call) => [call.args[0].toolUseId, call.args[0].isError])).to.deep.equal([['toolu_1', false], ['toolu_2', true]]);
    expect(ends.secondCall.args[0].result.content).to.match(/a rewind to msg_0 is already pending in this turn/);
    expect(result.rewinds.map((rewind) => [rewind.to, rewind.toolUseId])).to.deep.equal([['msg_0', 'toolu_1']]);
    expect(t.process.getState()).to.have.length(2);
    expectValidRequests(t);
  });

  it('beside slow and failing calls run at once: the rewind waits for the whole batch', async () => {
    t = await withHistory();
    const order: string[] = [];
    t.process.on('tool:end', ({ toolName }) => void order.push(`end ${toolName}`));
    t.process.on('rewind', () => void order.push('rewind'));
    t.server.enqueue(
      toolUseReply([
        { name: 'goto', input: { position: 'msg_2', message: 'redo' } },
        { name: 'ok', input: {} },
        { name: 'missing_tool', input: {} },
      ]),
      textReply('redone'),
    );
    await t.process.run('second question');
    expect(order.at(-1)).to.equal('rewind');
    expect(order.filter((entry) => entry.startsWith('end'))).to.have.length(3);
    expect(t.process.messageIds).to.deep.equal(['msg_0', 'msg_1', 'msg_5', 'msg_6']);
    expectValidRequests(t);
  });

  it('an abort during the batch drops the pending goto: the run ends aborted with every call answered', async () => {
    t = await withHistory();
    const controller = new AbortController();
    t.process.on('tool:start', ({ toolName }) => void (toolName === 'slow' && setImmediate(() => controller.abort())));
    t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'redo' } }, { name: 'slow', input: {} }]));
    const error = await t.process.run('second question', { signal: controller.signal }).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect((error as RunAbortedError).runResult.rewinds).to.have.length(0);
    expect(t.process.getState()).to.have.length(5);
    expectValidHistory(t.process);
    t.server.enqueue(textReply('next run is fine'));
    await t.process.run('next');
    expectValidRequests(t);
  });

  it('keeps the Chat Completions history valid too (R21): the tool message answers the call, then the rewound history is sent', async () => {
    const o = await setupOpenAITest({ tools: ['goto', okTool('ok')] });
    try {
      o.server.enqueue(chatReply('first answer'));
      await o.process.run('first question');
      o.server.enqueue(
        toolCallsReply([
          { name: 'ok', arguments: {} },
          { name: 'goto', arguments: { position: 'msg_0', message: 'again' } },
        ]),
        chatReply('again answered'),
      );
      const result = await o.process.run('second question');
      expect(result.rewinds.map((rewind) => rewind.to)).to.deep.equal(['msg_0']);
      const last = o.bodies().at(-1)!;
      expect(last.messages.filter((message) => message.role !== 'system').map((message) => message.role)).to.deep.equal(['user']);
      expect(JSON.stringify(last.messages.at(-1)!.content)).to.match(/^"\[msg_\d+\] <goto>/);
      expectValidOpenAIRequests(o.server);
    } finally {
      await o.close();
    }
  });
});
