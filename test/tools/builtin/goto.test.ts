import { expect } from 'chai';
import sinon from 'sinon';
import { RewindError } from '../../../lib/errors.js';
import { BUILTIN_TOOL_NAMES } from '../../../lib/program/builtin-tool-names.js';
import { createBuiltinTools } from '../../../lib/tools/builtin/index.js';
import { gotoTool } from '../../../lib/tools/builtin/goto.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import type { ConversationCapability } from '../../../lib/tools/capabilities.js';
import type { ToolContext } from '../../../lib/tools/tool.js';

const context = (conversation?: ConversationCapability): ToolContext => ({ signal: new AbortController().signal, toolUseId: 'toolu_goto', ...(conversation ? { conversation } : {}) });

describe('the goto tool', () => {
  it('is a builtin enabled by name, asking for the conversation capability only', () => {
    expect(BUILTIN_TOOL_NAMES).to.include('goto');
    expect(createBuiltinTools(new LLMProgram({ model: 'm', tools: ['goto'] }))).to.deep.equal([gotoTool]);
    expect(gotoTool).to.deep.include({ name: 'goto', source: { kind: 'builtin' }, uses: ['conversation'] });
    expect(gotoTool.inputSchema).to.deep.include({ type: 'object', required: ['position', 'message'] });
    expect(gotoTool.description).to.include('[msg_3]');
  });

  it('refuses a call without a message, or outside a process, before asking for a rewind', async () => {
    const rewind = sinon.stub().returns({ to: 'msg_0', removed: 2 });
    for (const message of [undefined, '', '  ', 3]) {
      expect(await gotoTool.run({ position: 'msg_0', message }, context({ rewind }))).to.deep.equal({ content: 'Error: goto needs "message", a non-empty string: the new user message.', isError: true });
    }
    expect(await gotoTool.run({ position: 'msg_0', message: 'm' }, context())).to.deep.equal({ content: 'Error: goto can only run inside a process.', isError: true });
    expect(rewind.called).to.equal(false);
  });

  it('asks for the rewind with a note in front of the message, and turns a RewindError into an is_error result', async () => {
    const rewind = sinon.stub().returns({ to: 'msg_0', removed: 2 });
    const done = await gotoTool.run({ position: 'msg_0', message: 'Do it shorter.' }, context({ rewind }));
    expect(done).to.deep.equal({ content: "Going back to msg_0 once this turn's tool calls are done: it and the messages after it are removed, and your message takes its place.", isError: false });
    expect(rewind.firstCall.args).to.deep.equal(['msg_0', '<goto>You went back to msg_0 with the goto tool; the messages from there on were removed.</goto>\nDo it shorter.']);
    const refusing = sinon.stub().throws(new RewindError('ahead', 'msg_9', 'Cannot go back to msg_9: no message has that id yet.'));
    expect(await gotoTool.run({ position: 'msg_9', message: 'm' }, context({ rewind: refusing }))).to.deep.equal({ content: 'Error: Cannot go back to msg_9: no message has that id yet.', isError: true });
  });

  it('lets an error that is not a RewindError through', async () => {
    const failing = sinon.stub().throws(new Error('conversation broke'));
    const error = await Promise.resolve().then(() => gotoTool.run({ position: 'msg_0', message: 'm' }, context({ rewind: failing }))).then(() => undefined, (thrown: unknown) => thrown);
    expect(error).to.be.instanceOf(Error).with.property('message', 'conversation broke');
  });
});
