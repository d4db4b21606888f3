/**
 * examples/stream-server.ts, run as users run it: a child process serving process.stream() as
 * server-sent events, offline on the scripted model and against the fake server as on the API.
 */
import { expect } from 'chai';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { type RunningExample, startExample } from './support.js';

interface SseEvent {
  event: string;
  data: Record<string, unknown>;
}

/** The events of a server-sent event stream (`event:` and one `data:` line each). */
function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
      const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
      return { event, data: JSON.parse(data) as Record<string, unknown> };
    });
}

/** GETs the example's stream for `prompt` and reads it to its end. */
async function streamOf(example: RunningExample, prompt: string): Promise<{ status: number; type: string | null; events: SseEvent[] }> {
  const response = await fetch(`${example.url}/?prompt=${encodeURIComponent(prompt)}`);
  return { status: response.status, type: response.headers.get('content-type'), events: parseSse(await response.text()) };
}

describe('examples/stream-server.ts', function () {
  this.timeout(40_000); // a child process compiling the sources through tsx
  let example: RunningExample | undefined;
  let server: FakeAnthropicServer | undefined;
  afterEach(async () => {
    await example?.stop();
    await server?.close();
    example = undefined;
    server = undefined;
  });

  it('offline, streams a calculator run as server-sent events, the RunResult last', async () => {
    example = await startExample('stream-server.ts', {});
    const { status, type, events } = await streamOf(example, 'What is 12*34?');
    expect(status).to.equal(200);
    expect(type).to.equal('text/event-stream');
    const names = events.map((e) => e.event).filter((name) => name !== 'text');
    expect(names).to.deep.equal([
      'run:start', 'api:start', 'api:call', 'response', 'tool:start', 'tool:end', 'api:start', 'api:call', 'response', 'run:end', 'result',
    ]);
    expect(events.some((e) => e.event === 'text'), 'responses are streamed').to.equal(true);
    for (const { event, data } of events) expect(data['type'], 'each data is the event, tagged').to.equal(event);
    expect(events.find((e) => e.event === 'tool:start')!.data).to.deep.include({ toolName: 'calculator', args: { expression: '12*34' } });
    const runResult = events.at(-1)!.data['runResult'] as Record<string, unknown>;
    expect(runResult).to.deep.include({ apiCalls: 2, stopReason: 'end_turn', lastMessage: 'The calculator says 408.', completed: true });
    expect(example.stderr()).to.include('LLMProcOfflineWarning');
  });

  it('answers a request without a prompt with its usage', async () => {
    example = await startExample('stream-server.ts', {});
    const response = await fetch(`${example.url}/`);
    expect(response.status).to.equal(400);
    expect(await response.text()).to.equal('Usage: GET /?prompt=<your prompt>\n');
  });

  it('with a key, streams what the API answers, and a failed run ends with an error event after its events', async () => {
    server = await startFakeAnthropic();
    server.enqueue(
      toolUseReply([{ name: 'calculator', input: { expression: '2+3' } }], { text: 'Computing.' }),
      textReply('It is 5.'),
    );
    example = await startExample('stream-server.ts', { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url });
    const { events } = await streamOf(example, 'What is 2+3?');
    expect(events.find((e) => e.event === 'tool:end')!.data).to.deep.include({ toolName: 'calculator', isError: false });
    expect(events.at(-1)!.data['runResult']).to.deep.include({ lastMessage: 'It is 5.', apiCalls: 2 });
    expect(server.requests.map((r) => (r.body as { stream?: boolean }).stream)).to.deep.equal([true, true]);

    const failed = await streamOf(example, 'This one fails'); // the server has no reply left: it answers 500
    expect(failed.events.map((e) => e.event)).to.deep.equal(['run:start', 'api:start', 'run:end', 'error']);
    expect(failed.events.at(-1)!.data).to.deep.include({ name: 'ApiCallError' });
    expect(example.stderr()).not.to.include('OFFLINE');
  });
});
