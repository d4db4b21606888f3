import { expect } from 'chai';
import { setTimeout as delay } from 'node:timers/promises';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import type { Tool } from '../../lib/tools/tool.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

/** A tool whose work takes `ms` (the workload, not a wait in the test), counting overlap. */
function slowTool(name: string, ms: number, gauge: { now: number; max: number }, exclusive = false): Tool {
  return {
    ...stubTool(name, async (input) => {
      gauge.now++;
      gauge.max = Math.max(gauge.max, gauge.now);
      await delay(ms);
      gauge.now--;
      return { content: `${name}:${String(input['value'])}`, isError: false };
    }),
    exclusive,
  };
}

const calls = (names: string[]) => toolUseReply(names.map((name, i) => ({ name, input: { value: String(i) }, id: `toolu_${i}` })));

describe('LLMProcess parallel tools', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  it('starts all tools of one response before any ends, and keeps results in tool_use order', async () => {
    const gauge = { now: 0, max: 0 };
    const names = ['t0', 't1', 't2', 't3', 't4'];
    t = await setupTest({ tools: names.map((name) => slowTool(name, 100, gauge)) });
    t.server.enqueue(calls(names), textReply('all done'));
    const order: string[] = [];
    t.process.on('tool:start', (e) => order.push(`start ${e.toolName}`));
    t.process.on('tool:end', (e) => order.push(`end ${e.toolName}`));
    await t.process.run('run five');
    expect(order.slice(0, 5)).to.deep.equal(names.map((name) => `start ${name}`));
    expect(gauge.max).to.equal(5);
    const results = (t.server.requests[1]!.body as { messages: Array<{ content: Array<{ tool_use_id: string }> }> }).messages.at(-1)!.content;
    expect(results.map((block) => block.tool_use_id)).to.deep.equal(['toolu_0', 'toolu_1', 'toolu_2', 'toolu_3', 'toolu_4']);
    expectValidRequests(t);
  });

  it('caps concurrency with toolConcurrency', async () => {
    const gauge = { now: 0, max: 0 };
    const names = ['t0', 't1', 't2', 't3', 't4'];
    t = await setupTest({ tools: names.map((name) => slowTool(name, 20, gauge)) });
    t.server.enqueue(calls(names), textReply('done'));
    await t.process.run('run five', { toolConcurrency: 2 });
    expect(gauge.max).to.equal(2);
  });

  it('runs an exclusive tool alone', async () => {
    const gauge = { now: 0, max: 0 };
    let aloneWhileExclusive = true;
    const exclusive: Tool = {
      ...stubTool('lock', async () => {
        if (gauge.now !== 0) aloneWhileExclusive = false;
        gauge.now++;
        await delay(20);
        gauge.now--;
        return { content: 'locked', isError: false };
      }),
      exclusive: true,
    };
    t = await setupTest({ tools: [slowTool('a', 20, gauge), exclusive, slowTool('b', 20, gauge)] });
    t.server.enqueue(calls(['a', 'lock', 'b']), textReply('done'));
    const order: string[] = [];
    t.process.on('tool:start', (e) => order.push(`start ${e.toolName}`));
    t.process.on('tool:end', (e) => order.push(`end ${e.toolName}`));
    await t.process.run('go');
    expect(aloneWhileExclusive).to.equal(true);
    expect(order).to.deep.equal(['start a', 'end a', 'start lock', 'end lock', 'start b', 'end b']);
  });
});
