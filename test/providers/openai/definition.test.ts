import { thrownBy } from '../../support/thrown-by.js';
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, LLMProcError, MissingApiKeyError, ProgramError } from '../../../lib/errors.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { providerDefinition } from '../../../lib/providers/index.js';
import { isOpenAIBaseUrl, KEYLESS_API_KEY, OPENAI_BASE_URL, openAIClientSettings } from '../../../lib/providers/openai/client-options.js';
import { openaiProvider } from '../../../lib/providers/openai/definition.js';
import { loadOpenAISdk, type OpenAISdk } from '../../../lib/providers/openai/load-sdk.js';
import { MissingProviderPackageError } from '../../../lib/providers/provider-errors.js';
import type { ProviderContext } from '../../../lib/providers/provider-definition.js';
import { chatReply } from '../../../lib/testing/index.js';
import { OPENAI_SENTINEL_API_KEY, setupOpenAITest, withEnv, type OpenAITestSetup } from './support.js';

/** A provider context with nothing configured (and an empty environment), plus `overrides`. */
function context(overrides: Partial<ProviderContext> = {}): ProviderContext {
  return { model: 'gpt-4o-mini', endpoint: {}, options: {}, env: {}, file: undefined, ...overrides };
}

/** What a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => expect.fail('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('provider = "openai"', () => {
  it('is registered, names OPENAI_API_KEY, and has credentials with a key or a non-OpenAI base URL', () => {
    expect(providerDefinition('openai')).to.equal(openaiProvider);
    expect(openaiProvider.apiKeyVariable).to.equal('OPENAI_API_KEY');
    expect(openaiProvider.hasCredentials({ OPENAI_API_KEY: 'k' })).to.equal(true);
    expect(openaiProvider.hasCredentials({ OPENAI_BASE_URL: 'http://localhost:11434/v1' })).to.equal(true);
    expect(openaiProvider.hasCredentials({ OPENAI_BASE_URL: 'https://api.openai.com/v1' })).to.equal(false);
    expect(openaiProvider.hasCredentials({ ANTHROPIC_API_KEY: 'k' })).to.equal(false);
  });

  describe('client settings', () => {
    it('reads OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_ORG_ID as the SDK does', () => {
      const settings = openAIClientSettings(context({ env: { OPENAI_API_KEY: 'env-key', OPENAI_BASE_URL: 'https://proxy.example/v1', OPENAI_ORG_ID: 'org-env' } }));
      expect(settings).to.deep.equal({ apiKey: 'env-key', baseURL: 'https://proxy.example/v1', organization: 'org-env' });
      expect(openAIClientSettings(context({ env: { OPENAI_API_KEY: 'k' } }))).to.deep.equal({ apiKey: 'k', baseURL: OPENAI_BASE_URL, organization: null });
    });

    it('start options win over the program base_url, which wins over OPENAI_BASE_URL', () => {
      const env = { OPENAI_API_KEY: 'env-key', OPENAI_BASE_URL: 'https://env.example/v1', OPENAI_ORG_ID: 'org-env' };
      const endpoint = { baseUrl: 'https://program.example/v1' };
      expect(openAIClientSettings(context({ env, endpoint })).baseURL).to.equal('https://program.example/v1');
      const settings = openAIClientSettings(context({ env, endpoint, options: { apiKey: 'opt-key', baseURL: 'https://option.example/v1', organization: 'org-opt', maxRetries: 5, timeout: 1000 } }));
      expect(settings).to.deep.equal({ apiKey: 'opt-key', baseURL: 'https://option.example/v1', organization: 'org-opt', maxRetries: 5, timeout: 1000 });
    });

    it('no key for OpenAI itself: MissingApiKeyError naming OPENAI_API_KEY and the file', () => {
      for (const ctx of [context({ file: 'gpt.toml' }), context({ file: 'gpt.toml', endpoint: { baseUrl: 'https://api.openai.com/v1' } })]) {
        let thrown: unknown;
        try {
          openAIClientSettings(ctx);
        } catch (error) {
          thrown = error;
        }
        expect(thrown).to.be.instanceOf(MissingApiKeyError);
        expect(thrown).to.include({ provider: 'openai', variable: 'OPENAI_API_KEY', file: 'gpt.toml' });
        expect((thrown as Error).message).to.equal('gpt.toml: No OpenAI API key: set the OPENAI_API_KEY environment variable, or pass `apiKey` (or a ready `client`) to program.start().');
      }
    });

    it('an OpenAI-compatible server needs no key: a placeholder is sent', () => {
      expect(openAIClientSettings(context({ endpoint: { baseUrl: 'http://localhost:11434/v1' } })).apiKey).to.equal(KEYLESS_API_KEY);
      expect(openAIClientSettings(context({ env: { OPENAI_BASE_URL: 'http://127.0.0.1:8000/v1' } })).apiKey).to.equal('not-needed');
      expect(openAIClientSettings(context({ options: { baseURL: 'http://lmstudio.local:1234/v1' }, env: { OPENAI_API_KEY: '' } })).apiKey).to.equal('not-needed');
      expect(isOpenAIBaseUrl('https://api.openai.com/v1')).to.equal(true);
      expect(isOpenAIBaseUrl('https://api.openai.com.evil.example/v1')).to.equal(false);
      expect(isOpenAIBaseUrl('not a url')).to.equal(false);
    });
  });

  describe('start()', () => {
    let restoreEnv: (() => void) | undefined;
    let t: OpenAITestSetup | undefined;
    let dir: string | undefined;
    afterEach(async () => {
      restoreEnv?.();
      restoreEnv = undefined;
      await t?.close();
      t = undefined;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    });

    it('without OPENAI_API_KEY rejects with MissingApiKeyError naming it', async () => {
      restoreEnv = withEnv({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
      const error = await rejectionOf(new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start());
      expect(error).to.be.instanceOf(MissingApiKeyError);
      expect(error).to.include({ provider: 'openai', variable: 'OPENAI_API_KEY' });
      expect((error as Error).message).to.include('OPENAI_API_KEY');
    });

    it('reads OPENAI_API_KEY, OPENAI_BASE_URL and OPENAI_ORG_ID from the environment and sends them', async () => {
      t = await setupOpenAITest();
      restoreEnv = withEnv({ OPENAI_API_KEY: OPENAI_SENTINEL_API_KEY, OPENAI_BASE_URL: t.server.baseURL, OPENAI_ORG_ID: 'org-test' });
      const llm = await new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start({ maxRetries: 0 });
      t.server.enqueue(chatReply('from the environment'));
      await llm.run('hi');
      expect(llm.getLastMessage()).to.equal('from the environment');
      expect(t.server.requests[0]!.headers).to.include({ authorization: `Bearer ${OPENAI_SENTINEL_API_KEY}`, 'openai-organization': 'org-test' });
    });

    it("uses the program's base_url with no key, sending the placeholder (a local OpenAI-compatible server)", async () => {
      t = await setupOpenAITest();
      restoreEnv = withEnv({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
      dir = mkdtempSync(path.join(tmpdir(), 'llmproc-openai-'));
      const file = path.join(dir, 'local.toml');
      writeFileSync(file, `[model]\nname = "llama3.2"\nprovider = "openai"\nbase_url = "${t.server.baseURL}"\n`);
      const llm = await LLMProgram.fromToml(file).start({ maxRetries: 0 });
      t.server.enqueue(chatReply('local answer'));
      const result = await llm.run('hi');
      expect(llm.getLastMessage()).to.equal('local answer');
      expect(t.server.requests[0]!.headers['authorization']).to.equal('Bearer not-needed');
      expect(result.costUsd, 'an unpriced local model costs null').to.equal(null);
    });

    it('takes a ready client (anything with chat.completions.create) and refuses something else', async () => {
      t = await setupOpenAITest();
      const { default: OpenAI } = await import('openai');
      const client = new OpenAI({ apiKey: OPENAI_SENTINEL_API_KEY, baseURL: t.server.baseURL, maxRetries: 0 });
      restoreEnv = withEnv({ OPENAI_API_KEY: undefined, OPENAI_BASE_URL: undefined });
      const llm = await new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start({ client });
      t.server.enqueue(chatReply('via the given client'));
      await llm.run('hi');
      expect(llm.getLastMessage()).to.equal('via the given client');
      const error = await rejectionOf(new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start({ client: { messages: {} } }));
      expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.client');
    });

    it('refuses top_k in a TOML openai program when it loads, naming the file and parameters.top_k', () => {
      dir = mkdtempSync(path.join(tmpdir(), 'llmproc-openai-'));
      const file = path.join(dir, 'topk.toml');
      writeFileSync(file, '[model]\nname = "gpt-4o"\nprovider = "openai"\n[parameters]\ntop_k = 40\ntemperature = 0.5\n');
      const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, 'top_k on an openai program');
      expect(error).to.include({ file, keyPath: 'parameters.top_k' });
      expect(error.message).to.equal(`${file}: line 5, column 1: parameters.top_k: OpenAI does not take top_k`);
    });

    it('refuses topK, thinking and betas of a program in code, naming each code key path', async () => {
      const error = (await rejectionOf(
        openaiProvider.create(context({ env: { OPENAI_API_KEY: 'k' }, parameters: { topK: 5, thinking: { type: 'enabled', budgetTokens: 2048 }, betas: ['x'] } })),
      )) as ProgramError;
      expect(error).to.be.instanceOf(ProgramError);
      expect(error.keyPath).to.equal('parameters.topK');
      expect(error.issues.map((issue) => issue.split(':')[0])).to.deep.equal(['parameters.topK', 'parameters.thinking', 'parameters.betas']);
      expect(error.issues[1]).to.include('use reasoning_effort');
      const fromFile = (await rejectionOf(openaiProvider.create(context({ file: 'p.toml', env: { OPENAI_API_KEY: 'k' }, parameters: { betas: ['x'] } })))) as ProgramError;
      expect(fromFile).to.include({ file: 'p.toml', keyPath: 'parameters.betas' });
    });
  });

  describe('when the openai package is missing', () => {
    it('loading it fails with a MissingProviderPackageError saying how to install it', async () => {
      const notFound = Object.assign(new Error("Cannot find package 'openai' imported from /app/dist/providers/openai/load-sdk.js"), { code: 'ERR_MODULE_NOT_FOUND' });
      const error = (await rejectionOf(loadOpenAISdk(() => Promise.reject(notFound)))) as MissingProviderPackageError;
      expect(error).to.be.instanceOf(MissingProviderPackageError).and.instanceOf(LLMProcError);
      expect(error.message).to.equal(`OpenAI (provider = "openai") needs the optional package openai, which could not be loaded (${notFound.message}): run \`npm install openai@6\`.`);
      expect(error).to.include({ provider: 'openai', packageName: 'openai', install: 'npm install openai@6', name: 'MissingProviderPackageError' });
      expect(error.cause).to.equal(notFound);
    });

    it('another missing module (a dependency of the package) is not mistaken for it', async () => {
      const other = Object.assign(new Error("Cannot find package 'formdata-node' imported from /app/node_modules/openai/index.mjs"), { code: 'ERR_MODULE_NOT_FOUND' });
      expect(await rejectionOf(loadOpenAISdk(() => Promise.reject(other)))).to.equal(other);
    });

    it('the installed package loads: the client class, its errors and the stream helper', async () => {
      const sdk: OpenAISdk = await loadOpenAISdk();
      expect(sdk.openai.OpenAI).to.be.a('function');
      expect(sdk.openai.RateLimitError).to.be.a('function');
      expect(sdk.ChatCompletionStream.fromReadableStream).to.be.a('function');
    });
  });
});
