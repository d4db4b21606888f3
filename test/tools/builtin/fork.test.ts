import { expect } from 'chai';
import { forkTool, MAX_FORKS } from '../../../lib/tools/builtin/fork.js';
import { errorReply, type FakeReply, textReply, toolUseReply } from '../../../lib/testing/index.js';
import type { ToolContext, ToolResult } from '../../../lib/tools/tool.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { RunOptions } from '../../../lib/process/run-options.js';
import { RunAbortedError } from '../../../lib/errors.js';
import { setupTest, type TestSetup } from '../../support/setup.js';

type Body = { messages: Array<{ content: Array<{ type: string; text?: string }> }> };

/** The task a fork was given: the text after its fork note. */
const taskOf = (body: unknown): string => (body as Body).messages.at(-1)!.content.at(-1)!.text ?? '';

describe('the fork tool', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A context without capabilities: what a call outside a process gets. */
  const bare = (): ToolContext => ({ signal: new AbortController().signal, toolUseId: 'toolu_fork' });

  /**
   * Runs `process` on a model that calls fork with `prompts`, each fork answered by `answer(task)`;
   * resolves with the fork call's result (its `tool:end`).
   */
  async function callFork(process: LLMProcess, prompts: unknown, answer: (task: string) => FakeReply, options?: RunOptions): Promise<ToolResult> {
    t!.server.enqueue(toolUseReply([{ name: 'fork', input: { prompts }, id: 'toolu_fork' }]));
    t!.server.respondWith((request) => (taskOf(request.body) === '' ? textReply('all answered') : answer(taskOf(request.body))));
    const results: ToolResult[] = [];
    process.on('tool:end', (event) => void (event.toolName === 'fork' && !event.child && results.push(event.result)));
    await process.run('Fork these.', options);
    return results[0]!;
  }

  it('is a builtin taking a list of prompts', () => {
    expect(forkTool).to.include({ name: 'fork' });
    expect(forkTool.source).to.deep.equal({ kind: 'builtin' });
    expect(forkTool.inputSchema).to.deep.include({ type: 'object', required: ['prompts'] });
    expect(MAX_FORKS).to.equal(10);
  });

  it('refuses prompts that are not a non-empty list of non-empty strings, before forking anything', async () => {
    t = await setupTest({ tools: ['fork'] });
    const refusal = { content: 'Error: fork needs "prompts", a non-empty array of non-empty strings.', isError: true };
    for (const prompts of [undefined, 'task', [], [''], ['  '], ['ok', 3], [null]]) {
      expect(await forkTool.run({ prompts }, bare()), JSON.stringify(prompts) ?? 'undefined').to.deep.equal(refusal);
    }
    expect(await callFork(t.process, [''], () => textReply('never'))).to.deep.equal(refusal);
    expect(t.server.requests, 'the call and the answer, no fork').to.have.length(2);
  });

  it(`runs at most ${MAX_FORKS} forks per call`, async () => {
    t = await setupTest({ tools: ['fork'] });
    const tooMany = Array.from({ length: MAX_FORKS + 1 }, (_, i) => `task ${i + 1}`);
    expect(await callFork(t.process, tooMany, (task) => textReply(`did ${task}`))).to.deep.equal({ content: 'Error: at most 10 forks per call.', isError: true });
    expect(t.server.requests, 'the call and the answer, no fork').to.have.length(2);
    const result = await callFork(t.process, tooMany.slice(0, MAX_FORKS), (task) => textReply(`did ${task}`));
    expect(result.isError).to.equal(false);
    expect(t.server.requests).to.have.length(4 + MAX_FORKS);
    expect(String(result.content).split('\n\n')).to.have.length(MAX_FORKS);
  });

  it('runs only inside a process, and not inside a fork', async () => {
    expect(await forkTool.run({ prompts: ['a'] }, bare())).to.deep.equal({ content: 'Error: fork can only run inside a process.', isError: true });
    t = await setupTest({ tools: ['fork'] });
    expect(await callFork(t.process.fork(), ['a'], () => textReply('never'))).to.deep.equal({
      content: 'Error: this process is itself a fork, and a forked process cannot fork again. Do the task yourself.',
      isError: true,
    });
  });

  it('answers with each fork\'s answer under its number and task, in the order of the prompts', async () => {
    t = await setupTest({ tools: ['fork'] });
    const result = await callFork(t.process, ['first task', 'second task', 'third task'], (task) => textReply(`answer to ${task}`));
    expect(result).to.deep.equal({
      content: 'Fork 1 (first task):\nanswer to first task\n\nFork 2 (second task):\nanswer to second task\n\nFork 3 (third task):\nanswer to third task',
      isError: false,
    });
  });

  it('reports a failed fork in its place; the call fails only when every fork failed', async () => {
    t = await setupTest({ tools: ['fork'] });
    const answer = (task: string) => (task === 'good' ? textReply('fine') : errorReply(500, { message: 'fork broke' }));
    const some = await callFork(t.process, ['good', 'bad'], answer);
    expect(some.isError).to.equal(false);
    expect(some.content).to.match(/^Fork 1 \(good\):\nfine\n\nFork 2 \(bad\):\nfailed: .*fork broke/);
    const all = await callFork(t.process, ['bad', 'bad'], answer);
    expect(all.isError).to.equal(true);
    expect(all.content).to.match(/^Fork 1 \(bad\):\nfailed: .*\n\nFork 2 \(bad\):\nfailed: /);
  });

  it("reports a fork stopped by the run's budget as failed, with what it said before it stopped", async () => {
    t = await setupTest({ tools: ['fork'] });
    // The parent's call spends 15 tokens; each fork's first call 1,000, after which the budget is spent.
    const answer = (task: string) =>
      task === 'talks'
        ? toolUseReply([{ name: 'nothing', input: {} }], { text: 'Half of it:', usage: { input_tokens: 900, output_tokens: 100 } })
        : toolUseReply([{ name: 'nothing', input: {} }], { usage: { input_tokens: 900, output_tokens: 100 } });
    const one = await callFork(t.process, ['quiet'], answer, { maxTokens: 500 });
    expect(one).to.deep.equal({ content: "Fork 1 (quiet):\nfailed: stopped before it finished: the run's budget is spent.", isError: true });
    const two = await callFork(t.process, ['talks'], answer, { maxTokens: 500 });
    expect(two).to.deep.equal({ content: "Fork 1 (talks):\nfailed: stopped before it finished: the run's budget is spent. Half of it:", isError: true });
  });

  it('hands its signal to the forks: an aborted call aborts them', async () => {
    t = await setupTest({ tools: ['fork'] });
    const controller = new AbortController();
    const forkEnds: unknown[] = [];
    t.process.on('child:start', ({ process: child }) => {
      child.on('run:end', ({ error }) => void forkEnds.push(error));
      controller.abort();
    });
    const run = callFork(t.process, ['a', 'b'], () => textReply('never'), { signal: controller.signal });
    const error = await run.then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(forkEnds, 'both forks ended aborted').to.have.length(2);
    for (const end of forkEnds) expect(end).to.be.instanceOf(RunAbortedError);
    expect(t.server.requests, 'no fork called the model').to.have.length(1);
  });
});
