import { expect } from 'chai';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import type { Tool } from '../../lib/tools/tool.js';
import { Gates } from '../support/gates.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

/** A tool whose work waits at its gate (no sleep: the gates open one per turn of the event loop). */
function gatedTool(name: string, gates: Gates, exclusive = false): Tool {
  return { ...stubTool(name, (input) => gates.pass(name, { content: `${name}:${String(input['value'])}`, isError: false })), exclusive };
}

const calls = (names: string[]) => toolUseReply(names.map((name, i) => ({ name, input: { value: String(i) }, id: `toolu_${i}` })));

describe('LLMProcess parallel tools', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  it('starts all tools of one response before any ends, and keeps results in tool_use order', async () => {
    const gates = new Gates().openOnePerTurn();
    const names = ['t0', 't1', 't2', 't3', 't4'];
    t = await setupTest({ tools: names.map((name) => gatedTool(name, gates)) });
    t.server.enqueue(calls(names), textReply('all done'));
    const order: string[] = [];
    t.process.on('tool:start', (e) => order.push(`start ${e.toolName}`));
    t.process.on('tool:end', (e) => order.push(`end ${e.toolName}`));
    await t.process.run('run five');
    expect(order.slice(0, 5)).to.deep.equal(names.map((name) => `start ${name}`));
    expect(gates.gauge.max).to.equal(5);
    const results = (t.server.requests[1]!.body as { messages: Array<{ content: Array<{ tool_use_id: string }> }> }).messages.at(-1)!.content;
    expect(results.map((block) => block.tool_use_id)).to.deep.equal(['toolu_0', 'toolu_1', 'toolu_2', 'toolu_3', 'toolu_4']);
    expectValidRequests(t);
  });

  it('caps concurrency with toolConcurrency', async () => {
    const gates = new Gates().openOnePerTurn();
    const names = ['t0', 't1', 't2', 't3', 't4'];
    t = await setupTest({ tools: names.map((name) => gatedTool(name, gates)) });
    t.server.enqueue(calls(names), textReply('done'));
    await t.process.run('run five', { toolConcurrency: 2 });
    expect(gates.gauge.max).to.equal(2);
    expect(gates.log.filter((entry) => entry.startsWith('end'))).to.have.length(5);
  });

  it('runs an exclusive tool alone', async () => {
    const gates = new Gates().openOnePerTurn();
    t = await setupTest({ tools: [gatedTool('a', gates), gatedTool('lock', gates, true), gatedTool('b', gates)] });
    t.server.enqueue(calls(['a', 'lock', 'b']), textReply('done'));
    const order: string[] = [];
    t.process.on('tool:start', (e) => order.push(`start ${e.toolName}`));
    t.process.on('tool:end', (e) => order.push(`end ${e.toolName}`));
    await t.process.run('go');
    expect(order).to.deep.equal(['start a', 'end a', 'start lock', 'end lock', 'start b', 'end b']);
    expect(gates.log).to.deep.equal(order);
  });
});
