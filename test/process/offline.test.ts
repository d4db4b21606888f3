/**
 * program.start({ offline }): the built-in scripted model instead of the program's provider,
 * always (true) or when no credentials are found ('auto').
 */
import { expect } from 'chai';
import { Server } from 'node:net';
import sinon from 'sinon';
import { InvalidArgumentError, MissingApiKeyError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { type FakeAnthropicServer, startFakeAnthropic, textReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';

const VARIABLES = ['ANTHROPIC_API_KEY', 'ANTHROPIC_AUTH_TOKEN', 'ANTHROPIC_BASE_URL'] as const;


/** The `LLMProcOfflineWarning`s a spy on `process.emitWarning` saw. */
function offlineWarnings(emitWarning: sinon.SinonSpy): string[] {
  return emitWarning.getCalls().filter((call) => (call.args[1] as { type?: string } | undefined)?.type === 'LLMProcOfflineWarning').map((call) => String(call.args[0]));
}

describe('program.start({ offline })', () => {
  let saved: Array<[string, string | undefined]>;
  let server: FakeAnthropicServer | undefined;
  beforeEach(() => {
    saved = VARIABLES.map((name) => [name, process.env[name]]);
    for (const name of VARIABLES) delete process.env[name];
  });
  afterEach(async () => {
    sinon.restore();
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await server?.close();
    server = undefined;
  });

  const program = (): LLMProgram => new LLMProgram({ model: 'claude-haiku-4-5', systemPrompt: 'You are brief.', tools: ['calculator'] });

  describe('when offline is true', () => {
    it('runs on the scripted model even with a key, without a warning, and close() stops its server', async () => {
      server = await startFakeAnthropic();
      process.env['ANTHROPIC_API_KEY'] = SENTINEL_API_KEY;
      process.env['ANTHROPIC_BASE_URL'] = server.url;
      const emitWarning = sinon.spy(process, 'emitWarning');
      const listen = sinon.spy(Server.prototype, 'listen');
      const llm = await program().start({ offline: true });
      expect(listen.callCount, 'the scripted model listens').to.equal(1);
      const scripted = listen.firstCall.thisValue as Server;
      expect(scripted.listening).to.equal(true);
      const result = await llm.run('What is 12*34?');
      expect(llm.getLastMessage()).to.equal('The calculator says 408.');
      expect(result).to.include({ apiCalls: 2, stopReason: 'end_turn' });
      expect(result.toolCalls[0]).to.include({ toolName: 'calculator', isError: false });
      expect(server.requests, 'nothing reached the configured API').to.have.length(0);
      expect(offlineWarnings(emitWarning)).to.deep.equal([]);
      await llm.close();
      expect(scripted.listening, 'close() stopped it').to.equal(false);
    });

    it('is refused together with a provider of your own', async () => {
      const provider = { name: 'mine', complete: async () => { throw new Error('unused'); }, describeError: () => ({ message: '' }) };
      const error = await program().start({ offline: true, provider }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.offline');
    });

    it('refuses a value other than true, false or auto', async () => {
      const error = await program().start({ offline: 'yes' as never }).catch((e: unknown) => e);
      expect(error).to.be.instanceOf(InvalidArgumentError);
      expect((error as Error).message).to.equal(`options.offline: expected true, false or 'auto', received "yes"`);
    });
  });

  describe("when offline is 'auto'", () => {
    it('goes offline without credentials, warning once per program, naming the variable', async () => {
      const emitWarning = sinon.spy(process, 'emitWarning');
      const assistant = program();
      const first = await assistant.start({ offline: 'auto' });
      const second = await assistant.start({ offline: 'auto' });
      try {
        await first.run('Hello there');
        expect(first.getLastMessage()).to.match(/^\[offline scripted model\] You said: "Hello there"/);
        const warnings = offlineWarnings(emitWarning);
        expect(warnings).to.have.length(1);
        expect(warnings[0]).to.match(/^no ANTHROPIC_API_KEY set, so this process runs OFFLINE on llmproc's built-in scripted model/);
      } finally {
        await Promise.all([first.close(), second.close()]);
      }
    });

    it('uses the real API when the environment has a key', async () => {
      server = await startFakeAnthropic();
      process.env['ANTHROPIC_API_KEY'] = SENTINEL_API_KEY;
      process.env['ANTHROPIC_BASE_URL'] = server.url;
      server.enqueue(textReply('From the API.'));
      const llm = await program().start({ offline: 'auto', maxRetries: 0 });
      await llm.run('Hi');
      expect(llm.getLastMessage()).to.equal('From the API.');
      expect(server.requests).to.have.length(1);
      await llm.close();
    });

    it('uses the real API when the options carry credentials (apiKey, authToken)', async () => {
      server = await startFakeAnthropic();
      server.enqueue(textReply('With a key.'), textReply('With a token.'));
      const withKey = await program().start({ offline: 'auto', apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
      await withKey.run('Hi');
      const withToken = await program().start({ offline: 'auto', authToken: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
      await withToken.run('Hi');
      expect([withKey.getLastMessage(), withToken.getLastMessage()]).to.deep.equal(['With a key.', 'With a token.']);
    });
  });

  it('without offline, no key is still an error', async () => {
    expect(await program().start().catch((e: unknown) => e)).to.be.instanceOf(MissingApiKeyError);
    expect(await program().start({ offline: false }).catch((e: unknown) => e)).to.be.instanceOf(MissingApiKeyError);
  });

  it('a Gemini program runs offline on the scripted model behind the fake Gemini API, with its own parameters (thinking with a temperature)', async () => {
    const gemini = new LLMProgram({
      model: 'gemini-2.5-flash',
      provider: 'gemini',
      tools: ['calculator'],
      parameters: { temperature: 0.2, thinking: { type: 'enabled', budgetTokens: 1024 } },
    });
    const llm = await gemini.start({ offline: true });
    try {
      const result = await llm.run('What is 12*34?');
      expect(llm.getLastMessage()).to.equal('The calculator says 408.');
      expect(result.apiCalls).to.equal(2);
      expect(result.apiCallInfos[0]!.model).to.equal('gemini-2.5-flash');
    } finally {
      await llm.close();
    }
  });
});
