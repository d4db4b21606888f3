import { expect } from 'chai';
import { deepFreeze } from '../../../lib/deep-freeze.js';
import { toOpenAIParams } from '../../../lib/providers/openai/mapping.js';
import type { Message, ModelRequest, ToolSpec } from '../../../lib/providers/types.js';

const base: ModelRequest = { model: 'gpt-test', system: 'Be brief.', messages: [], tools: [], parameters: {} };
const frozen = (message: Message): Message => deepFreeze(message);
const calls = (...ids: string[]): Message => frozen({ role: 'assistant', content: ids.map((id) => ({ type: 'tool_call' as const, id, name: 'calc', input: { id } })) });
const results = frozen({
  role: 'user',
  content: [
    { type: 'tool_result', toolCallId: 'b', content: [{ type: 'text', text: 'B' }], isError: false },
    { type: 'tool_result', toolCallId: 'a', content: [{ type: 'text', text: 'A' }], isError: false },
  ],
});
const question = frozen({ role: 'user', content: [{ type: 'text', text: 'go' }] });

describe('the OpenAI wire form cache', () => {
  it('serves the same frozen wire messages for the same frozen history on every call', () => {
    const messages = [question, calls('a', 'b'), results];
    const first = toOpenAIParams({ ...base, messages }).messages;
    const second = toOpenAIParams({ ...base, messages }).messages;
    expect(second.slice(1)).to.have.ordered.members(first.slice(1));
    for (const message of first.slice(1)) expect(Object.isFrozen(message)).to.equal(true);
  });

  it("never serves a stale form: a user message's tool messages follow the order of the calls of the message now before it", () => {
    const ab = toOpenAIParams({ ...base, messages: [question, calls('a', 'b'), results] }).messages;
    expect(ab.slice(3).map((message) => (message as { tool_call_id: string }).tool_call_id)).to.deep.equal(['a', 'b']);
    const ba = toOpenAIParams({ ...base, messages: [question, calls('b', 'a'), results] }).messages;
    expect(ba.slice(3).map((message) => (message as { tool_call_id: string }).tool_call_id)).to.deep.equal(['b', 'a']);
    const again = toOpenAIParams({ ...base, messages: [question, calls('a', 'b'), results] }).messages;
    expect(again.slice(3).map((message) => (message as { tool_call_id: string }).tool_call_id)).to.deep.equal(['a', 'b']);
  });

  it('never serves a stale form: a message that is not frozen is mapped on every call', () => {
    const open: Message = { role: 'user', content: [{ type: 'text', text: 'before' }] };
    expect(toOpenAIParams({ ...base, messages: [open] }).messages[1]).to.deep.equal({ role: 'user', content: 'before' });
    (open.content[0] as { text: string }).text = 'after';
    expect(toOpenAIParams({ ...base, messages: [open] }).messages[1]).to.deep.equal({ role: 'user', content: 'after' });
  });

  it('maps a frozen tool list once and freezes its form; a list that is not frozen is mapped every time', () => {
    const tools: readonly ToolSpec[] = Object.freeze([Object.freeze({ name: 'calc', description: 'math', inputSchema: { type: 'object' } })]);
    const first = toOpenAIParams({ ...base, tools }).tools!;
    expect(toOpenAIParams({ ...base, tools }).tools).to.equal(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).to.equal(true);
    const open: ToolSpec[] = [{ name: 'calc', description: 'math', inputSchema: { type: 'object' } }];
    toOpenAIParams({ ...base, tools: open });
    open[0]!.description = 'more math';
    expect(toOpenAIParams({ ...base, tools: open }).tools![0]).to.deep.include({ function: { name: 'calc', description: 'more math', parameters: { type: 'object' } } });
  });

  it('freezes the function of a cached tool, not its schema; a frozen list with a spec that is not frozen is mapped every time', () => {
    const schema = { type: 'object' };
    const tools: readonly ToolSpec[] = Object.freeze([Object.freeze({ name: 'calc', description: 'math', inputSchema: schema })]);
    const wire = toOpenAIParams({ ...base, tools }).tools![0] as { function: object };
    expect(Object.isFrozen(wire.function)).to.equal(true);
    expect(Object.isFrozen(schema)).to.equal(false);
    const spec: ToolSpec = { name: 'calc', description: 'math', inputSchema: { type: 'object' } };
    const mixed: readonly ToolSpec[] = Object.freeze([Object.freeze({ ...spec, name: 'frozen' }), spec]);
    const first = toOpenAIParams({ ...base, tools: mixed }).tools!;
    expect(Object.isFrozen(first)).to.equal(false);
    spec.description = 'more math';
    expect(toOpenAIParams({ ...base, tools: mixed }).tools![1]).to.deep.include({ function: { name: 'calc', description: 'more math', parameters: { type: 'object' } } });
  });

  it('never serves a stale form: a frozen user message after one that is not frozen is mapped on every call', () => {
    const open: Message = { role: 'assistant', content: [{ type: 'tool_call', id: 'a', name: 'calc', input: {} }, { type: 'tool_call', id: 'b', name: 'calc', input: {} }] };
    const order = () => toOpenAIParams({ ...base, messages: [question, open, results] }).messages.slice(3).map((message) => (message as { tool_call_id: string }).tool_call_id);
    expect(order()).to.deep.equal(['a', 'b']);
    open.content.reverse();
    expect(order()).to.deep.equal(['b', 'a']);
  });
});
