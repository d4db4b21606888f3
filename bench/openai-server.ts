/**
 * The OpenAI benchmark's model: the test kit's fake Chat Completions server in its own process (so
 * its CPU is not counted), with zero latency. A prompt "turns=N ..." gets N tool_calls turns, then
 * a text answer. Prints the server's base URL (…/v1) on stdout.
 */
import { chatReply, startFakeOpenAI, toolCallsReply } from 'llmproc/testing';

type Message = { role: string; content: unknown };

function turnsWanted(messages: Message[]): number {
  const first = messages.find((message) => message.role === 'user');
  const text = typeof first?.content === 'string' ? first.content : JSON.stringify(first?.content ?? '');
  return Number(/turns=(\d+)/.exec(text)?.[1] ?? 0);
}

const server = await startFakeOpenAI({
  responder: (request) => {
    const messages = (request.body as { messages: Message[] }).messages;
    const done = messages.filter((message) => message.role === 'assistant').length;
    return done < turnsWanted(messages)
      ? toolCallsReply([{ name: 'echo', arguments: { text: `turn ${done + 1}` } }], { usage: { prompt_tokens: 50, completion_tokens: 10 } })
      : chatReply('All done.', { usage: { prompt_tokens: 60, completion_tokens: 5 } });
  },
});
process.stdout.write(`${server.baseURL}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
