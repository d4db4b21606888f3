import { expect } from 'chai';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { envValues, sharedClient } from '../../lib/providers/shared-client.js';
import { startFakeAnthropic, textReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/sentinel-keys.js';

describe('shared SDK clients', () => {
  it('creates one client per settings and hands it out again', () => {
    let created = 0;
    const create = () => ({ n: ++created });
    const key = ['test-provider', 'key-a', 'http://a', { 'x-h': '1' }, [null]];
    const first = sharedClient(key, create);
    expect(sharedClient([...key], create)).to.equal(first);
    expect(sharedClient(['test-provider', 'key-b', 'http://a', { 'x-h': '1' }, [null]], create)).not.to.equal(first);
    expect(sharedClient(['test-provider', 'key-a', 'http://a', { 'x-h': '2' }, [null]], create)).not.to.equal(first);
    expect(created).to.equal(3);
  });

  it('compares with the last settings value by value, nested lists included, before building a key', () => {
    let created = 0;
    const create = () => ({ n: ++created });
    const a = sharedClient(['compare', 'k', [null, 'x']], create);
    expect(sharedClient(['compare', 'k', [null, 'x']], create), 'equal values, new lists').to.equal(a);
    const b = sharedClient(['compare', 'k', [null, 'y']], create);
    expect(b, 'a nested value differs').not.to.equal(a);
    expect(sharedClient(['compare', 'k', [null]], create), 'a nested list is shorter').not.to.equal(b);
    expect(sharedClient(['compare', 'k', [null, 'x']], create), 'the first settings again, after others').to.equal(a);
    expect(sharedClient(['compare', 'k', { h: '1' }], create)).to.equal(sharedClient(['compare', 'k', { h: '1' }], create));
    expect(created).to.equal(4);
  });

  it('gives another client when the same headers object was changed between two starts', () => {
    let created = 0;
    const create = () => ({ n: ++created });
    const headers: Record<string, string> = { 'x-team': 'a' };
    const first = sharedClient(['mutated', headers], create);
    expect(sharedClient(['mutated', headers], create), 'unchanged').to.equal(first);
    headers['x-team'] = 'b';
    expect(sharedClient(['mutated', headers], create), 'changed since').not.to.equal(first);
    expect(created).to.equal(2);
  });

  it('gives a new client once globalThis.fetch was replaced (a client keeps the fetch it was created with)', () => {
    const key = ['test-provider', 'fetch'];
    const before = sharedClient(key, () => ({}));
    const original = globalThis.fetch;
    globalThis.fetch = ((...args: Parameters<typeof fetch>) => original(...args)) as typeof fetch;
    try {
      expect(sharedClient(key, () => ({}))).not.to.equal(before);
    } finally {
      globalThis.fetch = original;
    }
    expect(sharedClient(key, () => ({}))).to.equal(before);
  });

  it('envValues reads the variables in order, null when unset', () => {
    expect(envValues({ A: 'x' }, ['A', 'B'])).to.deep.equal(['x', null]);
  });

  it('a start that reuses the client reads only the variables no option overrides (process.env is slow to read)', async () => {
    const server = await startFakeAnthropic();
    const original = process.env;
    try {
      const program = new LLMProgram({ model: 'claude-test', provider: 'anthropic' });
      const options = { apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 };
      const read: string[] = [];
      process.env = new Proxy(original, { get: (target, name) => (typeof name === 'string' && read.push(name), Reflect.get(target, name)) });
      await (await program.start(options)).close(); // creates the client: the SDK reads what it reads
      process.env = original;
      // llmproc never verifies webhooks: the client is made with webhookKey null, so the SDK does not read their key.
      expect(read).to.include('ANTHROPIC_LOG');
      expect(read).to.not.include('ANTHROPIC_WEBHOOK_SIGNING_KEY');
      read.length = 0;
      process.env = new Proxy(original, { get: (target, name) => (typeof name === 'string' && read.push(name), Reflect.get(target, name)) });
      await (await program.start(options)).close();
      process.env = original;
      expect(read.filter((name) => name.startsWith('ANTHROPIC_')).sort()).to.deep.equal(['ANTHROPIC_CUSTOM_HEADERS', 'ANTHROPIC_LOG']);
      read.length = 0;
      process.env = new Proxy(original, { get: (target, name) => (typeof name === 'string' && read.push(name), Reflect.get(target, name)) });
      await (await program.start({ apiKey: SENTINEL_API_KEY, maxRetries: 0 })).close();
      process.env = original;
      // No base URL given: the SDK reads ANTHROPIC_BASE_URL, so it is part of the client's key; a key given is its only credential.
      expect(read).to.include('ANTHROPIC_BASE_URL');
      expect(read).to.not.include('ANTHROPIC_AUTH_TOKEN');
    } finally {
      process.env = original;
      await server.close();
    }
  });

  describe('when the environment changes between starts', () => {
    const saved = process.env['ANTHROPIC_BASE_URL'];
    afterEach(() => {
      if (saved === undefined) delete process.env['ANTHROPIC_BASE_URL'];
      else process.env['ANTHROPIC_BASE_URL'] = saved;
    });

    it('a start after ANTHROPIC_BASE_URL changed talks to the new URL, not through the client of the old one', async () => {
      const [one, two] = await Promise.all([startFakeAnthropic(), startFakeAnthropic()]);
      try {
        const program = new LLMProgram({ model: 'claude-test', provider: 'anthropic' });
        for (const server of [one, two]) {
          process.env['ANTHROPIC_BASE_URL'] = server.url;
          server.enqueue(textReply('hi'));
          const llm = await program.start({ apiKey: SENTINEL_API_KEY, maxRetries: 0 });
          await llm.run('hello');
          await llm.close();
        }
        expect([one.requests.length, two.requests.length]).to.deep.equal([1, 1]);
      } finally {
        await Promise.all([one.close(), two.close()]);
      }
    });
  });
});
