/**
 * What `resume()` checks and which options it continues with (lib/process/resume.ts);
 * test/process/approvals.test.ts and test/snapshot/ check it through real runs.
 */
import { expect } from 'chai';
import { ResumeError } from '../../lib/errors.js';
import { hookNames } from '../../lib/process/hooks.js';
import { resumeOptions, type UnfinishedRun } from '../../lib/process/resume.js';
import type { ApprovalRecord } from '../../lib/process/approvals.js';
import type { HookName } from '../../lib/process/hooks.js';
import { thrownBy } from '../support/thrown-by.js';

function unfinished(approvals: ApprovalRecord[] = [], hooks: HookName[] = [], options: UnfinishedRun['options'] = {}): UnfinishedRun {
  return { state: { input: 'go', iteration: 1, next: 'tools', results: {}, approvals, options: { maxIterations: 4, stream: false, maxTokens: 100 }, hooks }, options };
}

const record = (id: string, status: ApprovalRecord['status']): ApprovalRecord => ({ id, toolName: 'send', args: {}, status });

describe('resumeOptions', () => {
  it('continues with the run\'s options, its plain options over them, then the options given (those set)', () => {
    const signal = new AbortController().signal;
    const merged = resumeOptions(unfinished([], [], { maxIterations: 9, stream: true, signal }), { maxTokens: 50, stream: undefined }, hookNames);
    expect(merged).to.deep.equal({ maxIterations: 4, stream: false, maxTokens: 50, signal });
    expect(resumeOptions(unfinished(), undefined, hookNames)).to.deep.equal({ maxIterations: 4, stream: false, maxTokens: 100 });
  });

  it('refuses while a call waits for a decision, naming it', () => {
    const error = thrownBy(() => resumeOptions(unfinished([record('toolu_a', 'approved'), record('toolu_b', 'pending')]), {}, hookNames), ResumeError, 'one undecided call');
    expect(error.message).to.equal('1 tool call still waits for a decision (toolu_b): approve() or deny() it before resume().');
    expect(error.undecided).to.deep.equal(['toolu_b']);
  });

  it('refuses while calls wait for a decision, naming each', () => {
    const error = thrownBy(() => resumeOptions(unfinished([record('toolu_a', 'pending'), record('toolu_b', 'pending')]), {}, hookNames), ResumeError, 'two undecided calls');
    expect(error.message).to.equal('2 tool calls still wait for a decision (toolu_a, toolu_b): approve() or deny() each before resume().');
    expect(error.undecided).to.deep.equal(['toolu_a', 'toolu_b']);
  });

  it('goes on when every call is decided and every hook of the run is there, from the options or the process', () => {
    const decided = unfinished([record('toolu_a', 'approved'), record('toolu_b', 'denied')], ['beforeToolCall', 'afterToolCall']);
    const hook = () => undefined;
    const given = resumeOptions(decided, { hooks: { beforeToolCall: hook, afterToolCall: hook } }, hookNames);
    expect(given.hooks).to.deep.equal({ beforeToolCall: hook, afterToolCall: hook });
    const fromProcess = resumeOptions(decided, {}, (hooks) => [...hookNames(hooks), 'beforeToolCall', 'afterToolCall']);
    expect(fromProcess).to.deep.equal({ maxIterations: 4, stream: false, maxTokens: 100 });
  });

  it('refuses when a hook of the run is missing, naming it', () => {
    const error = thrownBy(() => resumeOptions(unfinished([], ['beforeToolCall', 'afterToolCall']), { hooks: { afterToolCall: () => undefined } }, hookNames), ResumeError, 'a missing hook');
    expect(error.message).to.equal(
      'The run had the beforeToolCall hook, which this process does not have (a snapshot cannot hold hooks): pass it to resume({ hooks }) or restore().',
    );
    expect(error.missingHooks).to.deep.equal(['beforeToolCall']);
  });

  it('refuses when hooks of the run are missing, naming each', () => {
    const error = thrownBy(() => resumeOptions(unfinished([], ['beforeRun', 'beforeToolCall']), {}, hookNames), ResumeError, 'two missing hooks');
    expect(error.message).to.equal(
      'The run had the beforeRun, beforeToolCall hooks, which this process does not have (a snapshot cannot hold hooks): pass them to resume({ hooks }) or restore().',
    );
    expect(error.missingHooks).to.deep.equal(['beforeRun', 'beforeToolCall']);
  });
});
