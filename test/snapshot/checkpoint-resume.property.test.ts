/**
 * Issue 16, items 4 and 6, R25, as a property (fast-check): for a random script of model turns
 * (tool calls that succeed, throw, get invalid input, are unknown, wait for approval and are
 * approved or denied, are denied or reshaped by hooks; text that ends, pauses or is cut off), a
 * random checkpoint of the run, taken through JSON and restored in a new process that then
 * finishes the run, gives the same final conversation, the same requests from that point and the
 * same RunResult totals as the run without the interruption.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import type { Hooks } from '../../lib/process/hooks.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { RunResult } from '../../lib/results/run-result.js';
import { type FakeAnthropicServer, type FakeReply, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import type { Tool } from '../../lib/tools/tool.js';
import { okTool, SENTINEL_API_KEY, throwingTool, typedTool } from '../reliability/support.js';

type Outcome = 'ok' | 'throw' | 'invalid' | 'unknown' | 'approve' | 'deny' | 'blocked' | 'shaped';

type Step =
  | { kind: 'tools'; outcomes: Outcome[]; text: boolean; stopReason: 'tool_use' | 'end_turn' | 'max_tokens' }
  | { kind: 'text'; stopReason: 'end_turn' | 'pause_turn' | 'max_tokens' };

interface Script {
  steps: Step[];
  maxIterations: number;
  stream: boolean;
  toolConcurrency: number | undefined;
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('tools' as const),
      outcomes: fc.array(fc.constantFrom<Outcome>('ok', 'throw', 'invalid', 'unknown', 'approve', 'deny', 'blocked', 'shaped'), { minLength: 1, maxLength: 4 }),
      text: fc.boolean(),
      stopReason: fc.constantFrom('tool_use' as const, 'tool_use' as const, 'tool_use' as const, 'end_turn' as const, 'max_tokens' as const),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('text' as const), stopReason: fc.constantFrom('end_turn' as const, 'pause_turn' as const, 'max_tokens' as const) }) },
);

const scriptArb: fc.Arbitrary<Script> = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }),
  maxIterations: fc.integer({ min: 1, max: 6 }),
  stream: fc.boolean(),
  toolConcurrency: fc.option(fc.integer({ min: 1, max: 3 }), { nil: undefined }),
});

const CALL_OF: Record<Outcome, { name: string; input: Record<string, unknown> }> = {
  ok: { name: 'ok', input: { value: 'v' } },
  throw: { name: 'boom', input: {} },
  invalid: { name: 'double', input: { n: 'not a number' } },
  unknown: { name: 'no_such_tool', input: {} },
  approve: { name: 'gated', input: { value: 'approve' } },
  deny: { name: 'gated', input: { value: 'deny' } },
  blocked: { name: 'blocked', input: { value: 'b' } },
  shaped: { name: 'shaped', input: { value: 'raw' } },
};

function replyOf(step: Step, k: number): FakeReply {
  if (step.kind === 'text') return textReply(step.stopReason === 'pause_turn' ? 'Thinking…' : `Answer ${k}.`, { stopReason: step.stopReason });
  const calls = step.outcomes.map((outcome, i) => ({ ...CALL_OF[outcome], id: `toolu_${k}_${i}` }));
  return toolUseReply(calls, { text: step.text ? `Turn ${k}.` : undefined, stopReason: step.stopReason });
}

const tools: Tool[] = [okTool('ok'), throwingTool('boom'), typedTool('double'), { ...okTool('gated'), requireApproval: true }, okTool('blocked'), okTool('shaped')];

const hooks: Hooks = {
  beforeToolCall: ({ toolName }) => (toolName === 'blocked' ? { deny: 'blocked by policy' } : toolName === 'shaped' ? { args: { value: 'shaped' } } : undefined),
  afterToolCall: ({ toolName, result }) => (toolName === 'shaped' ? { result: { content: `${String(result.content)} (checked)`, isError: false } } : undefined),
};

/** Approves or denies each waiting call as its arguments say. */
function decide(process: LLMProcess): void {
  for (const { id, args } of process.pendingApprovals) {
    if (args['value'] === 'approve') process.approve(id);
    else process.deny(id, 'not this one');
  }
}

/** Decides the waiting calls and resumes, until the run is done. */
async function finish(process: LLMProcess, started: Promise<RunResult>): Promise<RunResult> {
  let result = await started;
  while (result.stopReason === 'awaiting_approval') {
    decide(process);
    result = await process.resume();
  }
  return result;
}

/** A RunResult without timings and ids (tool calls by id: parallel calls may end in any order). */
function totals(result: RunResult) {
  const json = result.toJSON();
  return {
    apiCalls: json.apiCalls,
    usage: json.usage,
    stopReason: json.stopReason,
    lastMessage: json.lastMessage,
    perCall: json.apiCallInfos.map(({ tokens, stopReason }) => ({ tokens, stopReason })),
    toolCalls: json.toolCalls
      .map(({ toolUseId, toolName, args, decision, isError, originalArgs }) => ({ toolUseId, toolName, args, decision, isError, originalArgs }))
      .sort((a, b) => (a.toolUseId < b.toolUseId ? -1 : 1)),
  };
}

describe('checkpoints: resuming from any of them is as if the run was never interrupted (property)', () => {
  let server: FakeAnthropicServer;
  let replies: FakeReply[] = [];
  let cursor = 0;
  before(async () => {
    server = await startFakeAnthropic({ responder: () => replies[cursor++] ?? textReply('Nothing more to say.') });
  });
  after(() => server.close());

  const program = new LLMProgram({ model: 'claude-test', tools, hooks });
  const startOptions = () => ({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });

  it('same final conversation, same requests from the checkpoint on, same RunResult totals', async function () {
    this.timeout(120_000);
    let tried = 0;
    let restoredMidBatch = 0;
    const NUM_RUNS = 60;
    await fc.assert(
      fc.asyncProperty(scriptArb, fc.nat(), async (script, pick) => {
        tried++;
        replies = script.steps.map(replyOf);
        cursor = 0;
        server.requests.length = 0;
        const whole = await program.start(startOptions());
        const checkpoints: string[] = [];
        whole.on('checkpoint', ({ snapshot }) => void checkpoints.push(JSON.stringify(snapshot)));
        const options = { maxIterations: script.maxIterations, stream: script.stream, toolConcurrency: script.toolConcurrency };
        const wholeResult = await finish(whole, whole.run('go', options));
        const wholeRequests = server.requests.map((request) => request.body);
        const wholeState = whole.getState();
        await whole.close();
        expect(checkpoints.length, 'every run has a checkpoint after its first model call').to.be.greaterThan(0);

        const chosen = JSON.parse(checkpoints[pick % checkpoints.length]!) as { run: { state: { next: string }; result: { apiCalls: number } } };
        if (chosen.run.state.next === 'tools') restoredMidBatch++;
        cursor = chosen.run.result.apiCalls;
        server.requests.length = 0;
        const restored = await LLMProgram.restore(chosen, { ...startOptions(), tools, hooks });
        try {
          decide(restored);
          const result = await finish(restored, restored.resume());
          expect(restored.getState()).to.deep.equal(wholeState);
          expect(server.requests.map((request) => request.body)).to.deep.equal(wholeRequests.slice(chosen.run.result.apiCalls));
          expect(totals(result)).to.deep.equal(totals(wholeResult));
        } finally {
          await restored.close();
        }
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tried, 'inputs tried').to.be.at.least(NUM_RUNS);
    expect(restoredMidBatch, 'some restores continued a batch of tool calls').to.be.greaterThan(0);
  });
});
