import { expect } from 'chai';
import sinon from 'sinon';
import { ApiCallError, RunError } from '../../../lib/errors.js';
import { costOf, priceOf } from '../../../lib/results/pricing.js';
import { errorReply, messageReply, textReply, toolUseReply, withoutCaching } from '../../../lib/testing/index.js';
import { everything } from '../../reliability/leak-scan.js';
import { rejectionOf } from '../../support/promises.js';
import { echoTool } from '../../support/tools.js';
import { ACCESS_TOKEN, modelPath, setupVertex, VERTEX_MODEL, type VertexSetup } from './support.js';

describe('provider = "anthropic_vertex" (Claude on Vertex AI)', () => {
  let t: VertexSetup | undefined;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
  });

  describe('when a run calls tools', () => {
    it('posts each call to the model’s :rawPredict path with the access token, no model in the body and an anthropic_version', async () => {
      t = await setupVertex({ tools: [echoTool('echo')] });
      t.server.enqueue(toolUseReply([{ name: 'echo', input: { value: 'a' }, id: 'toolu_v1' }]), textReply('done'));
      const result = await t.process.run('echo a');
      expect(result).to.include({ apiCalls: 2, stopReason: 'end_turn', lastMessage: 'done' });
      expect(t.server.requests.map((request) => request.path)).to.deep.equal([modelPath('rawPredict'), modelPath('rawPredict')]);
      for (const request of t.server.requests) {
        expect(request.headers['authorization']).to.equal(`Bearer ${ACCESS_TOKEN}`);
        expect(request.headers).not.to.have.property('x-api-key');
        expect(request.headers, 'Vertex takes the version from the body').not.to.have.property('anthropic-version');
        expect(request.vertex).to.deep.equal({ project: 'test-project', region: 'us-east5', model: VERTEX_MODEL, method: 'rawPredict' });
      }
      const [first, second] = t.bodies();
      expect(first).not.to.have.property('model');
      expect(first!['anthropic_version']).to.be.a('string').and.match(/^(vertex-)?\d{4}-\d{2}-\d{2}$/);
      expect(withoutCaching(first)!['tools']).to.deep.equal([{ name: 'echo', description: 'The echo test tool.', input_schema: { type: 'object', properties: { value: { type: 'string' } } } }]);
      // Automatic prompt caching marks Vertex requests as it does the Messages API's.
      expect(JSON.stringify(first)).to.include('"cache_control":{"type":"ephemeral"}');
      expect(withoutCaching(second)!.messages.at(-1)).to.deep.equal({ role: 'user', content: [{ type: 'tool_result', tool_use_id: 'toolu_v1', content: [{ type: 'text', text: 'echo:a' }] }] });
      expect(second!.messages.at(-1)).to.have.nested.property('content[0].cache_control.type', 'ephemeral');
    });

    it('prices the calls from the google catalog and reports the model the API named', async () => {
      t = await setupVertex();
      t.server.enqueue(textReply('hi', { usage: { input_tokens: 1000, output_tokens: 200, cache_read_input_tokens: 100 } }));
      const result = await t.process.run('hello');
      const tokens = { inputTokens: 1000, outputTokens: 200, cacheReadInputTokens: 100, cacheCreationInputTokens: 0 };
      const expected = costOf(priceOf(VERTEX_MODEL, 'google'), tokens);
      expect(expected).to.be.a('number').and.greaterThan(0);
      expect(result.costUsd).to.be.closeTo(expected!, 1e-12);
      expect(result.apiCallInfos[0]).to.include({ model: VERTEX_MODEL, costUsd: result.costUsd });
    });
  });

  describe('when a run streams', () => {
    it('posts to :streamRawPredict and emits the text as it arrives', async () => {
      t = await setupVertex();
      const text = sinon.spy();
      t.process.on('text', text);
      t.server.enqueue(textReply('streamed from Vertex'));
      const result = await t.process.run('go', { stream: true });
      expect(t.server.requests[0]!.path).to.equal(modelPath('streamRawPredict'));
      expect(t.bodies()[0]).to.include({ stream: true }).and.not.have.property('model');
      expect(result.lastMessage).to.equal('streamed from Vertex');
      expect(text.callCount).to.be.greaterThan(1);
      expect(text.lastCall.args[0]).to.include({ snapshot: 'streamed from Vertex' });
      expect(result.apiCallInfos[0]!.timeToFirstTokenMs).to.be.a('number');
    });
  });

  describe('when the API fails', () => {
    it('a model Vertex does not serve rejects with a 404 that names the model and "Claude on Vertex AI"', async () => {
      t = await setupVertex({ model: 'claude-nonexistent@20990101' });
      const error = await rejectionOf(t.process.run('hello'));
      expect(error).to.be.instanceOf(ApiCallError);
      const failure = error as ApiCallError;
      expect(failure.status).to.equal(404);
      expect(failure.message).to.match(/^Claude on Vertex AI answered 404: /);
      expect(failure.message).to.include('publishers/anthropic/models/claude-nonexistent@20990101');
      expect(failure.runResult.stopReason).to.equal('error');
    });

    it('an API error keeps the SDK’s error as cause, with its status, type and request id, across the SDK’s module copies', async () => {
      t = await setupVertex();
      t.server.enqueue(errorReply(529));
      const error = (await rejectionOf(t.process.run('hello', { stream: true }))) as ApiCallError;
      expect(error).to.be.instanceOf(ApiCallError);
      expect(error).to.include({ status: 529, requestId: 'req_fake_1' });
      expect(error.message).to.equal('Claude on Vertex AI answered 529 (overloaded_error): fake overloaded_error [request req_fake_1]');
      // The Vertex SDK is loaded as an ES module: its errors are the ES build's classes.
      const esm = await import('@anthropic-ai/sdk');
      expect(error.cause).to.be.instanceOf(esm.APIError);
      expect(error.cause).to.include({ status: 529 });
    });

    it('retries are the SDK’s: maxRetries 1 means two attempts, then the run rejects', async () => {
      t = await setupVertex({}, { maxRetries: 1 });
      t.server.enqueue(errorReply(500, { retryAfterMs: 0 }), errorReply(500, { retryAfterMs: 0 }));
      const error = (await rejectionOf(t.process.run('hello'))) as ApiCallError;
      expect(error.status).to.equal(500);
      expect(t.server.requests).to.have.length(2);
    });

    it('R19: an error body that echoes the access token carries no trace of it into the error', async () => {
      t = await setupVertex();
      t.server.enqueue(errorReply(400, { message: `invalid token ${ACCESS_TOKEN}` }));
      const error = await rejectionOf(t.process.run('hello'));
      expect(error).to.be.instanceOf(RunError);
      expect(everything(error)).not.to.include(ACCESS_TOKEN);
      expect((error as Error).message).to.include('invalid token [redacted]');
    });

    it('a wrong token gets Google’s 401, described with its status', async () => {
      t = await setupVertex({}, { accessToken: 'ya29.not-the-right-one' });
      const error = (await rejectionOf(t.process.run('hello'))) as ApiCallError;
      expect(error.status).to.equal(401);
      expect(error.message).to.equal(
        'Claude on Vertex AI answered 401: Request had invalid authentication credentials. Expected OAuth 2 access token. [request req_fake_1]',
      );
    });

    it('an unreachable server is named with the base URL', async () => {
      t = await setupVertex();
      await t.server.close();
      const error = (await rejectionOf(t.process.run('hello'))) as ApiCallError;
      expect(error.message).to.equal(`Could not reach Claude on Vertex AI at ${t.server.vertexUrl}: Connection error.`);
    });
  });

  describe('when extended thinking is on', () => {
    it('sends the thinking blocks back unchanged, opening the turn whose tool calls it answers', async () => {
      t = await setupVertex({ tools: [echoTool('echo')], parameters: { maxTokens: 4000, thinking: { type: 'enabled', budgetTokens: 2048 } } });
      const thinking = { type: 'thinking', thinking: 'I should echo.', signature: 'sig-vertex-1' };
      t.server.enqueue(
        messageReply({ content: [thinking, { type: 'tool_use', id: 'toolu_t1', name: 'echo', input: { value: 'x' } }], stop_reason: 'tool_use' }),
        textReply('echoed'),
      );
      const result = await t.process.run('echo x', { stream: true });
      expect(result.lastMessage).to.equal('echoed');
      const [first, second] = t.bodies();
      expect(first!['thinking']).to.deep.equal({ type: 'enabled', budget_tokens: 2048 });
      expect(second!.messages[1]!.content[0]).to.deep.equal(thinking);
    });
  });

  describe('when the program sets provider parameters', () => {
    it('they reach Vertex as on the Anthropic API: tool_choice and metadata in the body, betas and extra headers as headers', async () => {
      t = await setupVertex({
        tools: [echoTool('echo')],
        parameters: { toolChoice: { type: 'tool', name: 'echo' }, metadata: { user_id: 'u-7' }, betas: ['context-1m-2025-08-07'], extraHeaders: { 'x-team': 'vertex' } },
      });
      t.server.enqueue(toolUseReply([{ name: 'echo', input: { value: 'v' } }], { stopReason: 'end_turn' }));
      await t.process.run('go');
      const [request] = t.server.requests;
      expect(request!.body).to.deep.include({ tool_choice: { type: 'tool', name: 'echo' }, metadata: { user_id: 'u-7' } });
      expect(request!.headers).to.include({ 'anthropic-beta': 'context-1m-2025-08-07', 'x-team': 'vertex' });
    });
  });

});
