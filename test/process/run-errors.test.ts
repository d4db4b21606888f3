/**
 * How a run fails when something throws that is not a RunError: a bug in a provider, a price
 * table that throws, anything that escapes the loop. `run()` still rejects with a RunError that
 * carries the partial RunResult (habit 7), with what was thrown as its cause.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, InvalidArgumentError, LLMProcError, RunAbortedError, RunError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { ModelTurn } from '../../lib/providers/types.js';
import { errorReply, type FakeAnthropicServer, startFakeAnthropic, textReply } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { type ProviderChanges, wrappedAnthropic } from '../support/wrapped-provider.js';

describe('LLMProcess when a run fails with an error that is not a RunError', () => {
  let server: FakeAnthropicServer;
  let llm: LLMProcess | undefined;
  beforeEach(async () => {
    server = await startFakeAnthropic();
  });
  afterEach(async () => {
    sinon.restore();
    await llm?.close();
    llm = undefined;
    await server.close();
  });

  async function start(changes: ProviderChanges): Promise<LLMProcess> {
    const program = new LLMProgram({ model: 'claude-test', systemPrompt: 'You are a test.' });
    llm = await program.start({ provider: await wrappedAnthropic(server, changes) });
    return llm;
  }

  /** Runs `input` and gives what it rejected with and the run:end payload's error. */
  async function failedRun(process: LLMProcess, input: string, options?: Parameters<LLMProcess['run']>[1]) {
    const runEnd = sinon.spy();
    process.on('run:end', runEnd);
    const error = await rejectionOf(process.run(input, options));
    process.off('run:end', runEnd);
    expect(runEnd.calledOnce).to.equal(true);
    expect(runEnd.firstCall.args[0].error, 'run:end carries the error run() rejects with').to.equal(error);
    return error;
  }

  it('a bug in a provider (a turn without a content array) rejects with a RunError saying so, the partial RunResult and the bug as cause', async () => {
    const process = await start({ turn: (turn) => ({ ...turn, content: undefined as unknown as ModelTurn['content'] }) });
    server.enqueue(textReply('fine', { usage: { input_tokens: 12, output_tokens: 3 } }));
    const error = await failedRun(process, 'hello');
    expect(error).to.be.instanceOf(RunError);
    expect(error).not.to.be.instanceOf(ApiCallError);
    const runError = error as RunError;
    expect(runError.cause).to.be.instanceOf(TypeError);
    expect(runError.message).to.equal(`The run failed unexpectedly: ${(runError.cause as TypeError).message}`);
    expect(runError.runResult).to.include({ apiCalls: 1, stopReason: 'error', completed: true, lastMessage: '' });
    expect(runError.runResult.usage).to.include({ inputTokens: 12, outputTokens: 3 });
    expect(process.running).to.equal(false);
  });

  it('a thrown non-Error is named by its text', async () => {
    const process = await start({
      priceOf: () => {
        throw 'the price table is offline';
      },
    });
    server.enqueue(textReply('fine'));
    const error = (await failedRun(process, 'hello')) as RunError;
    expect(error).to.be.instanceOf(RunError);
    expect(error.message).to.equal('The run failed unexpectedly: the price table is offline');
    expect(error.cause).to.equal('the price table is offline');
    expect(error.runResult).to.include({ stopReason: 'error', completed: true });
  });

  it('an llmproc error that is not a RunError keeps its own message, wrapped in a RunError with the RunResult', async () => {
    const thrown = new InvalidArgumentError('model', 'no such model in the price table');
    const process = await start({
      priceOf: () => {
        throw thrown;
      },
    });
    server.enqueue(textReply('fine'));
    const error = (await failedRun(process, 'hello')) as RunError;
    expect(error).to.be.instanceOf(RunError);
    expect(error).not.to.equal(thrown);
    expect(error.message).to.equal('model: no such model in the price table');
    expect(error.cause).to.equal(thrown);
    expect(error.runResult.completed).to.equal(true);
  });

  it('a provider whose describeError throws still rejects with a RunError whose cause is that throw', async () => {
    const broken = new Error('describeError broke');
    const process = await start({
      describeError: () => {
        throw broken;
      },
    });
    server.enqueue(errorReply(500));
    const error = (await failedRun(process, 'hello')) as RunError;
    expect(error).to.be.instanceOf(RunError).and.not.instanceOf(ApiCallError);
    expect(error.message).to.equal('The run failed unexpectedly: describeError broke');
    expect(error.cause).to.equal(broken);
  });

  it('an error thrown while the run is being aborted is reported as the abort, with the error as cause', async () => {
    const controller = new AbortController();
    const bug = new TypeError('price lookup crashed');
    const process = await start({
      priceOf: () => {
        controller.abort();
        throw bug;
      },
    });
    server.enqueue(textReply('fine'));
    const error = (await failedRun(process, 'hello', { signal: controller.signal })) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(error.reason).to.equal('aborted');
    expect(error.cause).to.equal(bug);
    expect(error.runResult.stopReason).to.equal('aborted');
  });

  it('a RunError is passed on as it is, not wrapped', async () => {
    const process = await start({});
    server.enqueue(errorReply(500, { message: 'the server broke' }));
    const error = (await failedRun(process, 'hello')) as ApiCallError;
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.status).to.equal(500);
    expect(error.cause).not.to.be.instanceOf(LLMProcError);
    expect(error.runResult).to.include({ stopReason: 'error', apiCalls: 0 });
  });

  it('leaves the process able to run again', async () => {
    let broken = true;
    const process = await start({ turn: (turn) => (broken ? { ...turn, content: null as unknown as ModelTurn['content'] } : turn) });
    server.enqueue(textReply('lost'), textReply('recovered'));
    await failedRun(process, 'first');
    broken = false;
    const result = await process.run('second');
    expect(result).to.include({ stopReason: 'end_turn', lastMessage: 'recovered' });
  });
});
