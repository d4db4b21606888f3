/** The OpenAI provider on its own: the SDK over HTTP against the fake server, without the loop. */
import { expect } from 'chai';
// A second copy of the SDK: mocha loads tests as CommonJS, the provider loads the ESM build.
import OpenAICommonJS from 'openai';
import { inspect } from 'node:util';
import { loadPriceCatalog } from '../../../lib/results/pricing.js';
import { loadOpenAISdk, type OpenAISdk } from '../../../lib/providers/openai/load-sdk.js';
import { OpenAIProvider } from '../../../lib/providers/openai/openai-provider.js';
import type { ModelRequest } from '../../../lib/providers/types.js';
import { chatReply, dropConnection, type FakeOpenAIServer, openAIErrorReply, startFakeOpenAI, streamHang } from '../../../lib/testing/index.js';
import { rejectionOf } from '../../support/promises.js';
import { dumpAll } from '../../reliability/leak-scan.js';
import { OPENAI_SENTINEL_API_KEY } from './support.js';

const request: ModelRequest = { model: 'gpt-4o-mini', system: undefined, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], parameters: {} };

describe('OpenAIProvider', () => {
  let server: FakeOpenAIServer;
  let sdk: OpenAISdk;
  let provider: OpenAIProvider;
  beforeEach(async () => {
    server = await startFakeOpenAI();
    sdk = await loadOpenAISdk();
    provider = new OpenAIProvider(new sdk.openai.OpenAI({ apiKey: OPENAI_SENTINEL_API_KEY, baseURL: server.baseURL, maxRetries: 0 }), sdk);
  });
  afterEach(() => server.close());

  it('is named openai and priced from the openai catalog', async () => {
    await loadPriceCatalog();
    expect(provider.name).to.equal('openai');
    expect(provider.priceOf('gpt-4o-mini')).to.deep.include({ input: 0.15, output: 0.6, cacheRead: 0.075 });
    expect(provider.priceOf('llama3.2')).to.equal(undefined);
  });

  it('sends extraHeaders as request headers', async () => {
    server.enqueue(chatReply('ok'));
    await provider.complete({ ...request, parameters: { extraHeaders: { 'x-trace-id': 'trace-1' } } });
    expect(server.requests[0]!.headers['x-trace-id']).to.equal('trace-1');
    expect(server.requests[0]!.body).not.to.have.property('extraHeaders');
  });

  it('R4: a stream aborted midway rejects with the SDK abort error, never a partial turn', async () => {
    server.enqueue(streamHang(chatReply('never complete'), { afterEvents: 2 }));
    const controller = new AbortController();
    const error = await rejectionOf(provider.complete(request, { stream: true, signal: controller.signal, onText: () => controller.abort() }));
    expect(error).to.be.instanceOf(sdk.openai.APIUserAbortError);
    expect(provider.describeError(error).message).to.match(/^The request to the OpenAI-compatible server at http:\/\/127\.0\.0\.1:\d+\/v1 was aborted\.$/);
  });

  it('works with a client built from another copy of the package (CommonJS here): streams, and describes its API errors', async () => {
    const foreign = new OpenAIProvider(new OpenAICommonJS({ apiKey: OPENAI_SENTINEL_API_KEY, baseURL: server.baseURL, maxRetries: 0 }), sdk);
    server.enqueue(chatReply('from the other copy'), openAIErrorReply(429, { message: 'slow down' }));
    const texts: string[] = [];
    const turn = await foreign.complete(request, { stream: true, onText: (delta) => void texts.push(delta) });
    expect(turn.content).to.deep.equal([{ type: 'text', text: 'from the other copy' }]);
    expect(texts).to.deep.equal(['from ', 'the ', 'other ', 'copy']);
    const error = await rejectionOf(foreign.complete(request));
    expect(error).to.be.instanceOf(OpenAICommonJS.RateLimitError).and.not.instanceOf(sdk.openai.RateLimitError);
    expect(foreign.describeError(error)).to.deep.include({ status: 429, requestId: 'req_fake_2' });
    expect(foreign.describeError(error).message).to.include('answered 429 (rate_limit_exceeded): slow down');
  });

  describe('describeError', () => {
    it('gives the status, the x-request-id and the API message', async () => {
      server.enqueue(openAIErrorReply(429, { message: 'Rate limit reached for gpt-4o-mini.' }));
      const error = await rejectionOf(provider.complete(request));
      expect(error).to.be.instanceOf(sdk.openai.RateLimitError);
      expect(provider.describeError(error)).to.deep.equal({
        message: `The OpenAI-compatible server at ${server.baseURL} answered 429 (rate_limit_exceeded): Rate limit reached for gpt-4o-mini. [request req_fake_1]`,
        status: 429,
        requestId: 'req_fake_1',
      });
    });

    it('a 404 names the model asked for and the base URL', async () => {
      server.enqueue(openAIErrorReply(404, { message: 'The model `gpt-9` does not exist or you do not have access to it.' }));
      const error = await rejectionOf(provider.complete({ ...request, model: 'gpt-9' }));
      const { message, status } = provider.describeError(error);
      expect(status).to.equal(404);
      expect(message).to.include('answered 404 (model_not_found): The model `gpt-9` does not exist');
      expect(message).to.include(`The model "gpt-9" may not exist there, or the base URL (${server.baseURL}) may be wrong`);
    });

    it('a connection failure names the base URL', async () => {
      server.enqueue(dropConnection());
      const error = await rejectionOf(provider.complete(request));
      expect(error).to.be.instanceOf(sdk.openai.APIConnectionError);
      expect(provider.describeError(error).message).to.equal(`Could not reach the OpenAI-compatible server at ${server.baseURL}: Connection error.`);
    });

    it('a short test key (not a real one) is not cut out of the words of a message', async () => {
      const short = new OpenAIProvider(new sdk.openai.OpenAI({ apiKey: 'k', baseURL: server.baseURL, maxRetries: 0 }), sdk);
      server.enqueue(openAIErrorReply(429, { message: 'fake requests, kindly slow down' }));
      const error = await rejectionOf(short.complete(request));
      expect(short.describeError(error).message).to.include('fake requests, kindly slow down [request req_fake_1]');
    });

    it("labels OpenAI's own API as the OpenAI API", () => {
      const openai = new OpenAIProvider(new sdk.openai.OpenAI({ apiKey: 'k', baseURL: 'https://api.openai.com/v1' }), sdk);
      expect(openai.describeError(new Error('boom')).message).to.equal('The OpenAI API call failed: boom');
    });

    it('R19: a key the error body echoes is removed from the error and from the description', async () => {
      server.enqueue(openAIErrorReply(401, { message: `Incorrect API key provided: ${OPENAI_SENTINEL_API_KEY}.` }));
      const error = await rejectionOf(provider.complete(request));
      expect(error).to.be.instanceOf(sdk.openai.AuthenticationError);
      expect(dumpAll(error) + inspect(error, { depth: 10, showHidden: true })).not.to.include(OPENAI_SENTINEL_API_KEY);
      const described = provider.describeError(error);
      expect(described.message).to.include('Incorrect API key provided: [redacted].');
      expect(described.message).not.to.include(OPENAI_SENTINEL_API_KEY);
    });
  });
});
