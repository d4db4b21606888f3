/**
 * goto as a property (fast-check): for random conversations in which the model calls goto at
 * random positions (valid or not, alone or beside other calls, once or twice a turn), with random
 * stop reasons and iteration limits, every request sent is one the Messages API takes, the history
 * left is valid, the message ids stay one per message and increasing, and the RunResult records
 * exactly the rewinds the `rewind` event reported.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { LLMProgram } from '../../lib/program/llm-program.js';
import type { RewindEvent } from '../../lib/process/events.js';
import { type FakeAnthropicServer, type FakeReply, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { historyProblem, invalidRequest, okTool, SENTINEL_API_KEY } from './support.js';

/** What the model does at one API call: answer, or call tools (gotos to these positions, and `ok` calls). */
type Step = { kind: 'text' } | { kind: 'tools'; gotos: string[]; oks: number; stopReason: 'tool_use' | 'end_turn' };

const positionArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant('msg_0') },
  { weight: 3, arbitrary: fc.integer({ min: 0, max: 12 }).map((n) => `msg_${n}`) },
  { weight: 1, arbitrary: fc.constantFrom('msg_-1', 'msg_1.5', '3', '', 'msg_999999999999999999') },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  { weight: 1, arbitrary: fc.constant({ kind: 'text' as const }) },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('tools' as const),
      gotos: fc.array(positionArb, { minLength: 0, maxLength: 2 }),
      oks: fc.integer({ min: 0, max: 2 }),
      stopReason: fc.constantFrom('tool_use' as const, 'tool_use' as const, 'end_turn' as const),
    }),
  },
);

function replyOf(step: Step): FakeReply {
  if (step.kind === 'text') return textReply('An answer.');
  const calls = [...step.gotos.map((position) => ({ name: 'goto', input: { position, message: `back to ${position}` } })), ...Array.from({ length: step.oks }, () => ({ name: 'ok', input: { value: 'v' } }))];
  return calls.length === 0 ? textReply('Nothing to call.') : toolUseReply(calls, { stopReason: step.stopReason });
}

describe('reliability: goto property (R5, R6)', () => {
  let server: FakeAnthropicServer;
  let replies: Step[] = [];
  before(async () => {
    server = await startFakeAnthropic({ responder: () => replyOf(replies.shift() ?? { kind: 'text' }) });
  });
  after(() => server.close());

  const program = new LLMProgram({ model: 'claude-test', tools: ['goto', okTool('ok')] });

  it('for random gotos, every request is valid, the ids stay in step with the messages, and each rewind is recorded once', async function () {
    this.timeout(60_000);
    let rewinds = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ steps: fc.array(stepArb, { minLength: 1, maxLength: 4 }), maxIterations: fc.integer({ min: 1, max: 5 }) }), { minLength: 1, maxLength: 3 }), async (runs) => {
        const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
        const events: RewindEvent[] = [];
        process.on('rewind', (event) => void events.push(event));
        const recorded: string[] = [];
        server.requests.length = 0;
        for (const [k, script] of runs.entries()) {
          replies = [...script.steps];
          const result = await process.run(`run ${k}`, { maxIterations: script.maxIterations });
          recorded.push(...result.rewinds.map((rewind) => rewind.messageId));
          const problem = historyProblem(process);
          if (problem !== undefined) throw new Error(`invalid history: ${problem}\n${JSON.stringify(process.getState())}`);
          const ids = process.messageIds.map((id) => Number(id.slice(4)));
          expect(ids).to.have.length(process.getState().length);
          for (let i = 1; i < ids.length; i++) expect(ids[i]).to.be.above(ids[i - 1]!);
        }
        expect(recorded).to.deep.equal(events.map((event) => event.messageId));
        rewinds += events.length;
        const invalid = invalidRequest(server);
        if (invalid !== undefined) throw new Error(`a request the API would refuse was sent: ${invalid}`);
        await process.close();
      }),
      { numRuns: 60 },
    );
    expect(rewinds, "some gotos went through").to.be.above(10);
  });
});
