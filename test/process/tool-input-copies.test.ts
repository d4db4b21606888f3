/**
 * A tool call's input belongs to the conversation: a tool or a listener that changes the input it
 * is given changes neither what is sent to the API next nor what RunResult.toolCalls records.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

type Body = { messages: Array<{ role: string; content: Array<{ type: string; input?: unknown }> }> };

describe('the input of a tool call', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  const INPUT = { value: 'original', nested: { list: [1, 2] } };

  it('a tool that mutates its input changes neither the next request nor RunResult.toolCalls', async () => {
    const seen = sinon.spy();
    const mutating = stubTool('mutating', async (input) => {
      seen(structuredClone(input));
      input['value'] = 'changed by the tool';
      input['added'] = true;
      ((input['nested'] as { list: number[] }).list).push(3);
      return { content: 'done', isError: false };
    });
    t = await setupTest({ tools: [mutating] });
    t.server.enqueue(toolUseReply([{ name: 'mutating', input: structuredClone(INPUT) }]), textReply('ok'));
    const result = await t.process.run('go');
    expect(seen.firstCall.args[0]).to.deep.equal(INPUT);
    const sent = (t.server.requests[1]!.body as Body).messages[1]!.content.find((block) => block.type === 'tool_use')!;
    expect(sent.input).to.deep.equal(INPUT);
    expect(result.toolCalls[0]!.args).to.deep.equal(INPUT);
  });

  it('a listener that mutates the args of tool:start or tool:end changes neither, and is reported', async () => {
    t = await setupTest({ tools: [stubTool('plain', async () => ({ content: 'done', isError: false }))] });
    t.server.enqueue(toolUseReply([{ name: 'plain', input: structuredClone(INPUT) }]), textReply('ok'));
    const reported = sinon.spy();
    t.process.on('callback:error', reported);
    t.process.on('tool:start', function mutateStart({ args }) {
      args['value'] = 'changed at start';
    });
    t.process.on('tool:end', function mutateEnd({ args }) {
      ((args['nested'] as { list: number[] }).list).push(99);
    });
    const result = await t.process.run('go');
    const sent = (t.server.requests[1]!.body as Body).messages[1]!.content.find((block) => block.type === 'tool_use')!;
    expect(sent.input).to.deep.equal(INPUT);
    expect(result.toolCalls[0]!.args).to.deep.equal(INPUT);
    expect(t.process.getState()[1]!.content[0]).to.deep.include({ input: INPUT });
    expect(reported.getCalls().map((call) => call.args[0].callback)).to.deep.equal(['mutateStart', 'mutateEnd']);
  });
});
