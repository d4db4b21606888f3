/** The pure mapping between neutral messages and Gemini's wire format, and the stream assembly, without the network. */
import { expect } from 'chai';
import type { GenerateContentResponse } from '@google/genai';
import { geminiImageProblem, toGeminiPart } from '../../../lib/providers/gemini/content-parts.js';
import { fromGeminiParts, toGeminiContents, toGeminiRequest, toStopReason, toTokenUsage, toToolConfig } from '../../../lib/providers/gemini/mapping.js';
import { StreamAssembly } from '../../../lib/providers/gemini/stream-assembly.js';
import type { Message, ModelRequest } from '../../../lib/providers/types.js';
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
});
