/**
 * A tool call waits only for what returns a promise (README, Function tools): a synchronous tool
 * with a synchronous schema is answered within the turn it started in, with no turn of the
 * microtask queue in between; a tool that returns a promise, or a run with an afterToolCall hook,
 * is waited for. Observed as users would: the order of `tool:end` and a microtask queued at `tool:start`.
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { defineTool } from '../../lib/tools/function-tool.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import type { Tool } from '../../lib/tools/tool.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

const input = v.object({ text: v.string() });

/** Runs one call of `tool` and gives what came first after its `tool:start`: its `tool:end` or a microtask queued then. */
async function firstAfterStart(t: TestSetup, runOptions: Parameters<TestSetup['process']['run']>[1] = {}): Promise<string[]> {
  const order: string[] = [];
  t.process.on('tool:start', () => queueMicrotask(() => order.push('microtask')));
  t.process.on('tool:end', () => order.push('tool:end'));
  t.server.enqueue(toolUseReply([{ name: t.process.tools[0]!.name, input: { text: 'hi' } }]), textReply('done'));
  await t.process.run('go', runOptions);
  return order;
}

describe('a tool call waits only for what returns a promise', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  it('a synchronous function tool is answered before a microtask queued at its tool:start', async () => {
    t = await setupTest({ tools: [defineTool({ name: 'echo', description: 'Echoes.', input, run: ({ text }) => text })] });
    expect(await firstAfterStart(t)).to.deep.equal(['tool:end', 'microtask']);
  });

  it('so is a Tool object whose run returns its result, and so is a call in a run that can abort', async () => {
    const tool: Tool = stubTool('plain', () => ({ content: 'at once', isError: false }));
    t = await setupTest({ tools: [tool] });
    expect(await firstAfterStart(t)).to.deep.equal(['tool:end', 'microtask']);
    t.process.removeAllListeners();
    expect(await firstAfterStart(t, { signal: new AbortController().signal }), 'with a signal').to.deep.equal(['tool:end', 'microtask']);
  });

  it('a tool that returns a promise, an async schema or an afterToolCall hook is waited for', async () => {
    t = await setupTest({ tools: [defineTool({ name: 'later', description: 'Echoes later.', input, run: async ({ text }) => text })] });
    expect(await firstAfterStart(t), 'async run').to.deep.equal(['microtask', 'tool:end']);
    await t.close();
    const asyncInput = v.objectAsync({ text: v.string() });
    t = await setupTest({ tools: [defineTool({ name: 'checked', description: 'Echoes.', input: asyncInput, run: ({ text }) => text })] });
    expect(await firstAfterStart(t), 'async schema').to.deep.equal(['microtask', 'tool:end']);
    await t.close();
    t = await setupTest({ tools: [defineTool({ name: 'echo', description: 'Echoes.', input, run: ({ text }) => text })] });
    expect(await firstAfterStart(t, { hooks: { afterToolCall: () => undefined } }), 'afterToolCall hook').to.deep.equal(['microtask', 'tool:end']);
  });
});
