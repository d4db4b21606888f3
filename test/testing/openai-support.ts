/** Shared helpers of the fake OpenAI server's tests: a client of the server, and small requests. */
import OpenAI from 'openai';
import type { FakeOpenAIServer } from '../../lib/testing/index.js';

/** The real SDK pointed at `server`, without retries unless asked. */
export function openAIClientOf(server: FakeOpenAIServer, maxRetries = 0): OpenAI {
  return new OpenAI({ apiKey: 'sk-test', baseURL: server.baseURL, maxRetries });
}

/** Request parameters without `stream`: good for create() and stream() alike. */
type ChatParams = Omit<OpenAI.ChatCompletionCreateParamsNonStreaming, 'stream'>;

/** A minimal request body saying `text`. */
export const chatRequest = (text = 'hi', extra: Partial<ChatParams> = {}): ChatParams => ({
  model: 'gpt-test',
  messages: [{ role: 'user', content: text }],
  ...extra,
});

/** A raw POST to the fake server's chat completions route, without the SDK. */
export function postChat(server: FakeOpenAIServer, body: unknown, headers: Record<string, string> = { authorization: 'Bearer k' }, path = '/v1/chat/completions'): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

export { rejectionOf, signalled } from '../support/promises.js';
