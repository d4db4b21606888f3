/**
 * The Anthropic client options of program.start() that reach the SDK client: a bearer token and
 * headers for every request, checked on the requests the fake server gets.
 */
import { expect } from 'chai';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { type FakeAnthropicServer, startFakeAnthropic, textReply } from '../../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../../support/setup.js';

describe('program.start({ authToken, defaultHeaders })', () => {
  let server: FakeAnthropicServer;
  const variables = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN'] as const;
  let saved: Array<string | undefined>;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    saved = variables.map((name) => process.env[name]);
    for (const name of variables) delete process.env[name];
  });
  afterEach(async () => {
    variables.forEach((name, i) => {
      if (saved[i] !== undefined) process.env[name] = saved[i];
    });
    await server.close();
  });

  it('sends the token as a bearer token and the headers with every request', async () => {
    server.enqueue(textReply('ok'), textReply('again'));
    const llm = await new LLMProgram({ model: 'claude-haiku-4-5' }).start({
      authToken: SENTINEL_API_KEY,
      apiKey: undefined,
      baseURL: server.url,
      maxRetries: 0,
      defaultHeaders: { 'x-gateway-tenant': 'team-a' },
    });
    await llm.run('Hi');
    await llm.run('Again');
    for (const { headers } of server.requests) {
      expect(headers['authorization']).to.equal(`Bearer ${SENTINEL_API_KEY}`);
      expect(headers['x-gateway-tenant']).to.equal('team-a');
      expect(headers['x-api-key'], 'no key was given').to.equal(undefined);
    }
  });
});
