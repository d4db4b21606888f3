/**
 * Whether a process runs on the offline scripted model (lib/process/offline-model.ts's
 * wantsOffline), against an environment given as a plain object. test/process/offline.test.ts
 * starts such processes.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { InvalidArgumentError } from '../../lib/errors.js';
import { Server } from 'node:net';
import { startScriptedProvider, wantsOffline } from '../../lib/process/offline-model.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { providerDefinition } from '../../lib/providers/index.js';
import { thrownBy } from '../support/thrown-by.js';
import { rejectionOf } from '../support/promises.js';

const provider = { name: 'mine', complete: async () => { throw new Error('unused'); }, describeError: () => ({ message: '' }) };

/** The `LLMProcOfflineWarning` texts a spy on `process.emitWarning` saw. */
const offlineWarnings = (emitWarning: sinon.SinonStub): string[] =>
  emitWarning.getCalls().filter((call) => (call.args[1] as { type?: string } | undefined)?.type === 'LLMProcOfflineWarning').map((call) => String(call.args[0]));

describe('wantsOffline', () => {
  afterEach(() => sinon.restore());
  const anthropic = () => new LLMProgram({ model: 'claude-test' });

  it('is false without offline, or with offline: false, whatever the credentials', () => {
    expect(wantsOffline(anthropic(), {}, {})).to.equal(false);
    expect(wantsOffline(anthropic(), { offline: false }, {})).to.equal(false);
  });

  it('is true with offline: true, even with credentials', () => {
    expect(wantsOffline(anthropic(), { offline: true, apiKey: 'k' }, { ANTHROPIC_API_KEY: 'k' })).to.equal(true);
  });

  it('refuses another value, and offline: true with a provider of your own', () => {
    expect(thrownBy(() => wantsOffline(anthropic(), { offline: 1 }, {}), InvalidArgumentError, 'offline: 1').message).to.equal("options.offline: expected true, false or 'auto', received 1");
    expect(thrownBy(() => wantsOffline(anthropic(), { offline: true, provider }, {}), InvalidArgumentError, 'offline with a provider').message).to.equal(
      'options.offline: cannot be combined with a provider of your own; give one or the other',
    );
  });

  describe("'auto'", () => {
    it('is false with a provider of your own, or credentials in the options or the environment', () => {
      sinon.stub(process, 'emitWarning');
      expect(wantsOffline(anthropic(), { offline: 'auto', provider }, {})).to.equal(false);
      expect(wantsOffline(anthropic(), { offline: 'auto', apiKey: 'k' }, {})).to.equal(false);
      expect(wantsOffline(anthropic(), { offline: 'auto', authToken: 't' }, {})).to.equal(false);
      expect(wantsOffline(anthropic(), { offline: 'auto', client: {} as never }, {})).to.equal(false);
      expect(wantsOffline(anthropic(), { offline: 'auto' }, { ANTHROPIC_AUTH_TOKEN: 't' })).to.equal(false);
    });

    it('is false for a provider llmproc cannot run (start() refuses it as usual)', () => {
      const emitWarning = sinon.stub(process, 'emitWarning');
      expect(wantsOffline(new LLMProgram({ model: 'claude-test', provider: 'vertex' }), { offline: 'auto' }, {})).to.equal(false);
      expect(offlineWarnings(emitWarning)).to.deep.equal([]);
    });

    it('is true without credentials, warning once per program, naming the key variable', () => {
      const emitWarning = sinon.stub(process, 'emitWarning');
      const program = anthropic();
      expect(wantsOffline(program, { offline: 'auto' }, {})).to.equal(true);
      expect(wantsOffline(program, { offline: 'auto' }, {})).to.equal(true);
      expect(offlineWarnings(emitWarning)).to.deep.equal([
        "no ANTHROPIC_API_KEY set, so this process runs OFFLINE on llmproc's built-in scripted model (canned answers, no network). " +
          "Set ANTHROPIC_API_KEY to use the real API, or leave out offline: 'auto' to be refused instead.",
      ]);
      wantsOffline(anthropic(), { offline: 'auto' }, {});
      expect(offlineWarnings(emitWarning), 'another program warns again').to.have.length(2);
    });

    it('names the credentials of a provider without a key variable', () => {
      const emitWarning = sinon.stub(process, 'emitWarning');
      expect(wantsOffline(new LLMProgram({ model: 'claude-test', provider: 'anthropic_vertex' }), { offline: 'auto' }, {})).to.equal(true);
      expect(offlineWarnings(emitWarning)[0]).to.match(/^no credentials for "anthropic_vertex" set, so this process runs OFFLINE/);
    });
  });
});

describe('startScriptedProvider', () => {
  afterEach(() => sinon.restore());

  for (const [program, expected] of [
    ['anthropic', 'anthropic'],
    ['openai', 'anthropic'],
    ['gemini_vertex', 'gemini'],
    ['a provider of your own', 'anthropic'],
  ] as const) {
    it(`runs a program of ${program} on the ${expected} scripted model`, async () => {
      const offline = await startScriptedProvider(program, 'some-model', undefined);
      try {
        expect(offline.provider.name).to.equal(expected);
      } finally {
        await offline.close();
      }
    });
  }

  it('stops the scripted model when its provider cannot be created', async () => {
    const listen = sinon.spy(Server.prototype, 'listen');
    const failure = new Error('no SDK today');
    sinon.stub(providerDefinition('anthropic')!, 'create').rejects(failure);
    expect(await rejectionOf(startScriptedProvider('anthropic', 'claude-test', undefined))).to.equal(failure);
    expect(listen.callCount, 'the scripted model listened').to.equal(1);
    expect((listen.firstCall.thisValue as Server).listening, 'and was stopped').to.equal(false);
  });
});
