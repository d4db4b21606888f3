/**
 * The `api:call` payload of a streamed call that broke off (lib/process/incomplete-call.ts);
 * test/process/incomplete-calls.test.ts checks it through real runs.
 */
import { expect } from 'chai';
import { incompleteCallEvent } from '../../lib/process/incomplete-call.js';

const tokens = { inputTokens: 1_000_000, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 };
const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

describe('incompleteCallEvent', () => {
  it('records what the partial usage says, marked incomplete, priced for its model', () => {
    const priced: string[] = [];
    const event = incompleteCallEvent(
      { id: 'msg_1', model: 'claude-answering', tokens, usage: { input_tokens: 1_000_000 }, requestId: 'req_1' },
      { model: 'claude-asked', durationMs: 12, stopReason: 'timeout', price: (model) => (priced.push(model), price) },
    );
    expect(event).to.deep.equal({
      model: 'claude-answering',
      usage: { input_tokens: 1_000_000 },
      tokens,
      stopReason: 'timeout',
      id: 'msg_1',
      durationMs: 12,
      requestId: 'req_1',
      costUsd: 3,
      incomplete: true,
    });
    expect(priced).to.deep.equal(['claude-answering']);
  });

  it('falls back on the requested model and an empty id; a model without a price costs null', () => {
    const event = incompleteCallEvent({ tokens, usage: {} }, { model: 'claude-asked', durationMs: 1, stopReason: 'error', price: () => undefined });
    expect(event).to.include({ model: 'claude-asked', id: '', costUsd: null, stopReason: 'error', incomplete: true });
    expect(event.requestId).to.equal(undefined);
  });
});
