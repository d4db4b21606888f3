import { expect } from 'chai';
import { type FakeAnthropicServer, messageReply, startFakeAnthropic, textReply } from '../../lib/testing/index.js';

const PATH = '/v1/projects/proj/locations/us-east5/publishers/anthropic/models/claude-x@20250101';
const BODY = { anthropic_version: 'vertex-2023-10-16', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] };

describe('the fake server on Claude on Vertex AI’s paths', () => {
  let server: FakeAnthropicServer;
  afterEach(async () => server?.close());

  const post = (path: string, body: unknown, headers: Record<string, string> = { authorization: 'Bearer tok' }) =>
    fetch(`${server.vertexUrl}${path.replace(/^\/v1/, '')}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  it('answers :rawPredict with the message for the model in the path, and records the route', async () => {
    server = await startFakeAnthropic();
    server.enqueue(textReply('hello'));
    const response = await post(`${PATH}:rawPredict`, BODY);
    expect(response.status).to.equal(200);
    expect(await response.json()).to.deep.include({ model: 'claude-x@20250101', content: [{ type: 'text', text: 'hello' }] });
    expect(server.requests[0]!.vertex).to.deep.equal({ project: 'proj', region: 'us-east5', model: 'claude-x@20250101', method: 'rawPredict' });
  });

  it('answers :streamRawPredict with server-sent events', async () => {
    server = await startFakeAnthropic();
    server.enqueue(textReply('hello'));
    const response = await post(`${PATH}:streamRawPredict`, { ...BODY, stream: true });
    expect(response.headers.get('content-type')).to.match(/^text\/event-stream/);
    expect(await response.text()).to.include('event: message_start').and.include('"model":"claude-x@20250101"');
  });

  it('refuses what Vertex refuses, without using a queued reply', async () => {
    server = await startFakeAnthropic({ vertexAccessToken: 'tok' });
    server.enqueue(textReply('unused'));
    const cases: Array<[string, unknown, Record<string, string>, number, RegExp]> = [
      ['no bearer token', BODY, {}, 401, /UNAUTHENTICATED/],
      ['another token', BODY, { authorization: 'Bearer other' }, 401, /Expected OAuth 2 access token/],
      ['an API key instead', BODY, { 'x-api-key': 'tok' }, 401, /UNAUTHENTICATED/],
      ['a model in the body', { ...BODY, model: 'claude-x' }, { authorization: 'Bearer tok' }, 400, /model: Extra inputs are not permitted/],
      ['no anthropic_version', { max_tokens: 10, messages: BODY.messages }, { authorization: 'Bearer tok' }, 400, /anthropic_version: Field required/],
      ['an invalid conversation', { ...BODY, messages: [] }, { authorization: 'Bearer tok' }, 400, /messages: expected a non-empty array/],
    ];
    for (const [what, body, headers, status, message] of cases) {
      const response = await post(`${PATH}:rawPredict`, body, headers);
      expect(response.status, what).to.equal(status);
      expect(await response.text(), what).to.match(message);
    }
    expect(server.pending()).to.equal(1);
  });

  it('with models set, answers 404 for another model, in Google’s words on Vertex and the API’s on /v1/messages', async () => {
    server = await startFakeAnthropic({ models: ['claude-known'] });
    const vertex = await post(`${PATH}:rawPredict`, BODY);
    expect(vertex.status).to.equal(404);
    expect(await vertex.json()).to.deep.equal({
      error: { code: 404, status: 'NOT_FOUND', message: 'Publisher Model `projects/proj/locations/us-east5/publishers/anthropic/models/claude-x@20250101` not found.' },
    });
    const direct = await fetch(`${server.url}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ model: 'claude-x', max_tokens: 10, messages: BODY.messages }),
    });
    expect(direct.status).to.equal(404);
    expect(await direct.json()).to.deep.include({ error: { type: 'not_found_error', message: 'model: claude-x' } });
  });

  it('a thinking block it sent must come back unchanged', async () => {
    server = await startFakeAnthropic();
    const thinking = { type: 'thinking', thinking: 'I will call x.', signature: 'sig-9' };
    server.enqueue(messageReply({ content: [thinking, { type: 'tool_use', id: 't1', name: 'x', input: {} }], stop_reason: 'tool_use' }), textReply('ok'));
    await (await post(`${PATH}:rawPredict`, BODY)).json();
    const next = (block: unknown) => ({
      ...BODY,
      max_tokens: 2048,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [{ name: 'x', input_schema: { type: 'object' } }],
      messages: [BODY.messages[0], { role: 'assistant', content: [block, { type: 'tool_use', id: 't1', name: 'x', input: {} }] }, { role: 'user', content: [{ type: 'tool_result', tool_use_id: 't1' }] }],
    });
    const edited = await post(`${PATH}:rawPredict`, next({ ...thinking, thinking: 'I will not.' }));
    expect(edited.status).to.equal(400);
    expect(await edited.text()).to.include('Invalid `signature` in `thinking` block');
    expect((await post(`${PATH}:rawPredict`, next(thinking))).status).to.equal(200);
  });
});
