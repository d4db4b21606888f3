import { expect } from 'chai';
import { LLMProgram, type LLMProgramOptions } from '../../../lib/program/llm-program.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { RunOptions } from '../../../lib/process/run-options.js';
import { costOf, type ModelPrice, setModelPrice } from '../../../lib/results/pricing.js';
import type { RunResult } from '../../../lib/results/run-result.js';
import { checkMessagesRequest, type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply, withoutCaching } from '../../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../../support/setup.js';
import { stubTool } from '../../support/tools.js';
import { withEnv } from '../openai/support.js';

const MODEL = 'claude-cache-test';
/** Sonnet's rates, set for the test model so costs are known. */
const PRICE: ModelPrice = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75, cacheWrite1h: 6 };
/** About 1,500 tokens: past the 1,024-token minimum of the fake server's cache. */
const SYSTEM = 'You follow the house rules. '.repeat(220);
const TURNS = 3;

/** A tool whose results grow with each call. */
const reader = stubTool('read', async (input) => ({ content: `page ${String(input['value'])}: ${'lorem ipsum '.repeat(40 * Number(input['value']))}`, isError: false }));

interface Loop {
  server: FakeAnthropicServer;
  process: LLMProcess;
  result: RunResult;
  bodies: Array<Record<string, unknown>>;
}

/** Runs a tool loop of `TURNS` tool calls and a final answer against a fake server with a prompt cache. */
async function runLoop(options: RunOptions = {}, program: Partial<LLMProgramOptions> = {}): Promise<Loop> {
  const server = await startFakeAnthropic({ promptCache: true });
  for (let i = 1; i <= TURNS; i += 1) server.enqueue(toolUseReply([{ name: 'read', input: { value: String(i) }, id: `toolu_${i}` }], { usage: { output_tokens: 20 } }));
  server.enqueue(textReply('Read them all.', { usage: { output_tokens: 10 } }));
  const process = await new LLMProgram({ model: MODEL, systemPrompt: SYSTEM, tools: [reader], ...program }).start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
  try {
    const result = await process.run('Read pages 1 to 3.', options);
    for (const request of server.requests) expect(checkMessagesRequest(request.body), 'a valid request').to.equal(undefined);
    return { server, process, result, bodies: server.requests.map((request) => request.body as Record<string, unknown>) };
  } finally {
    await process.close();
    await server.close();
  }
}

const hasMarks = (body: unknown): boolean => JSON.stringify(body).includes('cache_control');

describe('automatic prompt caching (Anthropic)', () => {
  let restoreEnv: (() => void) | undefined;
  before(() => setModelPrice(MODEL, PRICE));
  after(() => setModelPrice(MODEL, undefined));
  beforeEach(() => {
    // The suite may run with the kill switch set; these tests say what they need.
    restoreEnv = withEnv({ LLMPROC_DISABLE_AUTOMATIC_CACHING: undefined });
  });
  afterEach(() => restoreEnv?.());

  it('is on by default: each call of a tool loop reads the whole previous prompt from the cache and writes only what is new', async () => {
    const { result, bodies } = await runLoop();
    expect(bodies).to.have.length(TURNS + 1);
    for (const body of bodies) expect(JSON.stringify(body).match(/"cache_control"/g), 'at most 4 breakpoints').to.have.length.within(2, 4);
    const calls = result.apiCallInfos.map((call) => call.tokens);
    expect(calls[0]).to.deep.include({ cacheReadInputTokens: 0, inputTokens: 0 });
    expect(calls[0]!.cacheCreationInputTokens).to.be.above(1500);
    for (let i = 1; i < calls.length; i += 1) {
      const previous = calls[i - 1]!;
      expect(calls[i]!.cacheReadInputTokens, `call ${i + 1} reads the prompt of call ${i}`).to.equal(previous.cacheReadInputTokens + previous.cacheCreationInputTokens + previous.inputTokens);
      expect(calls[i]!.cacheCreationInputTokens, `call ${i + 1} writes its new messages`).to.be.above(0).and.below(calls[0]!.cacheCreationInputTokens);
      expect(calls[i]!.inputTokens).to.equal(0);
    }
    const sum = (key: 'inputTokens' | 'outputTokens' | 'cacheReadInputTokens' | 'cacheCreationInputTokens') => calls.reduce((total, call) => total + call[key], 0);
    expect(result.usage).to.deep.equal({
      inputTokens: sum('inputTokens'),
      outputTokens: sum('outputTokens'),
      cacheReadInputTokens: sum('cacheReadInputTokens'),
      cacheCreationInputTokens: sum('cacheCreationInputTokens'),
    });
    for (const call of result.apiCallInfos) expect(call.costUsd).to.be.closeTo(costOf(PRICE, call.tokens)!, 1e-12);
    const expected = (sum('inputTokens') * 3 + sum('outputTokens') * 15 + sum('cacheReadInputTokens') * 0.3 + sum('cacheCreationInputTokens') * 3.75) / 1e6;
    expect(result.costUsd).to.be.closeTo(expected, 1e-9);
  });

  it('never changes what the model sees: every request equals the one sent with caching off, cache_control stripped', async () => {
    const on = await runLoop();
    const off = await runLoop({ promptCaching: false });
    expect(off.bodies.some(hasMarks), 'caching off: no marks').to.equal(false);
    expect(on.bodies.map(withoutCaching)).to.deep.equal(off.bodies);
    expect(on.result.lastMessage).to.equal(off.result.lastMessage);
  });

  it('off (run option), the prompt is billed as input every call, and with caching the input costs under half as much over 4 calls', async () => {
    const on = await runLoop();
    const off = await runLoop({ promptCaching: false });
    for (const call of off.result.apiCallInfos) expect(call.tokens).to.deep.include({ cacheReadInputTokens: 0, cacheCreationInputTokens: 0 });
    const prompt = (tokens: RunResult['usage']) => tokens.inputTokens + tokens.cacheReadInputTokens + tokens.cacheCreationInputTokens;
    expect(prompt(on.result.usage), 'the same prompts').to.equal(prompt(off.result.usage));
    const inputCost = (result: RunResult) => result.costUsd! - (result.usage.outputTokens * 15) / 1e6;
    expect(inputCost(on.result) / inputCost(off.result), 'about 0.46 over 4 calls').to.be.below(0.5);
  });

  it('is off with the program\'s [run] setting, and a run\'s promptCaching: true wins over it', async () => {
    const program = { run: { promptCaching: false } };
    expect((await runLoop({}, program)).bodies.some(hasMarks)).to.equal(false);
    expect((await runLoop({ promptCaching: true }, program)).bodies.every(hasMarks)).to.equal(true);
  });

  it('a run that turns it off turns it off for its forks too; on, a fork\'s requests are marked', async () => {
    for (const promptCaching of [false, true]) {
      const server = await startFakeAnthropic();
      server.enqueue(toolUseReply([{ name: 'fork', input: { prompts: ['task A'] }, id: 'toolu_fork' }]));
      server.respondWith(() => textReply('Done.'));
      const process = await new LLMProgram({ model: MODEL, systemPrompt: SYSTEM, tools: ['fork'] }).start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
      try {
        await process.run('Fork one task.', { promptCaching });
        expect(server.requests).to.have.length(3);
        for (const request of server.requests) expect(hasMarks(request.body), `promptCaching: ${promptCaching}`).to.equal(promptCaching);
      } finally {
        await process.close();
        await server.close();
      }
    }
  });

  it('is off for every run when LLMPROC_DISABLE_AUTOMATIC_CACHING=1, whatever the run says', async () => {
    restoreEnv?.();
    restoreEnv = withEnv({ LLMPROC_DISABLE_AUTOMATIC_CACHING: '1' });
    const loop = await runLoop({ promptCaching: true });
    expect(loop.bodies.some(hasMarks)).to.equal(false);
    expect(loop.result.usage.cacheReadInputTokens).to.equal(0);
  });

  it('reads LLMPROC_DISABLE_AUTOMATIC_CACHING when the process starts: a change after start() does not reach its runs', async () => {
    const server = await startFakeAnthropic({ promptCache: true });
    const program = new LLMProgram({ model: MODEL, systemPrompt: SYSTEM });
    const started = async (): Promise<LLMProcess> => program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
    const on = await started();
    restoreEnv?.();
    restoreEnv = withEnv({ LLMPROC_DISABLE_AUTOMATIC_CACHING: '1' });
    const off = await started();
    try {
      for (const process of [on, off, on]) {
        server.enqueue(textReply('Hi.'));
        await process.run('Hello.');
      }
      expect(server.requests.map((request) => hasMarks(request.body))).to.deep.equal([true, false, true]);
    } finally {
      await on.close();
      await off.close();
      await server.close();
    }
  });

  it('with promptCacheTtl 1h, marks with ttl 1h and bills the writes at the 1-hour price', async () => {
    const { result, bodies } = await runLoop({ promptCacheTtl: '1h' });
    for (const body of bodies) expect(JSON.stringify(body)).to.include('"cache_control":{"type":"ephemeral","ttl":"1h"}').and.not.include('"cache_control":{"type":"ephemeral"}');
    for (const call of result.apiCallInfos) {
      expect(call.tokens.cacheCreation1hInputTokens).to.equal(call.tokens.cacheCreationInputTokens);
      const { inputTokens, outputTokens, cacheReadInputTokens, cacheCreationInputTokens } = call.tokens;
      expect(call.costUsd).to.be.closeTo((inputTokens * 3 + outputTokens * 15 + cacheReadInputTokens * 0.3 + cacheCreationInputTokens * 6) / 1e6, 1e-12);
    }
    expect(result.usage.cacheCreation1hInputTokens).to.equal(result.usage.cacheCreationInputTokens);
    expect(result.toJSON().usage).to.have.property('cacheCreation1hInputTokens', result.usage.cacheCreationInputTokens);
  });
});
