/**
 * A Gemini program's API failures (R1, R2, R19): the SDK's own retries of 429 and 5xx, then an
 * ApiCallError naming Gemini with the SDK's `ApiError` as `cause`; aborts; the key in no output.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import sinon from 'sinon';
import { ApiCallError, RunAbortedError } from '../../../lib/errors.js';
import { dropConnection, functionCallsReply, geminiErrorReply, geminiTextReply, hang, streamHang } from '../../../lib/testing/index.js';
import { dumpAll } from '../../reliability/leak-scan.js';
import { rejectionOf } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { expectValidGeminiRequests, GEMINI_SENTINEL_API_KEY, type GeminiTestSetup, setupGeminiTest } from './support.js';

describe('API failures of a Gemini program', () => {
  let t: GeminiTestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  it('R1: the SDK retries a 429 and a 500 by itself; the run sees one successful call', async () => {
    t = await setupGeminiTest({}, { maxRetries: 2 });
    t.server.enqueue(geminiErrorReply(429), geminiErrorReply(500), geminiTextReply('third time lucky'));
    const result = await t.process.run('go');
    expect(t.process.getLastMessage()).to.equal('third time lucky');
    expect(t.server.requests).to.have.length(3);
    expect(result.apiCalls).to.equal(1);
  });

  it("R1: after the SDK gives up, ApiCallError keeps the SDK's ApiError and status, and the conversation stays valid", async () => {
    t = await setupGeminiTest({ tools: [echoTool('alpha')] }, { maxRetries: 1 });
    t.server.enqueue(functionCallsReply([{ name: 'alpha', args: { value: 'x' } }]), geminiErrorReply(429), geminiErrorReply(429, { message: 'Resource has been exhausted (e.g. check quota).' }));
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    const { ApiError } = await import('@google/genai');
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.cause).to.be.instanceOf(ApiError);
    expect(error.status).to.equal(429);
    expect(error.message).to.equal(`The Gemini API at ${t.server.url} answered 429 (RESOURCE_EXHAUSTED): Resource has been exhausted (e.g. check quota).`);
    expect(error.runResult).to.include({ apiCalls: 1, stopReason: 'error' });
    t.server.enqueue(geminiTextReply('back'));
    await t.process.run('again');
    expectValidGeminiRequests(t.server);
  });

  it('a 400 is not retried, and the error names Gemini and the API\'s reason', async () => {
    t = await setupGeminiTest({}, { maxRetries: 3 });
    t.server.enqueue(geminiErrorReply(400, { message: 'Invalid JSON payload received. Unknown name "foo".' }));
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    expect(error.status).to.equal(400);
    expect(error.message).to.include('Gemini API').and.include('answered 400 (INVALID_ARGUMENT): Invalid JSON payload received.');
    expect(t.server.requests).to.have.length(1);
  });

  it('an unknown model: the 404 message names the model', async () => {
    t = await setupGeminiTest({ model: 'gemini-nonexistent' }, {}, { models: ['gemini-2.5-flash'] });
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    expect(error.status).to.equal(404);
    expect(error.message).to.include('models/gemini-nonexistent').and.include('The model "gemini-nonexistent" may not exist there');
  });

  it('a dropped connection says it could not reach the Gemini API', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(dropConnection());
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.message).to.match(/^Could not reach the Gemini API at http:\/\/127\.0\.0\.1:\d+: /);
  });

  it('R2: an abort during a request rejects with RunAbortedError, and the next run starts clean', async () => {
    t = await setupGeminiTest();
    const controller = new AbortController();
    t.server.respondWith(() => {
      controller.abort();
      return hang();
    });
    const error = (await rejectionOf(t.process.run('go', { signal: controller.signal }))) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError).with.property('reason', 'aborted');
    t.server.respondWith(() => geminiTextReply('fresh start'));
    await t.process.run('again');
    expect(t.process.getLastMessage()).to.equal('fresh start');
    expectValidGeminiRequests(t.server);
  });

  it('R4: an abort midway through a stream rejects, and no partial turn is kept', async () => {
    t = await setupGeminiTest();
    t.server.enqueue(streamHang(geminiTextReply('words that never finish arriving'), { afterEvents: 2 }));
    const controller = new AbortController();
    t.process.on('text', () => controller.abort());
    const error = (await rejectionOf(t.process.run('go', { stream: true, signal: controller.signal }))) as RunAbortedError;
    expect(error).to.be.instanceOf(RunAbortedError);
    expect(t.process.getState().filter((message) => message.role === 'assistant')).to.have.length(0);
  });

  it('R19: the key never appears in events, the RunResult, errors or output, even when the API echoes it', async () => {
    t = await setupGeminiTest({ tools: [echoTool('alpha')] });
    const seen: unknown[] = [];
    for (const name of ['run:start', 'run:end', 'api:start', 'api:call', 'text', 'response', 'tool:start', 'tool:end'] as const) {
      t.process.on(name, (payload: unknown) => void seen.push(payload));
    }
    t.server.enqueue(functionCallsReply([{ name: 'alpha', args: { value: 'x' } }]), geminiTextReply('streamed answer'));
    const ok = await t.process.run('go', { stream: true });
    t.server.enqueue(geminiErrorReply(400, { message: `API key not valid: ${GEMINI_SENTINEL_API_KEY}` }));
    const refused = (await rejectionOf(t.process.run('again'))) as ApiCallError;
    expect(refused.message).to.include('API key not valid: [redacted]');
    const everything = [ok, refused, seen, t.process.getState()].map((value) => dumpAll(value) + inspect(value, { depth: 12, showHidden: true })).join('\n');
    expect(everything).not.to.include(GEMINI_SENTINEL_API_KEY);
    expect(JSON.stringify(t.server.requests.map((request) => request.body))).not.to.include(GEMINI_SENTINEL_API_KEY);
  });
});
