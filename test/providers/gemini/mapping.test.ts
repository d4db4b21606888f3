/** The pure mapping between neutral messages and Gemini's wire format, and the stream assembly, without the network. */
import { expect } from 'chai';
import type { GenerateContentResponse } from '@google/genai';
import { geminiImageProblem, toGeminiPart } from '../../../lib/providers/gemini/content-parts.js';
import { fromGeminiParts, fromGeminiResponse, toGeminiContents, toGeminiRequest, toolResultText, toStopReason, toTokenUsage, toToolConfig } from '../../../lib/providers/gemini/mapping.js';
import { StreamAssembly } from '../../../lib/providers/gemini/stream-assembly.js';
import type { Message, ModelRequest, ToolResultMessagePart, UserPart } from '../../../lib/providers/types.js';
import { checkGenerateContentRequest } from '../../../lib/testing/index.js';

const PNG = 'iVBORw0KGgo=';
const request = (messages: Message[], extra: Partial<ModelRequest> = {}): ModelRequest => ({ model: 'gemini-2.5-flash', system: undefined, messages, tools: [], parameters: {}, ...extra });

describe('the Gemini mapping', () => {
  it('answers calls in their order whatever the order of the results, with images after the responses and the user text last', () => {
    const contents = toGeminiContents([
      { role: 'user', content: [{ type: 'text', text: 'go' }] },
      {
        role: 'assistant',
        content: [
          { type: 'tool_call', id: 'gemini_call_r_0', name: 'shot', input: {} },
          { type: 'tool_call', id: 'fc_2', name: 'calc', input: { x: 1 } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', toolCallId: 'fc_2', content: [{ type: 'text', text: '2' }], isError: false },
          { type: 'tool_result', toolCallId: 'gemini_call_r_0', content: [{ type: 'image', mediaType: 'image/png', data: PNG }], isError: false },
          { type: 'text', text: 'thanks' },
        ],
      },
    ]);
    expect(contents[1]).to.deep.equal({ role: 'model', parts: [{ functionCall: { name: 'shot', args: {} } }, { functionCall: { id: 'fc_2', name: 'calc', args: { x: 1 } } }] });
    expect(contents[2]!.parts).to.deep.equal([
      { functionResponse: { name: 'shot', response: { output: '(the output is an image, in the parts after the function responses)' } } },
      { functionResponse: { id: 'fc_2', name: 'calc', response: { output: '2' } } },
      { text: 'The result of the shot call has this image:' },
      { inlineData: { mimeType: 'image/png', data: PNG } },
      { text: 'thanks' },
    ]);
    expect(checkGenerateContentRequest({ contents })).to.equal(undefined);
  });

  it("drops another provider's opaque parts and empty turns, and merges the user turns left side by side (R8)", () => {
    const contents = toGeminiContents([
      { role: 'user', content: [{ type: 'text', text: 'one' }] },
      { role: 'assistant', content: [{ type: 'opaque', provider: 'anthropic', data: { type: 'thinking' } }, { type: 'text', text: '' }] },
      { role: 'user', content: [{ type: 'text', text: 'two' }] },
    ]);
    expect(contents).to.deep.equal([{ role: 'user', parts: [{ text: 'one' }, { text: 'two' }] }]);
  });

  it("drops another provider's opaque parts even when their data looks like ours (a signature, a part)", () => {
    const contents = toGeminiContents([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      {
        role: 'assistant',
        content: [
          { type: 'opaque', provider: 'anthropic', data: { part: { text: 'not ours' } } },
          { type: 'opaque', provider: 'anthropic', data: { thoughtSignature: 'c2ln' } },
          { type: 'text', text: 'answer' },
        ],
      },
    ]);
    expect(contents[1]).to.deep.equal({ role: 'model', parts: [{ text: 'answer' }] });
  });

  it("leaves a user's empty text out of the parts, beside what it does send (R8)", () => {
    const contents = toGeminiContents([{ role: 'user', content: [{ type: 'text', text: '' }, { type: 'text', text: 'hi' }, { type: 'text', text: '' }] }]);
    expect(contents).to.deep.equal([{ role: 'user', parts: [{ text: 'hi' }] }]);
  });

  it('keeps thought signatures and unread parts as opaque parts and sends them back as they came', () => {
    const wire = [
      { text: 'thinking…', thought: true },
      { text: 'Answer', thoughtSignature: 'c2lnMQ==' },
      { functionCall: { name: 'calc', args: {} }, thoughtSignature: 'c2lnMg==' },
      { text: '', thoughtSignature: 'c2lnMw==' },
      { executableCode: { code: 'print(1)', language: 'PYTHON' } },
    ];
    const parts = fromGeminiParts(wire as never, 'resp');
    expect(parts.map((part) => part.type)).to.deep.equal(['opaque', 'opaque', 'text', 'opaque', 'tool_call', 'opaque', 'opaque']);
    expect(parts[4]).to.deep.include({ id: 'gemini_call_resp_0', name: 'calc' });
    const [, model] = toGeminiContents([
      { role: 'user', content: [{ type: 'text', text: 'q' }] },
      { role: 'assistant', content: parts },
    ]);
    expect(model!.parts).to.deep.equal(wire);
  });

  it('maps the tool choice, the response format, the thinking budget and the extra headers; strips $schema from a tool schema', () => {
    expect(['auto', 'any', 'none'].map((type) => toToolConfig({ type } as never).functionCallingConfig!.mode)).to.deep.equal(['AUTO', 'ANY', 'NONE']);
    const params = toGeminiRequest(
      request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], {
        system: 'sys',
        tools: [{ name: 't', description: 'd', inputSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: {} } }],
        parameters: { responseFormat: { type: 'json_schema', name: 'x', schema: { type: 'object' } }, thinking: { type: 'disabled' }, toolChoice: { type: 'none' }, extraHeaders: { 'x-team': 'a' } },
      }),
    );
    expect(params.config).to.deep.equal({
      systemInstruction: 'sys',
      responseMimeType: 'application/json',
      responseJsonSchema: { type: 'object' },
      thinkingConfig: { thinkingBudget: 0 },
      tools: [{ functionDeclarations: [{ name: 't', description: 'd', parametersJsonSchema: { type: 'object', properties: {} } }] }],
      toolConfig: { functionCallingConfig: { mode: 'NONE' } },
      httpOptions: { headers: { 'x-team': 'a' } },
    });
    // A tool choice without tools is not sent (there is nothing to choose from).
    expect(toGeminiRequest(request([], { parameters: { toolChoice: { type: 'any' } } })).config).to.deep.equal({});
  });

  it('maps reasoningEffort to thinkingConfig.thinkingLevel, the SDK\'s enum values', async () => {
    const { ThinkingLevel } = await import('@google/genai');
    const levels = (['minimal', 'low', 'medium', 'high'] as const).map(
      (reasoningEffort) => toGeminiRequest(request([{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], { parameters: { reasoningEffort } })).config!.thinkingConfig,
    );
    expect(levels).to.deep.equal([ThinkingLevel.MINIMAL, ThinkingLevel.LOW, ThinkingLevel.MEDIUM, ThinkingLevel.HIGH].map((thinkingLevel) => ({ thinkingLevel })));
  });

  it('maps finish reasons and usage', () => {
    expect([toStopReason('STOP', false), toStopReason('STOP', true), toStopReason(undefined, true), toStopReason('MAX_TOKENS', true), toStopReason('RECITATION', false), toStopReason('OTHER', false), toStopReason(undefined, false, true)]).to.deep.equal([
      'end_turn',
      'tool_use',
      'tool_use',
      'max_tokens',
      'refusal',
      'other',
      'refusal',
    ]);
    expect(toTokenUsage({ promptTokenCount: 100, cachedContentTokenCount: 60, toolUsePromptTokenCount: 5, candidatesTokenCount: 7, thoughtsTokenCount: 3 })).to.deep.equal({
      inputTokens: 45,
      cacheReadInputTokens: 60,
      outputTokens: 10,
      cacheCreationInputTokens: 0,
    });
    expect(toTokenUsage(undefined)).to.deep.equal({ inputTokens: 0, cacheReadInputTokens: 0, outputTokens: 0, cacheCreationInputTokens: 0 });
  });

  it('turns an image Gemini would refuse into a note (R22)', () => {
    expect(geminiImageProblem({ type: 'image', mediaType: 'image/gif', data: PNG })).to.include('image/gif was left out');
    expect(toGeminiPart({ type: 'image', mediaType: 'image/gif', data: PNG })).to.have.property('text').that.matches(/^\[an image of type image\/gif/);
    expect(toGeminiPart({ type: 'text', text: '' })).to.equal(undefined);
  });

  it('assembles streamed chunks: text pieces joined, function calls whole, the last usage and finish reason', () => {
    const chunk = (parts: unknown[], extra: Record<string, unknown> = {}) => ({ candidates: [{ content: { role: 'model', parts } }], ...extra }) as unknown as GenerateContentResponse;
    const assembly = new StreamAssembly();
    expect(assembly.add(chunk([{ text: 'Hel' }]))).to.deep.equal([{ delta: 'Hel', snapshot: 'Hel' }]);
    expect(assembly.add(chunk([{ text: 'lo' }, { functionCall: { name: 'f', args: {} } }, { text: 'after' }]))).to.deep.equal([
      { delta: 'lo', snapshot: 'Hello' },
      { delta: 'after', snapshot: 'after' },
    ]);
    assembly.add({ candidates: [{ content: { role: 'model', parts: [{ text: '', thoughtSignature: 'sig' }] }, finishReason: 'STOP' }], usageMetadata: { promptTokenCount: 3 }, responseId: 'r' } as unknown as GenerateContentResponse);
    const response = assembly.response();
    expect(response.candidates![0]!.content!.parts).to.deep.equal([{ text: 'Hello' }, { functionCall: { name: 'f', args: {} } }, { text: 'after', thoughtSignature: 'sig' }]);
    expect(response.candidates![0]!.finishReason).to.equal('STOP');
    expect(response.usageMetadata).to.deep.equal({ promptTokenCount: 3 });
    expect(response.responseId).to.equal('r');
  });

  describe('requests', () => {
    const hi: Message = { role: 'user', content: [{ type: 'text', text: 'hi' }] };

    it('maps every sampling parameter to its config name, and a thinking budget', () => {
      const params = toGeminiRequest(
        request([hi], {
          parameters: { maxTokens: 99, temperature: 0.5, topP: 0.9, topK: 40, stopSequences: ['END', 'STOP'], seed: 7, frequencyPenalty: 0.1, presencePenalty: -0.2, thinking: { type: 'enabled', budgetTokens: 512 } },
        }),
      );
      expect(params).to.deep.equal({
        model: 'gemini-2.5-flash',
        contents: [{ role: 'user', parts: [{ text: 'hi' }] }],
        config: { maxOutputTokens: 99, temperature: 0.5, topP: 0.9, topK: 40, stopSequences: ['END', 'STOP'], seed: 7, frequencyPenalty: 0.1, presencePenalty: -0.2, thinkingConfig: { thinkingBudget: 512 } },
      });
    });

    it('leaves out what is not set: no stop sequences, no system prompt, no headers, no tools', () => {
      const params = toGeminiRequest(request([hi], { system: '', parameters: { stopSequences: [], extraHeaders: {} } }));
      expect(params.config).to.deep.equal({});
      expect(toGeminiRequest(request([hi])).config).to.deep.equal({});
    });

    it('asks for plain text or JSON by MIME type', () => {
      const config = (responseFormat: NonNullable<ModelRequest['parameters']['responseFormat']>) => toGeminiRequest(request([hi], { parameters: { responseFormat } })).config;
      expect(config({ type: 'text' })).to.deep.equal({ responseMimeType: 'text/plain' });
      expect(config({ type: 'json_object' })).to.deep.equal({ responseMimeType: 'application/json' });
    });

    it('a named tool choice allows only that function, and a schema without $schema is sent as it is', () => {
      expect(toToolConfig({ type: 'tool', name: 'calc' })).to.deep.equal({ functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['calc'] } });
      const schema = { type: 'object', properties: { x: { type: 'number' } } };
      const params = toGeminiRequest(request([hi], { tools: [{ name: 'calc', description: 'math', inputSchema: schema }], parameters: { toolChoice: { type: 'auto' } } }));
      expect((params.config!.tools as Array<{ functionDeclarations: Array<{ parametersJsonSchema: unknown }> }>)[0]!.functionDeclarations[0]!.parametersJsonSchema).to.equal(schema);
      expect(params.config!.toolConfig).to.deep.equal({ functionCallingConfig: { mode: 'AUTO' } });
      expect(toGeminiRequest(request([hi], { tools: [{ name: 'calc', description: 'math', inputSchema: schema }] })).config).not.to.have.property('toolConfig');
    });
  });

  describe('tool results', () => {
    const call = (id: string, name: string) => ({ type: 'tool_call' as const, id, name, input: {} });
    const answered = (calls: ReturnType<typeof call>[], results: UserPart[]) =>
      toGeminiContents([
        { role: 'user', content: [{ type: 'text', text: 'go' }] },
        { role: 'assistant', content: calls },
        { role: 'user', content: results },
      ])[2]!.parts;
    const result = (toolCallId: string, content: ToolResultMessagePart['content'], isError = false): ToolResultMessagePart => ({ type: 'tool_result', toolCallId, content, isError });
    const IMAGE = { type: 'image' as const, mediaType: 'image/png', data: PNG };

    it('an error result is { error }; text parts are joined by lines, empty ones left out; no output says so', () => {
      expect(answered([call('fc_1', 'calc'), call('fc_2', 'echo')], [result('fc_1', [{ type: 'text', text: 'bad' }, { type: 'text', text: '' }, { type: 'text', text: 'input' }], true), result('fc_2', [])])).to.deep.equal([
        { functionResponse: { id: 'fc_1', name: 'calc', response: { error: 'bad\ninput' } } },
        { functionResponse: { id: 'fc_2', name: 'echo', response: { output: '(no output)' } } },
      ]);
    });

    it('a result of no call of the turn comes last, named unknown_tool; its images are a tool\'s', () => {
      expect(answered([call('fc_1', 'calc')], [result('fc_x', [IMAGE, IMAGE]), result('fc_1', [{ type: 'text', text: '2' }])])).to.deep.equal([
        { functionResponse: { id: 'fc_1', name: 'calc', response: { output: '2' } } },
        { functionResponse: { id: 'fc_x', name: 'unknown_tool', response: { output: '(the output is 2 images, in the parts after the function responses)' } } },
        { text: 'The result of the a tool call has these 2 images:' },
        { inlineData: { mimeType: 'image/png', data: PNG } },
        { inlineData: { mimeType: 'image/png', data: PNG } },
      ]);
    });

    it('merges model turns left side by side, and sends an opaque part of ours as a copy', () => {
      const part = { executableCode: { code: 'print(1)', language: 'PYTHON' } };
      const contents = toGeminiContents([
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        { role: 'assistant', content: [{ type: 'text', text: 'one' }] },
        { role: 'assistant', content: [{ type: 'opaque', provider: 'gemini', data: { part } }] },
      ]);
      expect(contents).to.deep.equal([
        { role: 'user', parts: [{ text: 'q' }] },
        { role: 'model', parts: [{ text: 'one' }, part] },
      ]);
      expect(contents[1]!.parts![1]).not.to.equal(part);
    });

    it('drops opaque parts of ours it cannot read, and a signature with no part after it', () => {
      const contents = toGeminiContents([
        { role: 'user', content: [{ type: 'text', text: 'q' }] },
        {
          role: 'assistant',
          content: [
            { type: 'opaque', provider: 'gemini', data: null },
            { type: 'opaque', provider: 'gemini', data: 'c2ln' },
            { type: 'opaque', provider: 'gemini', data: { thoughtSignature: 42, part: null } },
            { type: 'opaque', provider: 'gemini', data: { part: 'text' } },
            { type: 'text', text: 'kept' },
            { type: 'opaque', provider: 'gemini', data: { thoughtSignature: 'c2ln' } },
          ],
        },
      ]);
      expect(contents[1]).to.deep.equal({ role: 'model', parts: [{ text: 'kept' }] });
    });
  });

  describe('responses', () => {
    it('reads calls: ids given or made up in order, no name marked, no args as {}; an empty text with nothing else is dropped', () => {
      const parts = fromGeminiParts(
        [{ functionCall: { id: 'fc_a', name: 'calc', args: { x: 1 } } }, { functionCall: { name: 'clock' } }, { functionCall: { args: {} } }, { text: '' }, { text: 'done' }] as never,
        'resp',
      );
      expect(parts).to.deep.equal([
        { type: 'tool_call', id: 'fc_a', name: 'calc', input: { x: 1 } },
        { type: 'tool_call', id: 'gemini_call_resp_1', name: 'clock', input: {} },
        { type: 'tool_call', id: 'gemini_call_resp_2', name: '', input: {}, inputError: 'the function call has no name' },
        { type: 'text', text: 'done' },
      ]);
    });

    it('maps a response: its id, model version, request id and usage, or the fallbacks', () => {
      const usageMetadata = { promptTokenCount: 10, candidatesTokenCount: 4 };
      const turn = fromGeminiResponse(
        {
          responseId: 'resp_1',
          modelVersion: 'gemini-2.5-flash-001',
          candidates: [{ content: { role: 'model', parts: [{ functionCall: { name: 'calc', args: {} } }] }, finishReason: 'STOP' }],
          usageMetadata,
          sdkHttpResponse: { headers: { 'x-request-id': 'req_9' } },
        } as unknown as GenerateContentResponse,
        { model: 'gemini-2.5-flash', responseId: 'fallback' },
      );
      expect(turn).to.deep.equal({
        id: 'resp_1',
        model: 'gemini-2.5-flash-001',
        content: [{ type: 'tool_call', id: 'gemini_call_resp_1_0', name: 'calc', input: {} }],
        stopReason: 'tool_use',
        tokens: { inputTokens: 10, outputTokens: 4, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
        usage: usageMetadata,
        requestId: 'req_9',
      });
      expect(turn.usage).not.to.equal(usageMetadata);
      const empty = fromGeminiResponse({ promptFeedback: { blockReason: 'SAFETY' } } as unknown as GenerateContentResponse, { model: 'gemini-2.5-flash', responseId: 'fallback' });
      expect(empty).to.deep.equal({
        id: 'fallback',
        model: 'gemini-2.5-flash',
        content: [],
        stopReason: 'refusal',
        tokens: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 },
        usage: {},
        requestId: undefined,
      });
      expect(fromGeminiResponse({ candidates: [{ finishReason: 'STOP' }] } as unknown as GenerateContentResponse, { model: 'm', responseId: 'f' }).stopReason).to.equal('end_turn');
      expect(fromGeminiResponse({ candidates: [{ content: { parts: [{ text: 'x' }] } }] } as unknown as GenerateContentResponse, { model: 'm', responseId: 'f' }).stopReason).to.equal('end_turn');
      expect(toolResultText({ type: 'tool_result', toolCallId: 'c', content: [{ type: 'text', text: '' }, { type: 'image', mediaType: 'image/png', data: PNG }], isError: false })).to.equal(
        '(the output is an image, in the parts after the function responses)',
      );
    });

    it('maps every finish reason', () => {
      for (const reason of ['SAFETY', 'RECITATION', 'BLOCKLIST', 'PROHIBITED_CONTENT', 'SPII', 'IMAGE_SAFETY', 'IMAGE_PROHIBITED_CONTENT', 'IMAGE_RECITATION']) {
        expect(toStopReason(reason, false), reason).to.equal('refusal');
      }
      expect(toStopReason('FINISH_REASON_UNSPECIFIED', false)).to.equal('end_turn');
      expect(toStopReason('FINISH_REASON_UNSPECIFIED', false, true)).to.equal('refusal');
      expect(toStopReason(undefined, false)).to.equal('end_turn');
      expect(toStopReason('MAX_TOKENS', false)).to.equal('max_tokens');
      expect(toStopReason('SAFETY', true)).to.equal('refusal');
      expect(toStopReason('MALFORMED_FUNCTION_CALL', true)).to.equal('malformed_function_call');
      expect(toStopReason('STOP', false, true)).to.equal('end_turn');
    });

    it('never counts fewer than 0 input tokens', () => {
      expect(toTokenUsage({ promptTokenCount: 5, cachedContentTokenCount: 8 })).to.deep.equal({ inputTokens: 0, cacheReadInputTokens: 8, outputTokens: 0, cacheCreationInputTokens: 0 });
    });
  });
});
