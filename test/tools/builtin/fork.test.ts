import { expect } from 'chai';
import { forkTool, MAX_FORKS } from '../../../lib/tools/builtin/fork.js';
import { errorReply, textReply } from '../../../lib/testing/index.js';
import type { ToolContext } from '../../../lib/tools/tool.js';
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

  const context = (process?: ToolContext['process'], signal = new AbortController().signal): ToolContext => ({ signal, toolUseId: 'toolu_fork', process });

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
      expect(await forkTool.run({ prompts }, context(t.process)), JSON.stringify(prompts) ?? 'undefined').to.deep.equal(refusal);
    }
    expect(t.server.requests).to.have.length(0);
  });

  it(`runs at most ${MAX_FORKS} forks per call`, async () => {
    t = await setupTest({ tools: ['fork'] });
    const tooMany = Array.from({ length: MAX_FORKS + 1 }, (_, i) => `task ${i + 1}`);
    expect(await forkTool.run({ prompts: tooMany }, context(t.process))).to.deep.equal({ content: 'Error: at most 10 forks per call.', isError: true });
    expect(t.server.requests).to.have.length(0);
    t.server.respondWith((request) => textReply(`did ${taskOf(request.body)}`));
    const result = await forkTool.run({ prompts: tooMany.slice(0, MAX_FORKS) }, context(t.process));
    expect(result.isError).to.equal(false);
    expect(t.server.requests).to.have.length(MAX_FORKS);
    expect(String(result.content).split('\n\n')).to.have.length(MAX_FORKS);
  });

  it('runs only inside a process, and not inside a fork', async () => {
    expect(await forkTool.run({ prompts: ['a'] }, context())).to.deep.equal({ content: 'Error: fork can only run inside a process.', isError: true });
    t = await setupTest({ tools: ['fork'] });
    expect(await forkTool.run({ prompts: ['a'] }, context(t.process.fork()))).to.deep.equal({
      content: 'Error: this process is itself a fork, and a forked process cannot fork again. Do the task yourself.',
      isError: true,
    });
  });

  it('answers with each fork\'s answer under its number and task, in the order of the prompts', async () => {
    t = await setupTest({ tools: ['fork'] });
    t.server.respondWith((request) => textReply(`answer to ${taskOf(request.body)}`));
    const result = await forkTool.run({ prompts: ['first task', 'second task', 'third task'] }, context(t.process));
    expect(result).to.deep.equal({
      content: 'Fork 1 (first task):\nanswer to first task\n\nFork 2 (second task):\nanswer to second task\n\nFork 3 (third task):\nanswer to third task',
      isError: false,
    });
  });

  it('reports a failed fork in its place; the call fails only when every fork failed', async () => {
    t = await setupTest({ tools: ['fork'] });
    t.server.respondWith((request) => (taskOf(request.body) === 'good' ? textReply('fine') : errorReply(500, { message: 'fork broke' })));
    const some = await forkTool.run({ prompts: ['good', 'bad'] }, context(t.process));
    expect(some.isError).to.equal(false);
    expect(some.content).to.match(/^Fork 1 \(good\):\nfine\n\nFork 2 \(bad\):\nfailed: .*fork broke/);
    const all = await forkTool.run({ prompts: ['bad', 'bad'] }, context(t.process));
    expect(all.isError).to.equal(true);
    expect(all.content).to.match(/^Fork 1 \(bad\):\nfailed: .*\n\nFork 2 \(bad\):\nfailed: /);
  });

  it('hands its signal to the forks: an aborted call aborts them', async () => {
    t = await setupTest({ tools: ['fork'] });
    const result = await forkTool.run({ prompts: ['a', 'b'] }, context(t.process, AbortSignal.abort()));
    expect(result.isError).to.equal(true);
    expect(result.content).to.equal('Fork 1 (a):\nfailed: The run was aborted by its signal.\n\nFork 2 (b):\nfailed: The run was aborted by its signal.');
    expect(t.server.requests).to.have.length(0);
  });
});
