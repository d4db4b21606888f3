/**
 * Details of LLMProcess that the loop tests do not pin (each found by mutation testing, see
 * bench/MUTATION.md): ids, the closed and running checks of each method, what events carry and
 * leave out, durations, aborts landing during tools and hooks, the capabilities a tool gets.
 * Most run on a provider written here (no SDK, no HTTP): it answers each call with the next turn.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { ApprovalError, HookError, InvalidArgumentError, ProcessClosedError, ResumeError, RewindError, RunAbortedError, RunInProgressError, UnfinishedRunError } from '../../lib/errors.js';
import { UnsupportedInputError } from '../../lib/input/input-errors.js';
import type { ApiCallEvent, ToolEndEvent } from '../../lib/process/events.js';
import { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { CompleteOptions, ModelProvider, ModelRequest, ModelTurn } from '../../lib/providers/types.js';
import { TINY_PNG } from '../../lib/testing/index.js';
import type { Tool, ToolContext, ToolResult } from '../../lib/tools/tool.js';
import { rejectionOf, signalled } from '../support/promises.js';
import { stubTool } from '../support/tools.js';

const TOKENS = { inputTokens: 3, outputTokens: 2, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };

/** A turn of the model: text, or tool calls (`[name, input, id]`). */
function turn(content: ModelTurn['content'], stopReason: string = content.some((part) => part.type === 'tool_call') ? 'tool_use' : 'end_turn'): ModelTurn {
  return { id: 'msg_t', model: 'claude-test', content, stopReason, tokens: TOKENS, usage: {} };
}
const text = (value: string): ModelTurn => turn([{ type: 'text', text: value }]);
const calls = (...list: Array<[string, Record<string, unknown>, string]>): ModelTurn =>
  turn(list.map(([name, input, id]) => ({ type: 'tool_call', id, name, input })));

type Answer = ModelTurn | ((request: ModelRequest, options: CompleteOptions | undefined) => ModelTurn | Promise<ModelTurn>);

/** A provider that answers each call with the next of `answers`; `requests` records what it was asked. */
function scripted(answers: Answer[], extra: Partial<ModelProvider> = {}): ModelProvider & { requests: ModelRequest[] } {
  const requests: ModelRequest[] = [];
  return {
    name: 'scripted',
    requests,
    complete: async (request, options) => {
      // The messages as they were at this call (the loop hands over its history, which goes on growing).
      requests.push({ ...request, messages: [...request.messages] });
      const next = answers.shift();
      if (next === undefined) throw new Error('no answer left');
      return typeof next === 'function' ? next(request, options) : next;
    },
    describeError: (error) => ({ message: error instanceof Error ? error.message : String(error) }),
    ...extra,
  };
}

const tool = (name: string, run: Tool['run'], more: Partial<Tool> = {}): Tool => ({ ...stubTool(name, run), ...more });
const ok = (content: string): ToolResult => ({ content, isError: false });

describe('LLMProcess details', () => {
  afterEach(() => sinon.restore());

  it('numbers its processes proc-1, proc-2, ... in the order they start', async () => {
    const program = new LLMProgram({ model: 'claude-test' });
    const first = await program.start({ provider: scripted([]) });
    const second = await program.start({ provider: scripted([]) });
    const [a, b] = [first.id, second.id].map((id) => /^proc-([1-9]\d*)$/.exec(id)?.[1]);
    expect(a, first.id).to.be.a('string');
    expect(Number(b)).to.equal(Number(a) + 1);
  });

  it('a fork shows the process it was forked from in JSON, and async dispose closes the process', async () => {
    const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
    const fork = llm.fork();
    expect(JSON.parse(JSON.stringify(fork))).to.deep.equal({ id: fork.id, program: llm.program.displayName, model: 'claude-test', forkedFrom: llm.id });
    await fork[Symbol.asyncDispose]();
    expect(await rejectionOf(fork.run('hi'))).to.be.instanceOf(ProcessClosedError);
  });

  it('refuses preloadFiles() once closed, naming it', async () => {
    const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
    await llm.close();
    const error = await rejectionOf(llm.preloadFiles(['a.txt']));
    expect(error).to.be.instanceOf(ProcessClosedError).with.property('operation', 'preloadFiles');
    expect((error as Error).message).to.include('so preloadFiles() cannot be used on it any more');
  });

  it('refuses preloadFiles() when the process is closed while the files are read', async () => {
    const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
    const preloading = llm.preloadFiles(['a.txt']);
    await llm.close();
    const error = await rejectionOf(preloading);
    expect(error).to.be.instanceOf(ProcessClosedError).with.property('operation', 'preloadFiles');
    expect(llm.systemPrompt).to.equal('');
  });

  it('refuses a cost budget on a provider that has no prices at all (no priceOf)', async () => {
    const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([text('unused')]) });
    const error = await rejectionOf(llm.run('hi', { maxCostUsd: 1 }));
    expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.maxCostUsd');
    expect((error as Error).message).to.equal('options.maxCostUsd: the model "claude-test" has no known price, so a cost budget cannot be enforced; use maxTokens instead');
  });

  it('an event emitted outside a run reaches its listeners', async () => {
    const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
    const heard = sinon.spy();
    llm.on('response', heard);
    llm.emit('response', { content: 'by hand' });
    expect(heard.args).to.deep.equal([[{ content: 'by hand' }]]);
  });

  describe('while a run is paused or going', () => {
    const send = tool('send', async () => ok('sent'), { requireApproval: true });

    it('run() and fork() during a paused run name the calls waiting; approve(), deny() and resume() are refused while a run goes', async () => {
      const running = signalled();
      const release = signalled();
      const slow = tool('slow', async () => (running.resolve(), await release.promise, ok('slow')));
      const llm = await new LLMProgram({ model: 'claude-test', tools: [send, slow] }).start({
        provider: scripted([calls(['send', {}, 'toolu_send']), text('sent'), calls(['send', {}, 'toolu_send2'], ['slow', {}, 'toolu_slow'])]),
      });
      expect((await llm.run('send it')).stopReason).to.equal('awaiting_approval');
      const refused = await rejectionOf(llm.run('another'));
      expect(refused).to.be.instanceOf(UnfinishedRunError).with.deep.property('pendingApprovals', ['toolu_send']);
      expect(() => llm.fork()).to.throw(UnfinishedRunError).with.deep.property('pendingApprovals', ['toolu_send']);
      llm.approve('toolu_send');
      await llm.resume();

      // While slow runs, the call to send of the same turn already waits for approval.
      const run = llm.run('slowly');
      await running.promise;
      expect(() => llm.approve('toolu_send2')).to.throw(RunInProgressError);
      expect(() => llm.deny('toolu_send2')).to.throw(RunInProgressError);
      expect(await rejectionOf(llm.resume())).to.be.instanceOf(RunInProgressError);
      release.resolve();
      expect((await run).stopReason).to.equal('awaiting_approval');
    });

    it('approve() and deny() with no run refuse any id (one that is not a string too)', async () => {
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
      expect(() => llm.approve(undefined as never)).to.throw(ApprovalError);
      expect(() => llm.deny(undefined as never)).to.throw(ApprovalError);
      const error = await rejectionOf(llm.resume());
      expect(error).to.be.instanceOf(ResumeError);
      expect((error as Error).message).to.equal('There is no paused or unfinished run to resume: start one with run().');
    });

    it('deny() without a reason gives the model the refusal alone', async () => {
      const provider = scripted([calls(['send', {}, 'toolu_send']), text('not sent')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: [send] }).start({ provider });
      await llm.run('send it');
      llm.deny('toolu_send');
      await llm.resume();
      const answered = provider.requests[1]!.messages.at(-1)!.content[0];
      expect(answered).to.deep.include({ type: 'tool_result', toolCallId: 'toolu_send', isError: true });
      expect(JSON.stringify(answered)).to.include('The call to \\"send\\" was not approved.');
    });
  });

  describe('tool:end and api:call', () => {
    it("a function tool's tool:end has no server and no originalArgs; durations lie within the run", async () => {
      const echo = tool('echo', async () => ok('echoed'));
      const llm = await new LLMProgram({ model: 'claude-test', tools: [echo] }).start({ provider: scripted([calls(['echo', { value: 'x' }, 'toolu_1']), text('done')]) });
      const ended: ToolEndEvent[] = [];
      const apiCalls: ApiCallEvent[] = [];
      llm.on('tool:end', (event) => void ended.push(event));
      llm.on('api:call', (event) => void apiCalls.push(event));
      const before = performance.now();
      await llm.run('go');
      const elapsed = performance.now() - before;
      expect(ended).to.have.length(1);
      expect(ended[0]).not.to.have.any.keys('server', 'originalArgs');
      expect(ended[0]).to.include({ toolName: 'echo', source: 'function', isError: false });
      for (const duration of [ended[0]!.durationMs, ...apiCalls.map((event) => event.durationMs)]) {
        expect(duration).to.be.at.least(0).and.at.most(elapsed);
      }
      expect(apiCalls).to.have.length(2);
    });

    it('a call broken off after reporting usage is recorded, with a duration within the run, on a provider without prices', async () => {
      const broken = (_request: ModelRequest, options: CompleteOptions | undefined): ModelTurn => {
        options!.onUsage!({ id: 'msg_broken', tokens: TOKENS, usage: { input_tokens: 3 } });
        throw new Error('the stream broke');
      };
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([broken]) });
      const apiCalls: ApiCallEvent[] = [];
      llm.on('api:call', (event) => void apiCalls.push(event));
      const before = performance.now();
      const error = await rejectionOf(llm.run('go', { stream: true }));
      const elapsed = performance.now() - before;
      expect((error as Error).message).to.equal('the stream broke');
      expect(apiCalls).to.have.length(1);
      expect(apiCalls[0]).to.include({ id: 'msg_broken', incomplete: true, stopReason: 'error', costUsd: null });
      expect(apiCalls[0]!.durationMs).to.be.at.least(0).and.at.most(elapsed);
    });
  });

  describe('hooks that succeed', () => {
    it('report nothing: no callback:error from beforeToolCall or afterToolCall, nor without hooks', async () => {
      const echo = tool('echo', async () => ok('echoed'));
      for (const hooks of [{}, { beforeToolCall: () => undefined, afterToolCall: () => undefined }]) {
        const llm = await new LLMProgram({ model: 'claude-test', tools: [echo] }).start({ provider: scripted([calls(['echo', {}, 'toolu_1']), text('done')]), hooks });
        const failures = sinon.spy();
        llm.on('callback:error', failures);
        const warnings = sinon.stub(process, 'emitWarning');
        try {
          await llm.run('go');
        } finally {
          warnings.restore();
        }
        expect(failures.callCount, JSON.stringify(Object.keys(hooks))).to.equal(0);
        expect(warnings.callCount).to.equal(0);
      }
    });
  });

  describe('aborts', () => {
    it('an abort during the tools of a turn that did not stop for tool_use still ends the run as aborted', async () => {
      const controller = new AbortController();
      const stopper = tool('stopper', async () => (controller.abort(), ok('stopped')));
      const provider = scripted([turn([{ type: 'tool_call', id: 'toolu_1', name: 'stopper', input: {} }], 'end_turn')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: [stopper] }).start({ provider });
      const error = await rejectionOf(llm.run('go', { signal: controller.signal }));
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    });

    it('an abort in the last iteration, after a pause_turn, ends the run as aborted, not at max_iterations', async () => {
      const controller = new AbortController();
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([turn([{ type: 'text', text: 'Working on it.' }], 'pause_turn')]) });
      llm.on('response', () => controller.abort());
      const error = await rejectionOf(llm.run('go', { signal: controller.signal, maxIterations: 1 }));
      expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    });

    it('an abort during beforeRun leaves the conversation as it was', async () => {
      const controller = new AbortController();
      const provider = scripted([text('unused')]);
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider, hooks: { beforeRun: () => (controller.abort(), new Promise<never>(() => {})) } });
      const error = await rejectionOf(llm.run('go', { signal: controller.signal }));
      expect(error).to.be.instanceOf(RunAbortedError);
      expect(llm.getState()).to.deep.equal([]);
      expect(provider.requests).to.have.length(0);
    });

    it('an abort during beforeModelCall sends no request', async () => {
      const controller = new AbortController();
      const provider = scripted([text('unused')]);
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider, hooks: { beforeModelCall: () => (controller.abort(), new Promise<never>(() => {})) } });
      const error = await rejectionOf(llm.run('go', { signal: controller.signal }));
      expect(error).to.be.instanceOf(RunAbortedError);
      expect(provider.requests).to.have.length(0);
    });

    it('a provider that rejects as soon as the signal aborts: the run ends as aborted, not as an API failure', async () => {
      const controller = new AbortController();
      const started = signalled();
      const rejecting = (_request: ModelRequest, options: CompleteOptions | undefined): Promise<ModelTurn> =>
        new Promise((_resolve, reject) => {
          options!.signal!.addEventListener('abort', () => reject(new Error('the SDK saw the abort')));
          started.resolve();
        });
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([rejecting]) });
      const run = llm.run('go', { signal: controller.signal });
      await started.promise;
      controller.abort();
      expect(await rejectionOf(run)).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    });

    it('a provider that throws at once, having seen the abort a text listener made: the run ends as aborted, not as an API failure', async () => {
      const controller = new AbortController();
      const provider: ModelProvider = {
        name: 'sync',
        complete: (_request, options) => {
          options!.onText!('Hel', 'Hel');
          if (options!.signal!.aborted) throw new Error('the SDK saw the abort');
          return Promise.resolve(text('unused'));
        },
        describeError: (error) => ({ message: String(error) }),
      };
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider });
      llm.on('text', () => controller.abort());
      expect(await rejectionOf(llm.run('go', { signal: controller.signal, stream: true }))).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    });
  });

  describe('hooks that fail or rewrite', () => {
    it('a beforeModelCall hook that throws stops the run with a HookError caused by what it threw', async () => {
      const thrown = new Error('no calls today');
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([text('unused')]), hooks: { beforeModelCall: () => { throw thrown; } } });
      const error = await rejectionOf(llm.run('go'));
      expect(error).to.be.instanceOf(HookError).with.property('hook', 'beforeModelCall');
      expect((error as Error).cause).to.equal(thrown);
    });

    it('an input beforeRun rewrites to parts the provider cannot take is refused', async () => {
      const provider = scripted([text('unused')]);
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider, hooks: { beforeRun: () => ({ input: [{ type: 'image', mediaType: 'image/png', data: TINY_PNG }] }) } });
      const error = await rejectionOf(llm.run('go'));
      expect(error).to.be.instanceOf(HookError);
      expect((error as Error).cause).to.be.instanceOf(UnsupportedInputError);
      expect(provider.requests).to.have.length(0);
    });
  });

  describe('capabilities', () => {
    it('a tool of your own that asks for fileDescriptors does not get the store (only builtins do)', async () => {
      const seen: ToolContext[] = [];
      const asking = tool('asking', async (_input, context) => (seen.push(context), ok('asked')), { uses: ['fileDescriptors'] });
      const llm = await new LLMProgram({ model: 'claude-test', tools: ['read_fd', asking] }).start({ provider: scripted([calls(['asking', {}, 'toolu_1']), text('done')]) });
      await llm.run('go');
      expect(seen).to.have.length(1);
      expect(seen[0]!.fileDescriptors).to.equal(undefined);
    });

    it('a tool that asks for the conversation rewinds through it and is told where to and how many messages go', async () => {
      const plans: unknown[] = [];
      const rewinding = tool('rewinding', async (_input, context) => (plans.push(context.conversation!.rewind('msg_4', 'Start again.')), ok('asked')), { uses: ['conversation'] });
      const bad = tool('bad', async (_input, context) => {
        try {
          context.conversation!.rewind('msg_0', 5 as never);
        } catch (error) {
          plans.push(error);
        }
        return ok('refused');
      }, { uses: ['conversation'] });
      const provider = scripted([calls(['bad', {}, 'toolu_0']), text('no'), text('two'), calls(['rewinding', {}, 'toolu_1']), text('again')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: [rewinding, bad] }).start({ provider });
      await llm.run('first');
      expect(plans[0]).to.be.instanceOf(RewindError).with.property('reason', 'bad_instruction');
      expect((plans[0] as Error).message).to.equal('Cannot go back to msg_0: the instruction must be a non-empty string (the user message the run goes on with).');
      await llm.run('second');
      await llm.run('third');
      // msg_0-3 the first run, msg_4-5 the second, msg_6 the third prompt and msg_7 its call: the four from msg_4 go.
      expect(plans[1]).to.deep.equal({ to: 'msg_4', removed: 4 });
      expect(llm.getState().map((message) => message.content.map((part) => (part.type === 'text' ? part.text : part.type)).join())).to.deep.equal([
        'first', 'tool_call', 'tool_result', 'no', 'Start again.', 'again',
      ]);
    });
  });

  describe('a process built directly (no start options)', () => {
    it('has the system prompt it was given, takes a snapshot, and resumes a paused run', async () => {
      const send = tool('send', async () => ok('sent'), { requireApproval: true });
      const program = new LLMProgram({ model: 'claude-test', tools: [send] });
      const llm = new LLMProcess({ program, provider: scripted([calls(['send', {}, 'toolu_send']), text('sent')]), tools: program.functionTools, systemPrompt: 'Base.' });
      expect(llm.systemPrompt).to.equal('Base.');
      expect((await llm.run('send it')).stopReason).to.equal('awaiting_approval');
      expect(llm.snapshot()).to.deep.include({ hooks: [] });
      llm.approve('toolu_send');
      expect((await llm.resume()).stopReason).to.equal('end_turn');
    });
  });

  describe('emit', () => {
    it('passes on what it is given, when called with no payload or with more than one', async () => {
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider: scripted([]) });
      const heard = sinon.spy();
      llm.on('response', heard);
      const untyped = llm.emit.bind(llm) as (event: string, ...args: unknown[]) => boolean;
      untyped('response');
      untyped('response', 'a', 'b');
      expect(heard.args).to.deep.equal([[], ['a', 'b']]);
    });
  });

  describe('what the history keeps', () => {
    it('a tool call cut off by max_tokens is neither kept nor run; its text and opaque parts are kept (R7)', async () => {
      const run = sinon.spy(async () => ok('ran'));
      const thinking = { type: 'opaque' as const, provider: 'scripted', data: { thinking: 'hmm' } };
      const cut = turn([thinking, { type: 'text', text: 'Let me' }, { type: 'tool_call', id: 'toolu_cut', name: 'echo', input: {} }], 'max_tokens');
      const llm = await new LLMProgram({ model: 'claude-test', tools: [tool('echo', run)] }).start({ provider: scripted([cut]) });
      expect((await llm.run('go')).stopReason).to.equal('max_tokens');
      expect(run.callCount).to.equal(0);
      expect(llm.getState().at(-1)).to.deep.equal({ role: 'assistant', content: [thinking, { type: 'text', text: 'Let me' }] });
    });

    it("a call's input is frozen for listeners even when the provider froze only the part", async () => {
      const frozenPart = Object.freeze({ type: 'tool_call' as const, id: 'toolu_1', name: 'echo', input: { value: 'x' } });
      const llm = await new LLMProgram({ model: 'claude-test', tools: [tool('echo', async () => ok('echoed'))] }).start({ provider: scripted([turn([frozenPart]), text('done')]) });
      const seen: unknown[] = [];
      llm.on('tool:start', (event) => void seen.push(event.args));
      await llm.run('go');
      expect(seen).to.have.length(1);
      expect(Object.isFrozen(seen[0])).to.equal(true);
    });

    it('a call to an unknown tool in a program that keeps file descriptors is answered as unknown', async () => {
      const provider = scripted([calls(['no_such_tool', {}, 'toolu_1']), text('done')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: ['read_fd'] }).start({ provider });
      const result = await llm.run('go');
      expect(result.stopReason).to.equal('end_turn');
      expect(JSON.stringify(provider.requests[1]!.messages.at(-1))).to.include('Unknown tool \\"no_such_tool\\"');
    });
  });

  describe('spawn', () => {
    it('runs a linked program on a provider without prices', async () => {
      const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
      const provider = scripted([calls(['spawn', { program_name: 'expert', query: 'What is it?' }, 'toolu_spawn']), text('It is 42.'), text('The expert says 42.')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: ['spawn'], linkedPrograms: { expert } }).start({ provider });
      const result = await llm.run('ask the expert');
      expect(result.stopReason).to.equal('end_turn');
      expect(JSON.stringify(provider.requests[2]!.messages.at(-1))).to.include('It is 42.');
    });
  });

  describe('children', () => {
    it('a children capability kept after its run still spawns and runs a linked program (no run budget to share)', async () => {
      const kept: Array<NonNullable<ToolContext['children']>> = [];
      const keeper = tool('keeper', async (_input, context) => (kept.push(context.children!), ok('kept')), { uses: ['children'] });
      const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
      const provider = scripted([calls(['keeper', {}, 'toolu_1']), text('done'), text('It is 42.')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: [keeper], linkedPrograms: { expert } }).start({ provider });
      await llm.run('keep it');
      const child = await kept[0]!.spawn('expert');
      const result = await kept[0]!.run(child, 'What is it?');
      expect(result).to.include({ stopReason: 'end_turn', lastMessage: 'It is 42.' });
    });
  });

  describe('pause_turn', () => {
    it("a paused turn's calls are not run, and its checkpoint says the model is called next", async () => {
      const run = sinon.spy(async () => ok('ran'));
      const paused = turn([{ type: 'tool_call', id: 'toolu_1', name: 'echo', input: {} }], 'pause_turn');
      const llm = await new LLMProgram({ model: 'claude-test', tools: [tool('echo', run)] }).start({ provider: scripted([paused, text('done')]) });
      const next: unknown[] = [];
      llm.on('checkpoint', ({ step, snapshot }) => void (step === 'model_call' && next.push(snapshot.run!.state.next)));
      expect((await llm.run('go')).stopReason).to.equal('end_turn');
      expect(run.callCount).to.equal(0);
      expect(next).to.deep.equal(['model', 'done']);
    });
  });

  describe('rewinds', () => {
    it('two rewinds in one run both happen', async () => {
      const provider = scripted([text('one'), text('two'), text('x'), text('y'), text('z')]);
      const llm = await new LLMProgram({ model: 'claude-test' }).start({ provider });
      await llm.run('a');
      await llm.run('b');
      const targets = ['msg_2', 'msg_0'];
      llm.on('response', () => {
        const to = targets.shift();
        if (to !== undefined) llm.rewind(to, `Back to ${to}.`);
      });
      const result = await llm.run('c');
      expect(result.rewinds).to.have.length(2);
      expect(llm.getState().map((message) => message.content.map((part) => (part.type === 'text' ? part.text : part.type)).join())).to.deep.equal(['Back to msg_0.', 'z']);
    });

    it('a rewind asked for in code is kept without a toolUseId', async () => {
      const steps: unknown[] = [];
      const provider = scripted([calls(['echo', {}, 'toolu_1']), text('again')]);
      const llm = await new LLMProgram({ model: 'claude-test', tools: [tool('echo', async () => ok('echoed'))] }).start({ provider });
      llm.on('tool:end', () => llm.rewind('msg_0', 'Start again.'));
      llm.on('checkpoint', ({ step, snapshot }) => void (step === 'tool_results' && steps.push(structuredClone(snapshot.run!.state.rewind))));
      await llm.run('first');
      expect(steps).to.deep.equal([{ to: 'msg_0', instruction: 'Start again.', via: 'code' }]);
    });
  });

  describe('a run restored from a checkpoint', () => {
    it('after a turn that said tool_use but called nothing, ends as it did, without another call', async () => {
      const snapshots: unknown[] = [];
      const program = new LLMProgram({ model: 'claude-test' });
      const llm = await program.start({ provider: scripted([turn([{ type: 'text', text: 'Nothing to call.' }], 'tool_use')]) });
      llm.on('checkpoint', ({ step, snapshot }) => void (step === 'model_call' && snapshots.push(JSON.parse(JSON.stringify(snapshot)))));
      expect((await llm.run('go')).stopReason).to.equal('tool_use');
      const provider = scripted([]);
      const restored = await LLMProgram.restore(snapshots[0], { provider });
      const result = await restored.resume();
      expect(result.stopReason).to.equal('tool_use');
      expect(provider.requests).to.have.length(0);
    });
  });
});
