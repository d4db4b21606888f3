import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { checkChatCompletionsRequest, startScriptedOpenAI, toScriptedRequest } from '../../lib/testing/index.js';
import { OPENAI_SENTINEL_API_KEY } from '../support/sentinel-keys.js';

describe('the scripted model behind the fake OpenAI server', () => {
  it('reads a Chat Completions request as the Messages request it stands for', () => {
    const request = toScriptedRequest({
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'What is 2+2?' },
        { role: 'assistant', content: null, tool_calls: [{ id: 'call_1', function: { name: 'calculator', arguments: '{"expression":"2+2"}' } }, { id: 'call_2', function: { name: 'calculator', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 'call_1', content: '4' },
        { role: 'tool', tool_call_id: 'call_2', content: [{ type: 'text', text: 'Error: empty' }] },
      ],
      tools: [{ function: { name: 'calculator', description: 'Computes.', parameters: { properties: { expression: {} }, required: ['expression'] } } }],
    });
    expect(request.system).to.equal('Be brief.');
    expect(request.messages).to.deep.equal([
      { role: 'user', content: [{ type: 'text', text: 'What is 2+2?' }] },
      { role: 'assistant', content: [{ type: 'tool_use', id: 'call_1', name: 'calculator' }, { type: 'tool_use', id: 'call_2', name: 'calculator' }] },
      { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_1', content: '4' }, { type: 'tool_result', tool_use_id: 'call_2', content: 'Error: empty' }] },
    ]);
    expect(request.tools).to.deep.equal([{ name: 'calculator', description: 'Computes.', input_schema: { properties: { expression: {} }, required: ['expression'] } }]);
  });

  it('drives an openai program through the real SDK: a calculator call, then its answer, every request valid', async () => {
    const server = await startScriptedOpenAI();
    const process = await new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai', tools: ['calculator'] }).start({ apiKey: OPENAI_SENTINEL_API_KEY, baseURL: server.baseURL, maxRetries: 0 });
    try {
      const result = await process.run('What is 12*34?');
      expect(process.getLastMessage()).to.equal('The calculator says 408.');
      expect(result.toolCalls.map((call) => [call.toolName, call.args])).to.deep.equal([['calculator', { expression: '12*34' }]]);
      expect(result.apiCalls).to.equal(2);
      expect(result.usage.inputTokens).to.be.greaterThan(0);
      for (const request of server.requests) expect(checkChatCompletionsRequest(request.body)).to.equal(undefined);
    } finally {
      await process.close();
      await server.close();
    }
  });
});
