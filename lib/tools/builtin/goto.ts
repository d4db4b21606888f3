/**
 * The builtin `goto` tool (`[tools] enabled = ["goto"]`): the model returns the conversation to an
 * earlier user message and goes on from there with a new message in its place — to drop a long
 * detour it no longer needs, or to try another way. With goto enabled the model sees the id of each
 * message it can go back to (`[msg_3] ...`). The rewind happens once every call of the turn has its
 * result, so no tool call is left unanswered; the removed messages include this call.
 *
 * @module
 */
import { RewindError } from '../../errors.js';
import { errorResult, textResult, type Tool } from '../tool.js';

/** The goto tool. */
export const gotoTool: Tool = {
  name: 'goto',
  description:
    'Goes back in the conversation to an earlier user message and continues from there: that message and everything after it are removed, ' +
    'and your "message" takes its place as the new user message. The messages you can go back to show their id in front, like [msg_3]. ' +
    'Use it to drop a long detour you no longer need (summarize what you learned in "message"), or to start over on a task another way. ' +
    'It happens after the other tool calls of this turn; you cannot go forward, and only one goto per turn.',
  inputSchema: {
    type: 'object',
    properties: {
      position: { type: 'string', description: 'The id of the user message to go back to, as shown in front of it, e.g. "msg_0".' },
      message: { type: 'string', description: 'The new user message in its place: what was done so far (it will be forgotten otherwise) and what to do next.' },
    },
    required: ['position', 'message'],
  },
  source: { kind: 'builtin' },
  uses: ['conversation'],
  async run(input, { conversation }) {
    const { position, message } = input;
    if (typeof message !== 'string' || message.trim() === '') return errorResult('Error: goto needs "message", a non-empty string: the new user message.');
    if (!conversation) return errorResult('Error: goto can only run inside a process.');
    try {
      const plan = conversation.rewind(position as string, gotoMessage(String(position), message));
      return textResult(`Going back to ${plan.to} once this turn's tool calls are done: it and the messages after it are removed, and your message takes its place.`);
    } catch (error) {
      if (error instanceof RewindError) return errorResult(`Error: ${error.message}`);
      throw error;
    }
  },
};

/** The user message a goto leaves in place of the one it went back to: a note of what happened, then the model's message. */
function gotoMessage(position: string, message: string): string {
  return `<goto>You went back to ${position} with the goto tool; the messages from there on were removed.</goto>\n${message}`;
}
