/**
 * The `children` capability of a tool call (lib/process/children-capability.ts), over a host that
 * records what it is asked: spawn and fork make children, and run runs only the ones it made.
 * test/process/children.test.ts checks the spawn and fork builtins through real runs.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { InvalidArgumentError } from '../../lib/errors.js';
import { createChildren, type ChildrenHost } from '../../lib/process/children-capability.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { RunResult } from '../../lib/results/run-result.js';

const linked = new LLMProgram({ model: 'claude-test', systemPrompt: 'helper' });
/** Stand-ins for child processes: the capability only keeps and hands them back. */
const spawned = { id: 'spawned' } as unknown as LLMProcess;
const forked = { id: 'forked' } as unknown as LLMProcess;

function host(canFork = true) {
  const result = new RunResult();
  const spies = {
    linkedProgram: sinon.spy((name: string) => (name === 'helper' ? linked : undefined)),
    start: sinon.spy(async (_program: LLMProgram) => spawned),
    fork: sinon.spy((_note: string) => forked),
    run: sinon.spy(async (_child: LLMProcess, _prompt: string, _via: 'spawn' | 'fork') => result),
  };
  const children = createChildren({ canFork, ...spies } satisfies ChildrenHost);
  return { children, result, ...spies };
}

describe('the children capability', () => {
  it('says whether the process may fork', () => {
    expect(host(true).children.canFork).to.equal(true);
    expect(host(false).children.canFork).to.equal(false);
  });

  it('spawn starts a process of the linked program, and run runs it as a spawn', async () => {
    const h = host();
    const child = await h.children.spawn('helper');
    expect(child).to.equal(spawned);
    expect(h.start.firstCall.args).to.deep.equal([linked]);
    expect(await h.children.run(child, 'do it')).to.equal(h.result);
    expect(h.run.firstCall.args).to.deep.equal([spawned, 'do it', 'spawn']);
  });

  it('spawn refuses a name that is no linked program, or not a name at all, starting nothing', async () => {
    const h = host();
    const unknown = await h.children.spawn('nobody').catch((e: unknown) => e);
    expect(unknown).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'name', message: 'name: there is no linked program "nobody"' });
    const notName = await h.children.spawn(5 as never).catch((e: unknown) => e);
    expect(notName).to.be.instanceOf(InvalidArgumentError).and.include({ message: 'name: there is no linked program 5' });
    expect(h.linkedProgram.callCount, 'a number is not looked up').to.equal(1);
    expect(h.start.called).to.equal(false);
  });

  it('fork forks with the note, and run runs it as a fork', async () => {
    const h = host();
    const child = h.children.fork('the note');
    expect(child).to.equal(forked);
    expect(h.fork.firstCall.args).to.deep.equal(['the note']);
    await h.children.run(child, 'part two');
    expect(h.run.firstCall.args).to.deep.equal([forked, 'part two', 'fork']);
  });

  it('a fork may not fork again', () => {
    const h = host(false);
    expect(() => h.children.fork('note')).to.throw(InvalidArgumentError, 'fork: this process is itself a fork, and a forked process cannot fork again');
    expect(h.fork.called).to.equal(false);
  });

  it('run refuses a process this capability did not make (another call\'s child too)', async () => {
    const h = host();
    const other = host();
    const theirs = await other.children.spawn('helper');
    const error = await h.children.run(theirs, 'x').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'child', message: 'child: is not a process this tool call spawned or forked' });
    expect(h.run.called).to.equal(false);
  });
});
