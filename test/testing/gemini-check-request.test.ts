import { expect } from 'chai';
import { checkGenerateContentRequest } from '../../lib/testing/index.js';

const user = (...parts: unknown[]) => ({ role: 'user', parts });
const model = (...parts: unknown[]) => ({ role: 'model', parts });
const call = (name: string, id?: string) => ({ functionCall: { ...(id ? { id } : {}), name, args: {} } });
const answer = (name: string, id?: string) => ({ functionResponse: { ...(id ? { id } : {}), name, response: { output: 'ok' } } });
const declare = (name: string, extra: Record<string, unknown> = {}) => ({ name, description: 'd', parametersJsonSchema: { type: 'object', properties: {} }, ...extra });
const body = (contents: unknown[], extra: Record<string, unknown> = {}) => ({ contents, ...extra });

describe('checkGenerateContentRequest', () => {
  it('accepts a full valid conversation: system, an image, parallel calls answered in order in one user turn, ids matched', () => {
    const valid = body(
      [
        user({ text: 'Look:' }, { inlineData: { mimeType: 'image/png', data: 'iVBORw0KGgo=' } }),
        model({ text: 'Calling both.' }, call('calc', 'fc_1'), { ...call('echo'), thoughtSignature: 'c2ln' }),
        user(answer('calc', 'fc_1'), answer('echo'), { text: 'and this' }),
        model({ text: 'Done.' }, { text: '', thoughtSignature: 'c2ln' }),
        user({ text: 'thanks' }),
      ],
      {
        systemInstruction: { parts: [{ text: 'Be brief.' }] },
        tools: [{ functionDeclarations: [declare('calc'), declare('echo')] }],
        toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['calc'] } },
        generationConfig: { maxOutputTokens: 100, temperature: 2, topP: 1, topK: 40, thinkingConfig: { thinkingLevel: 'low' } },
      },
    );
    expect(checkGenerateContentRequest(valid)).to.equal(undefined);
  });

  for (const [what, request, expected] of [
    ['a body that is not an object', [], 'must be a JSON object'],
    ['no contents', body([]), 'contents is not specified'],
    ['a first turn from the model', body([model({ text: 'hi' })]), 'starting with a user turn'],
    ['two user turns in a row', body([user({ text: 'a' }), user({ text: 'b' })]), 'second user turn in a row'],
    ['an unknown role', body([{ role: 'assistant', parts: [{ text: 'x' }] }]), 'Please use a valid role: user, model.'],
    ['empty parts', body([user()]), 'contents.parts must not be empty'],
    ['an empty text part', body([user({ text: '' })]), 'empty text parameter'],
    ['a part with two kinds of data', body([user({ text: 'a', inlineData: { mimeType: 'image/png', data: 'x' } })]), 'only one of its data fields'],
    ['a function call from the user', body([user(call('calc'))]), 'function calls are only allowed in model turns'],
    ['a function response that answers no call', body([user({ text: 'hi' }), model({ text: 'ok' }), user(answer('calc'))]), 'function response turn comes immediately after a function call turn'],
    ['a call left unanswered', body([user({ text: 'hi' }), model(call('calc')), user({ text: 'what?' })]), 'number of function response parts is equal to the number of function call parts'],
    ['one of two calls answered', body([user({ text: 'hi' }), model(call('calc'), call('echo')), user(answer('calc'))]), 'number of function response parts'],
    ['calls answered out of order', body([user({ text: 'hi' }), model(call('calc'), call('echo')), user(answer('echo'), answer('calc'))]), 'answer the calls in order'],
    ['a response without the id of its call', body([user({ text: 'hi' }), model(call('calc', 'fc_1')), user(answer('calc'))]), 'must carry the id of function call 0 ("fc_1")'],
    ['an invalid function name', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('9lives')] }] }), 'Invalid function name'],
    ['a duplicate declaration', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('a'), declare('a')] }] }), 'Duplicate function declaration name "a"'],
    ['both parameters and parametersJsonSchema', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('a', { parameters: { type: 'OBJECT' } })] }] }), 'mutually exclusive'],
    ['a schema of a non-object', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('a', { parametersJsonSchema: { type: 'string' } })] }] }), 'must describe an object'],
    ['a temperature above 2', body([user({ text: 'hi' })], { generationConfig: { temperature: 2.5 } }), 'temperature'],
    ['maxOutputTokens of 0', body([user({ text: 'hi' })], { generationConfig: { maxOutputTokens: 0 } }), 'max_output_tokens'],
    ['six stop sequences', body([user({ text: 'hi' })], { generationConfig: { stopSequences: ['a', 'b', 'c', 'd', 'e', 'f'] } }), 'at most 5 stop sequences'],
    ['allowed names with mode AUTO', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('a')] }], toolConfig: { functionCallingConfig: { mode: 'AUTO', allowedFunctionNames: ['a'] } } }), 'only be set when the function calling mode is ANY'],
    ['an allowed name not declared', body([user({ text: 'hi' })], { tools: [{ functionDeclarations: [declare('a')] }], toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['b'] } } }), 'not a declared function'],
    ['an unknown thinking level', body([user({ text: 'hi' })], { generationConfig: { thinkingConfig: { thinkingLevel: 'EXTREME' } } }), 'thinking_level'],
    ['a thinking budget and a thinking level', body([user({ text: 'hi' })], { generationConfig: { thinkingConfig: { thinkingBudget: 1024, thinkingLevel: 'LOW' } } }), 'not supported together'],
    ['an empty system instruction', body([user({ text: 'hi' })], { systemInstruction: { parts: [] } }), 'system_instruction.parts'],
  ] as const) {
    it(`refuses ${what}`, () => {
      expect(checkGenerateContentRequest(request)).to.include(expected);
    });
  }
});
