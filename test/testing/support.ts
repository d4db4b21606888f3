/** Shared helpers of the test kit's own tests: a client of the fake server, and small requests. */
import Anthropic from '@anthropic-ai/sdk';
import type { FakeAnthropicServer } from '../../lib/testing/index.js';

/** The real SDK pointed at `server`, without retries unless asked. */
export function clientOf(server: FakeAnthropicServer, maxRetries = 0): Anthropic {
  return new Anthropic({ apiKey: 'sk-test', baseURL: server.url, maxRetries });
}

/** A user message. */
export const user = (content: Anthropic.MessageParam['content']): Anthropic.MessageParam => ({ role: 'user', content });

/** A minimal request body saying `text`. */
export const request = (text = 'hi', extra: Partial<Anthropic.MessageCreateParamsNonStreaming> = {}) => ({
  model: 'claude-test',
  max_tokens: 100,
  messages: [user(text)],
  ...extra,
});

export { rejectionOf, signalled } from '../support/promises.js';

/** A raw POST to the fake server, without the SDK. */
export function post(server: FakeAnthropicServer, body: unknown, headers: Record<string, string> = {}, path = '/v1/messages'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}
