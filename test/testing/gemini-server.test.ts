/**
 * The fake Gemini server as the real `@google/genai` SDK sees it: JSON and SSE answers, the
 * Gemini API's and Vertex's paths, Google's error bodies and credential checks, faults, and
 * the scripted model behind it.
 */
import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import {
  checkGenerateContentRequest,
  delayed,
  type FakeGeminiServer,
  functionCallsReply,
  geminiErrorReply,
  geminiResponseChunks,
  geminiTextReply,
  malformedJson,
  startFakeGemini,
  startScriptedGemini,
  streamDrop,
  toScriptedGeminiRequest,
} from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { GEMINI_SENTINEL_API_KEY } from '../support/sentinel-keys.js';

describe('the fake Gemini server', () => {
  let server: FakeGeminiServer;
  beforeEach(async () => {
    server = await startFakeGemini();
  });
  afterEach(async () => server.close());

  const client = async (options: Record<string, unknown> = {}) => {
    const { GoogleGenAI } = await import('@google/genai');
    return new GoogleGenAI({ apiKey: GEMINI_SENTINEL_API_KEY, httpOptions: { baseUrl: server.url }, ...options });
  };

  it('answers generateContent with the scripted response, filling in the response id and the model of the path', async () => {
    server.enqueue(functionCallsReply([{ name: 'calc', args: { x: 1 } }], { text: 'Calling.', usage: { promptTokenCount: 7, candidatesTokenCount: 3, thoughtsTokenCount: 2 } }));
    const response = await (await client()).models.generateContent({ model: 'gemini-2.5-pro', contents: 'hi' });
    expect(response.responseId).to.equal('resp_fake_1');
    expect(response.modelVersion).to.equal('gemini-2.5-pro');
    expect(response.candidates![0]!.content!.parts).to.deep.equal([{ text: 'Calling.' }, { functionCall: { name: 'calc', args: { x: 1 } } }]);
    expect(response.usageMetadata).to.deep.equal({ promptTokenCount: 7, candidatesTokenCount: 3, thoughtsTokenCount: 2, totalTokenCount: 12 });
    expect(server.requests[0]!.gemini).to.deep.equal({ api: 'gemini', version: 'v1beta', model: 'gemini-2.5-pro', method: 'generateContent' });
  });

  it('streams on :streamGenerateContent: text in pieces, the finish reason and full usage on the last chunk', async () => {
    server.enqueue(geminiTextReply('one two three', { usage: { promptTokenCount: 9, candidatesTokenCount: 3 } }));
    const stream = await (await client()).models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((chunk) => chunk.candidates![0]!.content!.parts![0]!.text)).to.deep.equal(['one ', 'two ', 'three']);
    expect(chunks[0]!.usageMetadata).to.deep.equal({ promptTokenCount: 9, totalTokenCount: 9 });
    expect(chunks.at(-1)!.candidates![0]!.finishReason).to.equal('STOP');
    expect(chunks.at(-1)!.usageMetadata).to.deep.include({ candidatesTokenCount: 3 });
    expect(geminiResponseChunks({ candidates: [], usageMetadata: { promptTokenCount: 1, totalTokenCount: 1 } })).to.have.length(1);
  });

  it("refuses like the API: 403 without a key, 400 for a wrong one, 400 for an invalid body, without taking a queued reply", async () => {
    const keyed = await startFakeGemini({ apiKey: 'the-right-key-123' });
    try {
      const { GoogleGenAI } = await import('@google/genai');
      const wrong = new GoogleGenAI({ apiKey: 'wrong-key-456789', httpOptions: { baseUrl: keyed.url } });
      const missing = await fetch(`${keyed.url}/v1beta/models/m:generateContent`, { method: 'POST', body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) });
      expect(missing.status).to.equal(403);
      expect(((await missing.json()) as { error: { status: string } }).error.status).to.equal('PERMISSION_DENIED');
      const bad = (await rejectionOf(wrong.models.generateContent({ model: 'm', contents: 'hi' }))) as Error & { status: number };
      expect(bad.status).to.equal(400);
      expect(bad.message).to.include('API key not valid');
    } finally {
      await keyed.close();
    }
    server.enqueue(geminiTextReply('unused'));
    const invalid = (await rejectionOf(
      (await client()).models.generateContent({ model: 'm', contents: [{ role: 'user', parts: [{ text: 'a' }] }, { role: 'model', parts: [{ functionCall: { name: 'f', args: {} } }] }, { role: 'user', parts: [{ text: 'b' }] }] }),
    )) as Error & { status: number };
    expect(invalid.status).to.equal(400);
    expect(invalid.message).to.include('number of function response parts');
    expect(server.pending()).to.equal(1);
  });

  it('serves Vertex AI paths, with the project and location recorded and a bearer token required', async () => {
    const { GoogleGenAI } = await import('@google/genai');
    const authClient = { getRequestHeaders: async () => new Headers({ authorization: 'Bearer ya29.test-token' }) };
    const vertex = new GoogleGenAI({ vertexai: true, project: 'proj', location: 'europe-west4', googleAuthOptions: { authClient: authClient as never }, httpOptions: { baseUrl: server.url } });
    server.enqueue(geminiTextReply('on vertex'));
    const response = await vertex.models.generateContent({ model: 'gemini-2.5-flash', contents: 'hi' });
    expect(response.text).to.equal('on vertex');
    expect(server.requests[0]!.gemini).to.deep.equal({ api: 'vertex', version: 'v1beta1', project: 'proj', location: 'europe-west4', model: 'gemini-2.5-flash', method: 'generateContent' });
  });

  it('sends the faults: Google error bodies, a malformed body, a delayed answer, a stream dropped midway', async () => {
    const ai = await client();
    server.enqueue(geminiErrorReply(429, { message: 'Quota exceeded.' }), malformedJson(), delayed(geminiTextReply('late'), 5), streamDrop(geminiTextReply('a b c d'), { afterEvents: 2 }));
    const limited = (await rejectionOf(ai.models.generateContent({ model: 'm', contents: 'hi' }))) as Error & { status: number };
    expect(limited.status).to.equal(429);
    expect(JSON.parse(limited.message)).to.deep.equal({ error: { code: 429, message: 'Quota exceeded.', status: 'RESOURCE_EXHAUSTED' } });
    expect(await rejectionOf(ai.models.generateContent({ model: 'm', contents: 'hi' }))).to.be.instanceOf(Error);
    expect((await ai.models.generateContent({ model: 'm', contents: 'hi' })).text).to.equal('late');
    const stream = await ai.models.generateContentStream({ model: 'm', contents: 'hi' });
    const seen: string[] = [];
    const dropped = await rejectionOf((async () => {
      for await (const chunk of stream) seen.push(chunk.text ?? '');
    })());
    expect(dropped).to.be.instanceOf(Error);
    expect(seen).to.deep.equal(['a ', 'b ']);
  });
});

describe('the scripted model behind the fake Gemini server', () => {
  it('reads a generateContent body as the Messages request it stands for, matching responses to calls by position', () => {
    const request = toScriptedGeminiRequest({
      systemInstruction: { parts: [{ text: 'Be brief.' }] },
      contents: [
        { role: 'user', parts: [{ text: 'What is 2+2?' }] },
        { role: 'model', parts: [{ functionCall: { name: 'calculator' } }, { functionCall: { name: 'calculator', id: 'fc_9' } }] },
        { role: 'user', parts: [{ functionResponse: { name: 'calculator', response: { output: '4' } } }, { functionResponse: { name: 'calculator', response: { error: 'empty' } } }] },
      ],
      tools: [{ functionDeclarations: [{ name: 'calculator', description: 'Computes.', parametersJsonSchema: { properties: { expression: {} }, required: ['expression'] } }] }],
    });
    expect(request.system).to.equal('Be brief.');
    expect(request.messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1_0', name: 'calculator' }, { type: 'tool_use', id: 'fc_9', name: 'calculator' }] },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'call_1_0', content: '4', is_error: false },
          { type: 'tool_result', tool_use_id: 'fc_9', content: 'empty', is_error: true },
        ],
      },
    ]);
    expect(request.tools).to.deep.equal([{ name: 'calculator', description: 'Computes.', input_schema: { properties: { expression: {} }, required: ['expression'] } }]);
  });

  it('drives a gemini program through the real SDK: a calculator call, then its answer, every request valid', async () => {
    const server = await startScriptedGemini();
    const process = await new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini', tools: ['calculator'] }).start({ apiKey: GEMINI_SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
    try {
      const result = await process.run('What is 12*34?');
      expect(process.getLastMessage()).to.equal('The calculator says 408.');
      expect(result.toolCalls.map((call) => [call.toolName, call.args])).to.deep.equal([['calculator', { expression: '12*34' }]]);
      expect(result.apiCalls).to.equal(2);
      for (const request of server.requests) expect(checkGenerateContentRequest(request.body)).to.equal(undefined);
    } finally {
      await process.close();
      await server.close();
    }
  });
});
