/**
 * The benchmark's model: the test kit's fake Anthropic server in its own process (so its CPU is not
 * counted), with zero latency. A prompt "turns=N ..." gets N tool_use turns, then a text answer.
 * Prints the server URL on stdout.
 */
import { startFakeAnthropic, textReply, toolUseReply } from 'llmproc/testing';

type Message = { role: string; content: string | Array<{ type: string; text?: string }> };

function turnsWanted(messages: Message[]): number {
  const first = messages[0]!;
  const text = typeof first.content === 'string' ? first.content : first.content.map((block) => block.text ?? '').join(' ');
  return Number(/turns=(\d+)/.exec(text)?.[1] ?? 0);
}

const server = await startFakeAnthropic({
  responder: (request) => {
    const messages = (request.body as { messages: Message[] }).messages;
    const done = messages.filter((message) => message.role === 'assistant').length;
    return done < turnsWanted(messages)
      ? toolUseReply([{ name: 'echo', input: { text: `turn ${done + 1}` } }], { usage: { input_tokens: 50, output_tokens: 10 } })
      : textReply('All done.', { usage: { input_tokens: 60, output_tokens: 5 } });
  },
});
process.stdout.write(`${server.url}\n`);
process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
