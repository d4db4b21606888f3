/**
 * An OpenAI program's API failures (R1, R19, R21): the SDK's own retries, then an ApiCallError
 * keeping the SDK's class, status and request id as `cause`; the key never in any output.
 */
import { expect } from 'chai';
import { inspect } from 'node:util';
import sinon from 'sinon';
import { ApiCallError } from '../../../lib/errors.js';
import { chatReply, openAIErrorReply, streamError, toolCallsReply } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { dumpAll } from '../../reliability/leak-scan.js';
import { echoTool } from '../../support/tools.js';
import { expectValidOpenAIRequests, OPENAI_SENTINEL_API_KEY, type OpenAITestSetup, setupOpenAITest } from './support.js';

describe('API failures of an OpenAI program', () => {
  let t: OpenAITestSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  it("R1: the SDK retries a 429 and a 500 by itself; the run sees one successful call", async () => {
    t = await setupOpenAITest({}, { maxRetries: 2 });
    t.server.enqueue(openAIErrorReply(429, { retryAfterMs: 1 }), openAIErrorReply(500, { retryAfterMs: 1 }), chatReply('third time lucky'));
    const result = await t.process.run('go');
    expect(t.process.getLastMessage()).to.equal('third time lucky');
    expect(t.server.requests).to.have.length(3);
    expect(result.apiCalls).to.equal(1);
    expect(result.apiCallInfos[0]!.requestId).to.equal('req_fake_3');
  });

  it("R1: after the SDK gives up, ApiCallError keeps the SDK's class, status and request id, and the partial RunResult", async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha')] }, { maxRetries: 1 });
    t.server.enqueue(toolCallsReply([{ name: 'alpha', arguments: { value: 'x' } }]), openAIErrorReply(429, { retryAfterMs: 1 }), openAIErrorReply(429, { retryAfterMs: 1, message: 'Rate limit reached.' }));
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    const { RateLimitError } = await import('openai');
    expect(error).to.be.instanceOf(ApiCallError);
    expect(error.cause).to.be.instanceOf(RateLimitError);
    expect(error).to.include({ status: 429, requestId: 'req_fake_3' });
    expect(error.message).to.equal(`The OpenAI-compatible server at ${t.server.baseURL} answered 429 (rate_limit_exceeded): Rate limit reached. [request req_fake_3]`);
    expect(error.runResult).to.include({ apiCalls: 1, stopReason: 'error', completed: true });
    expect(error.runResult.toolCalls).to.have.length(1);
    // The conversation is valid for the next run: the tool call was answered.
    t.server.enqueue(chatReply('back'));
    await t.process.run('again');
    expectValidOpenAIRequests(t.server);
  });

  it('a 400 is not retried: the fake API says why, and the error says so', async () => {
    t = await setupOpenAITest({}, { maxRetries: 3 });
    t.server.enqueue(openAIErrorReply(400, { message: "Invalid parameter: 'temperature' is not supported with this model." }));
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    const { BadRequestError } = await import('openai');
    expect(error.cause).to.be.instanceOf(BadRequestError);
    expect(error.status).to.equal(400);
    expect(error.message).to.include("answered 400 (invalid_request_error): Invalid parameter: 'temperature'");
    expect(t.server.requests).to.have.length(1);
  });

  it('an unknown model: the 404 message names the model', async () => {
    t = await setupOpenAITest({ model: 'gpt-nonexistent' });
    t.server.enqueue(openAIErrorReply(404, { message: 'The model `gpt-nonexistent` does not exist or you do not have access to it.' }));
    const error = (await rejectionOf(t.process.run('go'))) as ApiCallError;
    expect(error.status).to.equal(404);
    expect(error.message).to.include('The model "gpt-nonexistent" may not exist there');
  });

  it('R19: the key never appears in events, the RunResult, errors or output, even when the API echoes it', async () => {
    t = await setupOpenAITest({ tools: [echoTool('alpha')] });
    const seen: unknown[] = [];
    for (const name of ['run:start', 'run:end', 'api:start', 'api:call', 'text', 'response', 'tool:start', 'tool:end', 'callback:error'] as const) {
      t.process.on(name, (payload: unknown) => void seen.push(payload));
    }
    t.server.enqueue(toolCallsReply([{ name: 'alpha', arguments: { value: 'x' } }]), chatReply('streamed answer'));
    const ok = await t.process.run('go', { stream: true });
    t.server.enqueue(openAIErrorReply(401, { message: `Incorrect API key provided: ${OPENAI_SENTINEL_API_KEY}. You can find your API key at https://platform.openai.com/account/api-keys.` }));
    const unauthorized = (await rejectionOf(t.process.run('again'))) as ApiCallError;
    t.server.enqueue(streamError(chatReply('cut'), { afterEvents: 2, type: 'server_error', message: `proxy saw key ${OPENAI_SENTINEL_API_KEY}` }));
    const midStream = (await rejectionOf(t.process.run('third', { stream: true }))) as ApiCallError;
    expect(unauthorized).to.be.instanceOf(ApiCallError).with.property('status', 401);
    expect(unauthorized.message).to.include('Incorrect API key provided: [redacted].');
    expect(midStream.message).to.include('proxy saw key [redacted]');
    const everything = [ok, unauthorized, midStream, seen, t.process.getState()].map((value) => dumpAll(value) + inspect(value, { depth: 12, showHidden: true })).join('\n');
    expect(everything).not.to.include(OPENAI_SENTINEL_API_KEY);
    expect(JSON.stringify(t.server.requests.map((request) => request.body))).not.to.include(OPENAI_SENTINEL_API_KEY);
  });
});
