/**
 * Reliability R5 and R6 as a property (fast-check): for random mixes of tool outcomes (success,
 * throw, invalid input, unknown tool, timeout, abort), API failures at random calls, aborts at
 * random points, stop reasons and iteration limits, over several runs of one process, the history
 * left in the process passes the Messages API's checks, every request sent passed them, and the
 * next run succeeds.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { RunError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import {
  type FakeAnthropicServer,
  type FakeReply,
  hang,
  startFakeAnthropic,
  textReply,
  toolUseReply,
} from '../../lib/testing/index.js';
import {
  type ApiFault,
  faultReply,
  historyProblem,
  invalidRequest,
  listenerCounts,
  okTool,
  SENTINEL_API_KEY,
  throwingTool,
  typedTool,
  waitForAbortTool,
} from './support.js';

type ToolOutcome = 'ok' | 'throw' | 'invalid' | 'unknown' | 'timeout' | 'abort';
type Fault = ApiFault;

/** What the model does at one API call. */
type Step =
  | { kind: 'tools'; outcomes: ToolOutcome[]; text: boolean; stopReason: 'tool_use' | 'max_tokens' | 'end_turn' }
  | { kind: 'text'; stopReason: 'end_turn' | 'pause_turn' | 'refusal' | 'max_tokens' }
  | { kind: 'fault'; fault: Fault }
  | { kind: 'abort' };

interface RunScript {
  steps: Step[];
  stream: boolean;
  maxIterations: number;
}

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 4, arbitrary: fc.record({
    kind: fc.constant('tools' as const),
    outcomes: fc.array(fc.constantFrom<ToolOutcome>('ok', 'throw', 'invalid', 'unknown', 'timeout', 'abort'), { minLength: 1, maxLength: 4 }),
    text: fc.boolean(),
    stopReason: fc.constantFrom('tool_use' as const, 'tool_use' as const, 'max_tokens' as const, 'end_turn' as const),
  }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('text' as const), stopReason: fc.constantFrom('end_turn' as const, 'pause_turn' as const, 'refusal' as const, 'max_tokens' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('fault' as const), fault: fc.constantFrom<Fault>('500', '529', '429', 'drop', 'malformed', 'stream-error', 'stream-drop') }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'abort' as const }) },
);

const runArb: fc.Arbitrary<RunScript> = fc.record({
  steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }),
  stream: fc.boolean(),
  maxIterations: fc.integer({ min: 1, max: 4 }),
});

const TOOL_OF: Record<Exclude<ToolOutcome, 'unknown'>, { name: string; input: Record<string, unknown> }> = {
  ok: { name: 'ok', input: { value: 'v' } },
  throw: { name: 'boom', input: {} },
  invalid: { name: 'double', input: { n: 'not a number' } },
  timeout: { name: 'slow', input: {} },
  abort: { name: 'aborter', input: {} },
};

/** The fake reply of one step; `abort` aborts the run as its request arrives. */
function replyOf(step: Step, abort: () => void): FakeReply {
  switch (step.kind) {
    case 'tools': {
      const calls = step.outcomes.map((outcome) => (outcome === 'unknown' ? { name: 'no_such_tool', input: {} } : TOOL_OF[outcome]));
      return toolUseReply(calls, { text: step.text ? 'Calling tools.' : undefined, stopReason: step.stopReason });
    }
    case 'text':
      return textReply(step.stopReason === 'pause_turn' ? 'Paused' : 'An answer.', { stopReason: step.stopReason });
    case 'abort':
      abort();
      return hang();
    case 'fault':
      return faultReply(step.fault);
  }
}

/** The text of the last user text block of a request body (the input of the run that sent it). */
function latestUserText(body: unknown): string | undefined {
  const messages = (body as { messages?: Array<{ role: string; content: string | Array<{ type: string; text?: string }> }> }).messages ?? [];
  for (const message of [...messages].reverse()) {
    if (message.role !== 'user') continue;
    if (typeof message.content === 'string') return message.content;
    const text = message.content.filter((block) => block.type === 'text').at(-1);
    if (text) return text.text;
  }
  return undefined;
}

describe('reliability: conversation property (R5, R6)', () => {
  let server: FakeAnthropicServer;
  /** Thunks answering the current run's requests in order. */
  let replies: Array<() => FakeReply> = [];
  let controller = new AbortController();

  /** The input of the current run: a request whose latest user text is another is a late one of an aborted run. */
  let currentInput = '';
  let inputCount = 0;

  before(async () => {
    server = await startFakeAnthropic({
      responder: (request) => {
        if (latestUserText(request.body) !== currentInput) return hang();
        return (replies.shift() ?? (() => textReply('Nothing more to say.')))();
      },
    });
  });
  after(() => server.close());

  const program = new LLMProgram({
    model: 'claude-test',
    tools: [
      okTool('ok'),
      throwingTool('boom'),
      typedTool('double'),
      waitForAbortTool('slow'),
      waitForAbortTool('aborter', () => controller.abort()),
    ],
  });

  it('R5/R6: for random mixes of tool outcomes, API failures and aborts, the history stays valid and the next run succeeds', async function () {
    this.timeout(60_000);
    let tried = 0;
    const NUM_RUNS = 120;
    await fc.assert(
      fc.asyncProperty(fc.array(runArb, { minLength: 1, maxLength: 3 }), async (runs) => {
        tried++;
        const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
        const baseline = listenerCounts(process);
        const firstRequest = server.requests.length;
        for (const script of runs) {
          controller = new AbortController();
          const abort = (): void => controller.abort();
          replies = script.steps.map((step) => () => replyOf(step, abort));
          const hasTimeout = script.steps.some((step) => step.kind === 'tools' && step.outcomes.includes('timeout'));
          currentInput = `run ${++inputCount}`;
          const outcome = await process
            .run(currentInput, { stream: script.stream, maxIterations: script.maxIterations, signal: controller.signal, timeoutMs: hasTimeout ? 15 : undefined })
            .then(() => undefined, (error: unknown) => error);
          if (outcome !== undefined && !(outcome instanceof RunError)) throw new Error(`run() rejected with something other than a RunError: ${String(outcome)}`);
          const problem = historyProblem(process);
          if (problem !== undefined) throw new Error(`invalid history: ${problem}\n${JSON.stringify(process.getState())}`);
          expect(listenerCounts(process)).to.deep.equal(baseline);
        }
        replies = [() => textReply('Final answer.')];
        currentInput = `run ${++inputCount}`;
        const result = await process.run(currentInput);
        expect(result.stopReason).to.equal('end_turn');
        expect(process.getLastMessage()).to.equal('Final answer.');
        const invalid = invalidRequest(server, firstRequest);
        if (invalid !== undefined) throw new Error(`a request the API would refuse was sent: ${invalid}`);
        server.requests.length = 0;
      }),
      { numRuns: NUM_RUNS },
    );
    expect(tried, 'inputs tried').to.be.at.least(NUM_RUNS);
  });
});
