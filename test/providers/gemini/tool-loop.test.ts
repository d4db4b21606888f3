/**
 * A Gemini program's model/tool loop, end to end: the real `@google/genai` SDK over HTTP against
 * the fake Gemini server, with the same events and RunResult as on Anthropic.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { functionCallsReply, geminiResponseReply, geminiTextReply } from '../../../lib/testing/index.js';
import { priceOf } from '../../../lib/results/pricing.js';
import { signalled } from '../../support/promises.js';
import { echoTool, stubTool } from '../../support/tools.js';
import { expectValidGeminiRequests, type GeminiTestSetup, setupGeminiTest } from './support.js';

describe('a Gemini program runs the tool loop', () => {
  let t: GeminiTestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  it('answers parallel function calls in one user turn, in the order of the calls, by name (R5)', async () => {
    const slowStarted = signalled();
    const release = signalled();
    // The first call finishes last: its response must still come first.
    const slow = stubTool('slow', async (input) => {
      slowStarted.resolve();
      await release.promise;
      return { content: `slow:${String(input['value'])}`, isError: false };
    });
    const fast = stubTool('fast', async (input) => {
      await slowStarted.promise;
      release.resolve();
      return { content: `fast:${String(input['value'])}`, isError: false };
    });
    t = await setupGeminiTest({ tools: [slow, fast] });
    t.server.enqueue(
      functionCallsReply([{ name: 'slow', args: { value: 'a' } }, { name: 'fast', args: { value: 'b' } }], { text: 'Running both.', responseId: 'resp_1' }),
      geminiTextReply('Both done.'),
    );
    const toolEnd = sinon.spy();
    t.process.on('tool:end', toolEnd);
    const result = await t.process.run('go');
    expect(t.process.getLastMessage()).to.equal('Both done.');
    // The API gave no ids: llmproc's stand-in ids, never sent back.
    expect(toolEnd.getCalls().map((call) => call.args[0].toolUseId)).to.deep.equal(['gemini_call_resp_1_1', 'gemini_call_resp_1_0']);
    expect(t.bodies()[1]!.contents.slice(-2)).to.deep.equal([
      {
        role: 'model',
        parts: [{ text: 'Running both.' }, { functionCall: { name: 'slow', args: { value: 'a' } } }, { functionCall: { name: 'fast', args: { value: 'b' } } }],
      },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'slow', response: { output: 'slow:a' } } }, { functionResponse: { name: 'fast', response: { output: 'fast:b' } } }],
      },
    ]);
    expect(result.toolCalls.map((call) => [call.toolName, call.isError])).to.deep.equal([
      ['fast', false],
      ['slow', false],
    ]);
    expectValidGeminiRequests(t.server);
  });

  it('sends the ids the API gave back with the calls and their responses, and an error result as { error }', async () => {
    const failing = stubTool('failing', async () => ({ content: 'disk full', isError: true }));
    t = await setupGeminiTest({ tools: [failing, echoTool('alpha')] });
    t.server.enqueue(functionCallsReply([{ name: 'failing', id: 'fc_1' }, { name: 'alpha', args: { value: 'x' }, id: 'fc_2' }]), geminiTextReply('ok'));
    const result = await t.process.run('go');
    expect(result.toolCalls.map((call) => call.toolUseId).sort()).to.deep.equal(['fc_1', 'fc_2']);
    const [model, user] = t.bodies()[1]!.contents.slice(-2);
    expect(model!.parts.map((part) => part.functionCall?.id)).to.deep.equal(['fc_1', 'fc_2']);
    expect(user!.parts[0]).to.deep.equal({ functionResponse: { id: 'fc_1', name: 'failing', response: { error: 'disk full' } } });
    expect(user!.parts[1]!.functionResponse).to.include({ id: 'fc_2', name: 'alpha' });
    expectValidGeminiRequests(t.server);
  });

  it('sends a Gemini 3 program\'s reasoning effort as its thinking level', async () => {
    t = await setupGeminiTest({ model: 'gemini-3-flash-preview', parameters: { reasoningEffort: 'low' } });
    t.server.enqueue(geminiTextReply('ok'));
    await t.process.run('hello');
    expect(t.bodies()[0]!.generationConfig).to.deep.equal({ thinkingConfig: { thinkingLevel: 'LOW' } });
    expectValidGeminiRequests(t.server);
  });

  it('sends the system instruction, every tool as a function declaration with its JSON Schema, and the parameters', async () => {
    t = await setupGeminiTest({
      tools: [echoTool('alpha'), 'calculator'],
      parameters: { maxTokens: 321, temperature: 0.2, topP: 0.8, topK: 40, stopSequences: ['END'], seed: 7, thinking: { type: 'enabled', budgetTokens: 2048 }, toolChoice: { type: 'tool', name: 'alpha' } },
    });
    t.server.enqueue(geminiTextReply('ok'));
    await t.process.run('hello');
    const body = t.bodies()[0]!;
    expect(body.systemInstruction).to.deep.equal({ parts: [{ text: 'You are a test.' }], role: 'user' });
    expect(body.contents).to.deep.equal([{ role: 'user', parts: [{ text: 'hello' }] }]);
    const declarations = body.tools![0]!.functionDeclarations;
    expect(declarations.map((declaration) => declaration.name).sort()).to.deep.equal(['alpha', 'calculator']);
    expect(declarations.find((declaration) => declaration.name === 'calculator')!.parametersJsonSchema).to.deep.include({ type: 'object', required: ['expression'] });
    expect(body.generationConfig).to.deep.equal({
      maxOutputTokens: 321,
      temperature: 0.2,
      topP: 0.8,
      topK: 40,
      stopSequences: ['END'],
      seed: 7,
      thinkingConfig: { thinkingBudget: 2048 },
    });
    expect(body.toolConfig).to.deep.equal({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['alpha'] } });
    expect(t.server.requests[0]!.headers['x-goog-api-key']).to.be.a('string');
    expect(t.server.requests[0]!.gemini).to.deep.include({ api: 'gemini', model: 'gemini-2.5-flash', method: 'generateContent' });
  });

  it('puts usage and cost in the RunResult: input = prompt - cached, output = answer + thoughts, priced from the google catalog', async () => {
    t = await setupGeminiTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(
      functionCallsReply([{ name: 'alpha', args: { value: 'x' } }], { usage: { promptTokenCount: 1200, cachedContentTokenCount: 1000, candidatesTokenCount: 30, thoughtsTokenCount: 70 } }),
      geminiTextReply('done', { usage: { promptTokenCount: 1300, candidatesTokenCount: 10 } }),
    );
    const apiCall = sinon.spy();
    t.process.on('api:call', apiCall);
    const result = await t.process.run('go');
    expect(result.usage).to.deep.include({ inputTokens: 200 + 1300, cacheReadInputTokens: 1000, outputTokens: 100 + 10, cacheCreationInputTokens: 0 });
    expect(apiCall.firstCall.args[0].usage).to.deep.include({ promptTokenCount: 1200, cachedContentTokenCount: 1000, thoughtsTokenCount: 70 });
    const price = priceOf('gemini-2.5-flash', 'google')!;
    expect(price).to.not.equal(undefined);
    const expected = (200 * price.input + 1000 * price.cacheRead + 100 * price.output + 1300 * price.input + 10 * price.output) / 1e6;
    expect(result.costUsd).to.be.closeTo(expected, 1e-12);
    expect(result.apiCallInfos.map((info) => info.model)).to.deep.equal(['gemini-2.5-flash', 'gemini-2.5-flash']);
  });

  it('maps the finish reasons: MAX_TOKENS → max_tokens, SAFETY → refusal, a blocked prompt → refusal, others in lower case', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(
      geminiTextReply('cut', { finishReason: 'MAX_TOKENS' }),
      geminiResponseReply({ parts: [], finishReason: 'SAFETY' }),
      geminiResponseReply({ blockReason: 'PROHIBITED_CONTENT' }),
      geminiResponseReply({ parts: [], finishReason: 'MALFORMED_FUNCTION_CALL' }),
    );
    const reasons: string[] = [];
    for (const input of ['a', 'b', 'c', 'd']) reasons.push(String((await t.process.run(input)).stopReason));
    expect(reasons).to.deep.equal(['max_tokens', 'refusal', 'refusal', 'malformed_function_call']);
    expectValidGeminiRequests(t.server);
  });

  it('sends a thought signature back on the part that carried it', async () => {
    t = await setupGeminiTest({ tools: [echoTool('alpha')] });
    t.server.enqueue(functionCallsReply([{ name: 'alpha', args: { value: 'x' } }], { thoughtSignature: 'c2lnbmF0dXJl' }), geminiTextReply('ok'));
    await t.process.run('go');
    const model = t.bodies()[1]!.contents[1]!;
    expect(model.parts).to.deep.equal([{ functionCall: { name: 'alpha', args: { value: 'x' } }, thoughtSignature: 'c2lnbmF0dXJl' }]);
    expectValidGeminiRequests(t.server);
  });
});
