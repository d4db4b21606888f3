import { expect } from 'chai';
import { defineTool } from '../../lib/tools/function-tool.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { isFrozenMessage } from '../../lib/providers/frozen-message.js';
import type { Message, ModelProvider, ModelRequest, ModelTurn } from '../../lib/providers/types.js';
import { errorReply, type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import * as v from 'valibot';
import { wrappedAnthropic } from '../support/wrapped-provider.js';

const echo = defineTool({ name: 'echo', description: 'Echoes text.', input: v.object({ text: v.string() }), run: ({ text }) => text });

/** Whether a message and everything it holds is frozen, all the way down. */
function deeplyFrozen(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  return Object.isFrozen(value) && Object.values(value).every(deeplyFrozen);
}

describe('the history is append-only and immutable', () => {
  let server: FakeAnthropicServer;
  let seen: ModelRequest[];
  beforeEach(async () => {
    server = await startFakeAnthropic();
    seen = [];
  });
  afterEach(async () => server.close());

  const start = async () => {
    const provider = await wrappedAnthropic(server, { request: (request) => void seen.push({ ...request, messages: [...request.messages] }) });
    return new LLMProgram({ model: 'claude-test', systemPrompt: 'You are a test.', tools: [echo] }).start({ provider });
  };

  it('every message handed to the provider is deeply frozen, and a later call gets the same objects', async () => {
    const process = await start();
    server.enqueue(toolUseReply([{ name: 'echo', input: { text: 'a' } }]), toolUseReply([{ name: 'echo', input: { text: 'b' } }]), textReply('done'));
    await process.run('go');
    expect(seen).to.have.length(3);
    for (const request of seen) for (const message of request.messages) expect(deeplyFrozen(message), JSON.stringify(message)).to.equal(true);
    // Append-only: each request starts with the very message objects of the one before.
    for (let i = 1; i < seen.length; i++) {
      const before = seen[i - 1]!.messages;
      expect(seen[i]!.messages.slice(0, before.length)).to.have.ordered.members(before as Message[]);
      expect(seen[i]!.messages).to.have.length(before.length + 2);
    }
    expect(Object.isFrozen(seen[0]!.tools) && seen[0]!.tools.every(Object.isFrozen)).to.equal(true);
  });

  it("a run's input that joins a trailing user message builds a new message: the first message object is not changed", async () => {
    const process = await start();
    server.enqueue(errorReply(500));
    await process.run('first').catch(() => {});
    const first = seen[0]!.messages[0]!;
    server.enqueue(textReply('ok'));
    await process.run('second');
    const joined = seen[1]!.messages[0]!;
    expect(joined).not.to.equal(first);
    expect(first.content).to.deep.equal([{ type: 'text', text: 'first' }]);
    expect(joined.content).to.deep.equal([{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }]);
    expect(isFrozenMessage(first) && isFrozenMessage(joined)).to.equal(true);
    // What was sent matches the history: the cached wire form of the old message was not served.
    expect((withoutCaching(server.requests[1]!.body) as { messages: unknown[] }).messages[0]).to.deep.equal({ role: 'user', content: [{ type: 'text', text: 'first' }, { type: 'text', text: 'second' }] });
  });

  it('a tool result that is an array of parts is copied into the history, so the tool keeps its own object', async () => {
    const parts = [{ type: 'text' as const, text: 'mine' }];
    const tool = { name: 'parts', description: 'Returns parts.', inputSchema: { type: 'object' }, source: { kind: 'function' as const }, run: async () => ({ content: parts, isError: false }) };
    const provider = await wrappedAnthropic(server, { request: (request) => void seen.push({ ...request, messages: [...request.messages] }) });
    const process = await new LLMProgram({ model: 'claude-test', tools: [tool] }).start({ provider });
    server.enqueue(toolUseReply([{ name: 'parts', input: {} }]), textReply('done'));
    await process.run('go');
    expect(Object.isFrozen(parts) || Object.isFrozen(parts[0])).to.equal(false);
    const results = seen[1]!.messages[2]!;
    expect(results.content[0]).to.deep.include({ type: 'tool_result', content: [{ type: 'text', text: 'mine' }] });
    expect(isFrozenMessage(results)).to.equal(true);
  });

  it('getState() and snapshot() give mutable copies; changing them changes nothing the process sends', async () => {
    const process = await start();
    server.enqueue(textReply('hello'));
    await process.run('hi');
    const state = process.getState();
    (state[0]!.content[0] as { text: string }).text = 'changed';
    const snapshot = process.snapshot();
    (snapshot.messages[1]!.content[0] as { text: string }).text = 'changed too';
    server.enqueue(textReply('again'));
    await process.run('more');
    expect((withoutCaching(server.requests[1]!.body) as { messages: unknown[] }).messages.slice(0, 2)).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'hi' }] },
      { role: 'assistant', content: [{ type: 'text', text: 'hello' }] },
    ]);
  });

  it('a fork shares the message objects of its parent, and what either adds later is its own', async () => {
    const process = await start();
    server.enqueue(textReply('hello'));
    await process.run('hi');
    const fork = process.fork();
    server.enqueue(textReply('from the fork'), textReply('from the parent'));
    await fork.run('fork question');
    await process.run('parent question');
    const [firstCall, forkCall, parentCall] = seen;
    expect(forkCall!.messages[0]).to.equal(firstCall!.messages[0]);
    expect(forkCall!.messages[1]).to.equal(parentCall!.messages[1]);
    expect(parentCall!.messages[0]).to.equal(firstCall!.messages[0]);
    expect(forkCall!.messages).to.have.length(3);
    expect(parentCall!.messages).to.have.length(3);
    expect(parentCall!.messages[2]!.content).to.deep.equal([{ type: 'text', text: 'parent question' }]);
    expect(fork.getState().at(-1)!.content).to.deep.equal([{ type: 'text', text: 'from the fork' }]);
    expect(process.getState().at(-1)!.content).to.deep.equal([{ type: 'text', text: 'from the parent' }]);
  });

  it('a restored process freezes its own copy, never the snapshot it was given', async () => {
    const process = await start();
    server.enqueue(textReply('hello'));
    await process.run('hi');
    const snapshot = process.snapshot();
    const provider = await wrappedAnthropic(server, { request: (request) => void seen.push({ ...request, messages: [...request.messages] }) });
    const restored = await LLMProgram.restore(snapshot, { provider, tools: [echo] });
    expect(Object.isFrozen(snapshot.messages[0])).to.equal(false);
    server.enqueue(textReply('again'));
    await restored.run('more');
    expect(seen.at(-1)!.messages.every(isFrozenMessage)).to.equal(true);
  });
});

describe('what the history keeps of a response', () => {
  /** A provider that answers each call with the next of `turns` (parts and stop reason), new objects each time. */
  function scripted(turns: Array<{ content: ModelTurn['content']; stopReason: string }>): ModelProvider {
    let next = 0;
    return {
      name: 'anthropic',
      complete: async () => {
        const turn = turns[next++]!;
        return { id: `msg_${next}`, model: 'claude-test', content: turn.content, stopReason: turn.stopReason, tokens: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, usage: {} };
      },
      describeError: () => ({ message: 'failed' }),
    };
  }
  const program = new LLMProgram({ model: 'claude-test', tools: [echo] });

  it('keeps every part of a response with nothing to drop, in order', async () => {
    const content: ModelTurn['content'] = [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }];
    const process = await program.start({ provider: scripted([{ content, stopReason: 'end_turn' }]) });
    await process.run('go');
    expect(process.getState()[1]).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'one' }, { type: 'text', text: 'two' }] });
  });

  it('drops empty text anywhere in a response (R8), keeping the parts before and after it in order', async () => {
    const process = await program.start({ provider: scripted([{ content: [{ type: 'text', text: 'a' }, { type: 'text', text: '' }, { type: 'text', text: 'b' }, { type: 'text', text: '' }], stopReason: 'end_turn' }]) });
    await process.run('go');
    expect(process.getState()[1]).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] });
    expect(process.getLastMessage()).to.equal('ab');
  });

  it('drops the tool calls of a response cut off by max_tokens (R7), keeping its text around them, and runs none', async () => {
    const ran: unknown[] = [];
    const process = await program.start({
      provider: scripted([
        { content: [{ type: 'text', text: 'x' }, { type: 'tool_call', id: 'toolu_1', name: 'echo', input: { text: 'cut' } }, { type: 'text', text: 'y' }], stopReason: 'max_tokens' },
      ]),
    });
    process.on('tool:start', (event) => ran.push(event));
    const result = await process.run('go');
    expect(result.stopReason).to.equal('max_tokens');
    expect(process.getState()[1]).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'x' }, { type: 'text', text: 'y' }] });
    expect(ran).to.deep.equal([]);
  });
});
