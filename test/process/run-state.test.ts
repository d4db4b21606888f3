/**
 * A run's plain state (lib/process/run-state.ts): the options a snapshot can hold, and what the
 * loop does next after a model call, a batch of tool results or a rewind.
 */
import { expect } from 'chai';
import { resolveRunOptions } from '../../lib/process/run-options.js';
import { newRunState, plainOptions, recordModelCall, recordRewind, recordToolResults, type RunState, toRunOptions } from '../../lib/process/run-state.js';

/** A state in the middle of a batch: a result and an approval recorded. */
function midBatch(): RunState {
  const state = newRunState('go', resolveRunOptions({}, {}, {}), []);
  state.results['toolu_1'] = { content: 'ok', isError: false };
  state.approvals.push({ id: 'toolu_2', toolName: 'send', args: {}, status: 'pending' });
  return state;
}

describe('run state', () => {
  it('a new run starts at its first model call, with its input, its plain options and its hooks', () => {
    const state = newRunState('go', resolveRunOptions({ maxIterations: 3 }, {}, {}), ['beforeRun']);
    expect(state).to.deep.equal({ input: 'go', iteration: 0, next: 'model', results: {}, approvals: [], options: { maxIterations: 3, stream: false }, hooks: ['beforeRun'] });
  });

  describe('plainOptions', () => {
    it('keeps maxIterations and stream, and leaves out what is unset or at its default', () => {
      expect(plainOptions(resolveRunOptions({}, {}, {}))).to.deep.equal({ maxIterations: 10, stream: false });
    });

    it('keeps every other option that is set', () => {
      const options = resolveRunOptions(
        { maxIterations: 2, stream: true, toolConcurrency: 3, maxTokens: 100, maxCostUsd: 0.5, timeoutMs: 1000, promptCaching: false, promptCacheTtl: '1h', signal: new AbortController().signal },
        {},
        {},
      );
      expect(plainOptions(options)).to.deep.equal({ maxIterations: 2, stream: true, toolConcurrency: 3, maxTokens: 100, maxCostUsd: 0.5, timeoutMs: 1000, promptCaching: false, promptCacheTtl: '1h' });
    });

    it('writes down promptCaching only when off, and promptCacheTtl only when 1h', () => {
      expect(plainOptions(resolveRunOptions({ promptCaching: true, promptCacheTtl: '5m' }, {}, {}))).to.deep.equal({ maxIterations: 10, stream: false });
    });
  });

  it('toRunOptions gives the plain options as run() options, a copy', () => {
    const plain = { maxIterations: 2, stream: true, maxTokens: 5 };
    const options = toRunOptions(plain);
    expect(options).to.deep.equal(plain);
    expect(options).not.to.equal(plain);
  });

  describe('recordModelCall', () => {
    it('runs the tools next when the call asked for some, clearing the last batch', () => {
      const state = midBatch();
      recordModelCall(state, 2, 'tool_use', true);
      expect(state).to.deep.include({ iteration: 2, stopReason: 'tool_use', next: 'tools', results: {}, approvals: [] });
    });

    it('calls the model again after a pause_turn, and is done after any other stop', () => {
      const paused = midBatch();
      recordModelCall(paused, 1, 'pause_turn', false);
      expect(paused).to.deep.include({ iteration: 1, stopReason: 'pause_turn', next: 'model', results: {}, approvals: [] });
      const ended = midBatch();
      recordModelCall(ended, 3, 'end_turn', false);
      expect(ended).to.deep.include({ iteration: 3, stopReason: 'end_turn', next: 'done', results: {}, approvals: [] });
      const truncated = midBatch();
      recordModelCall(truncated, 1, 'max_tokens', true);
      expect(truncated.next, 'tool calls cut short still get answers').to.equal('tools');
    });
  });

  it('recordToolResults calls the model after tool_use, and is done otherwise, clearing the batch', () => {
    const afterToolUse = midBatch();
    afterToolUse.stopReason = 'tool_use';
    recordToolResults(afterToolUse);
    expect(afterToolUse).to.deep.include({ next: 'model', results: {}, approvals: [] });
    const afterMaxTokens = midBatch();
    afterMaxTokens.stopReason = 'max_tokens';
    recordToolResults(afterMaxTokens);
    expect(afterMaxTokens).to.deep.include({ next: 'done', results: {}, approvals: [] });
  });

  it('recordRewind drops the pending rewind and the batch, and calls the model next', () => {
    const state = midBatch();
    state.next = 'done';
    state.rewind = { to: 'msg_0', instruction: 'again', via: 'code' };
    recordRewind(state);
    expect(state).to.deep.include({ rewind: undefined, next: 'model', results: {}, approvals: [] });
  });
});
