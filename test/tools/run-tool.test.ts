import { expect } from 'chai';
import sinon from 'sinon';
import type { ChildrenCapability, ConversationCapability } from '../../lib/tools/capabilities.js';
import type { ToolCallPart } from '../../lib/providers/types.js';
import { runToolCall } from '../../lib/tools/run-tool.js';
import type { Tool, ToolResult } from '../../lib/tools/tool.js';
import { signalled } from '../support/promises.js';
import { stubTool } from '../support/tools.js';

const call = (name: string, input: Record<string, unknown> = {}, extra: Partial<ToolCallPart> = {}): ToolCallPart => ({
  type: 'tool_call',
  id: 'toolu_1',
  name,
  input,
  ...extra,
});

function toolMap(...tools: Tool[]): Map<string, Tool> {
  return new Map(tools.map((tool) => [tool.name, tool]));
}

const live = (): AbortSignal => new AbortController().signal;

describe('runToolCall', () => {
  afterEach(() => sinon.restore());

  it('runs the tool with the input, the signal and the tool_use id, and gives its result as it is', async () => {
    const result: ToolResult = { content: [{ type: 'text', text: 'ok' }], isError: false };
    const run = sinon.stub().resolves(result);
    const signal = live();
    expect(await runToolCall(toolMap(stubTool('alpha', run)), call('alpha', { value: 'a' }), signal)).to.deep.equal(result);
    expect(run.calledOnceWithExactly({ value: 'a' }, { signal, toolUseId: 'toolu_1' })).to.equal(true);
  });

  it('for a run that cannot abort, makes the signal only when the tool reads it, and the context looks the same', async () => {
    const signal = live();
    const source = { abortable: false as const, get signal() { made += 1; return signal; } };
    let made = 0;
    const blind = sinon.stub().resolves({ content: 'ok', isError: false });
    const reader = sinon.stub().callsFake(async (_input: unknown, context: { signal: AbortSignal }) => ({ content: String(context.signal.aborted), isError: false }));
    const tools = toolMap(stubTool('blind', blind), stubTool('reader', reader));
    expect(await runToolCall(tools, call('blind'), source)).to.deep.equal({ content: 'ok', isError: false });
    expect(made, 'a tool that never reads it').to.equal(0);
    expect(await runToolCall(tools, call('reader'), source)).to.deep.equal({ content: 'false', isError: false });
    expect(made).to.equal(1);
    const context = reader.firstCall.args[1] as Record<string, unknown>;
    expect(Object.keys(context)).to.deep.equal(['signal', 'toolUseId']);
    expect({ ...context }).to.deep.equal({ signal, toolUseId: 'toolu_1' });
  });

  it('hands a tool only the capabilities it asks for in `uses`, never the process', async () => {
    const children = { canFork: true } as ChildrenCapability;
    const conversation = { rewind: sinon.stub() } as unknown as ConversationCapability;
    const plain = sinon.stub().resolves({ content: 'ok', isError: false });
    const spawner = sinon.stub().resolves({ content: 'ok', isError: false });
    const tools = toolMap(stubTool('plain', plain), { ...stubTool('spawner', spawner), uses: ['children'] });
    const signal = live();
    await runToolCall(tools, call('plain'), signal, { children, conversation });
    await runToolCall(tools, call('spawner'), signal, { children, conversation });
    expect(plain.firstCall.args[1]).to.deep.equal({ signal, toolUseId: 'toolu_1' });
    expect(spawner.firstCall.args[1]).to.deep.equal({ signal, toolUseId: 'toolu_1', children });
    expect(spawner.firstCall.args[1]).not.to.have.property('process');
  });

  it('answers an unknown tool listing the tools there are, or saying there are none', async () => {
    const tools = toolMap(stubTool('alpha', sinon.stub()), stubTool('beta', sinon.stub()));
    expect(await runToolCall(tools, call('gamma'), live())).to.deep.equal({
      content: 'Unknown tool "gamma". Available tools: alpha, beta.',
      isError: true,
    });
    expect(await runToolCall(new Map(), call('gamma'), live())).to.deep.equal({
      content: 'Unknown tool "gamma". This program has no tools.',
      isError: true,
    });
  });

  it('does not run a call whose arguments the provider could not read, and says so', async () => {
    const run = sinon.stub();
    const result = await runToolCall(toolMap(stubTool('alpha', run)), call('alpha', {}, { inputError: 'Unexpected end of JSON input' }), live());
    expect(result).to.deep.equal({
      content:
        'The arguments of this call to "alpha" could not be read, so it was not run: Unexpected end of JSON input. ' +
        'Call it again with a JSON object of its arguments.',
      isError: true,
    });
    expect(run.called).to.equal(false);
  });

  it('does not start a tool once the run is aborted', async () => {
    const run = sinon.stub();
    expect(await runToolCall(toolMap(stubTool('alpha', run)), call('alpha'), AbortSignal.abort())).to.deep.equal({
      content: 'Tool "alpha" was cancelled: the run was aborted.',
      isError: true,
    });
    expect(run.called).to.equal(false);
  });

  it('answers at the abort a tool that ignores its signal, without waiting for it', async () => {
    const controller = new AbortController();
    const started = signalled();
    const never = stubTool('stuck', () => {
      started.resolve();
      return new Promise<ToolResult>(() => {});
    });
    const pending = runToolCall(toolMap(never), call('stuck'), controller.signal);
    await started.promise;
    controller.abort();
    expect(await pending).to.deep.equal({ content: 'Tool "stuck" was cancelled: the run was aborted.', isError: true });
  });

  it('turns a throw of an Error or of anything else into an is_error result naming the tool', async () => {
    const tools = toolMap(
      stubTool('thrower', async () => {
        throw new Error('disk on fire');
      }),
      stubTool('syncThrower', () => {
        throw new TypeError('not even async');
      }),
      stubTool('stringer', async () => {
        throw 'just a string';
      }),
    );
    expect(await runToolCall(tools, call('thrower'), live())).to.deep.equal({ content: 'Error in thrower: disk on fire', isError: true });
    expect(await runToolCall(tools, call('syncThrower'), live())).to.deep.equal({ content: 'Error in syncThrower: not even async', isError: true });
    expect(await runToolCall(tools, call('stringer'), live())).to.deep.equal({ content: 'Error in stringer: just a string', isError: true });
  });

  it('refuses a result that is not { content: string | parts, isError: boolean }', async () => {
    const invalid = { content: 'Tool "liar" returned an invalid result (expected { content, isError }).', isError: true };
    for (const returned of [42, null, undefined, 'text', { content: 'x' }, { content: 1, isError: false }, { content: 'x', isError: 'no' }, { isError: false }]) {
      const tool = stubTool('liar', async () => returned as never);
      expect(await runToolCall(toolMap(tool), call('liar'), live()), JSON.stringify(returned) ?? 'undefined').to.deep.equal(invalid);
    }
    for (const valid of [{ content: '', isError: true }, { content: [], isError: false }]) {
      const tool = stubTool('fine', async () => valid);
      expect(await runToolCall(toolMap(tool), call('fine'), live())).to.deep.equal(valid);
    }
  });

  describe('at once or later', () => {
    it('gives the result at once, not a promise, when the tool returns it at once (and a sync throw at once too)', () => {
      const tools = toolMap(
        stubTool('now', () => ({ content: 'at once', isError: false })),
        stubTool('badNow', () => {
          throw new Error('sync failure');
        }),
      );
      expect(runToolCall(tools, call('now'), live())).to.deep.equal({ content: 'at once', isError: false });
      expect(runToolCall(tools, call('badNow'), { abortable: false, signal: live() })).to.deep.equal({ content: 'Error in badNow: sync failure', isError: true });
    });

    it("waits for a tool that returns another library's thenable, and turns its rejection into an is_error result", async () => {
      const thenable = (outcome: { value?: ToolResult; error?: unknown }): PromiseLike<ToolResult> => ({
        then: (resolve, reject) => Promise.resolve().then(() => ('error' in outcome ? reject?.(outcome.error) : resolve?.(outcome.value!))) as never,
      });
      const tools = toolMap(
        stubTool('later', () => thenable({ value: { content: 'later', isError: false } }) as never),
        stubTool('laterBad', () => thenable({ error: new Error('thenable broke') }) as never),
      );
      const pending = runToolCall(tools, call('later'), live());
      expect(pending).to.be.instanceOf(Promise);
      expect(await pending).to.deep.equal({ content: 'later', isError: false });
      expect(await runToolCall(tools, call('laterBad'), live())).to.deep.equal({ content: 'Error in laterBad: thenable broke', isError: true });
    });
  });
});
