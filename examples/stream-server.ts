/**
 * `process.stream()` served as server-sent events from a plain `node:http` server: each event of a
 * run is one SSE event named by its type, the RunResult comes last, and a client that goes away
 * aborts its run.
 *
 *   npx tsx --conditions=llmproc-source examples/stream-server.ts      # PORT=8787 by default
 *   curl -N 'http://127.0.0.1:8787/?prompt=What%20is%2012*34%3F'
 *
 * Uses the real API when ANTHROPIC_API_KEY is set, otherwise the offline scripted model
 * (`offline: 'auto'`).
 */
import { createServer, type ServerResponse } from 'node:http';
import { fileURLToPath } from 'node:url';
import { LLMProgram } from 'llmproc';

const program = LLMProgram.fromToml(fileURLToPath(new URL('./calculator.toml', import.meta.url)));

/** Writes one server-sent event. */
function send(response: ServerResponse, event: string, data: unknown): void {
  response.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const server = createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://localhost');
  const prompt = url.searchParams.get('prompt');
  if (request.method !== 'GET' || url.pathname !== '/' || !prompt) {
    response.writeHead(400, { 'content-type': 'text/plain' }).end('Usage: GET /?prompt=<your prompt>\n');
    return;
  }
  response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  // One process per request: its own conversation, closed when the response ends.
  const llm = await program.start({ offline: 'auto' });
  const events = llm.stream(prompt);
  // A client that leaves ends the loop: return() aborts the run and waits for it to settle.
  response.on('close', () => void events.return());
  try {
    for await (const event of events) {
      // `{ type: 'tool:start', toolName, ... }`; the last is `{ type: 'result', runResult }` (its toJSON()).
      send(response, event.type, event);
    }
  } catch (error) {
    // A failed run: its events came first (through run:end), then its RunError.
    send(response, 'error', { name: (error as Error).name, message: (error as Error).message });
  } finally {
    response.end();
    await llm.close();
  }
});

server.listen(Number(globalThis.process.env['PORT'] ?? 8787), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : '?';
  console.log(`listening on http://127.0.0.1:${port}/?prompt=...`);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  globalThis.process.once(signal, () => server.close(() => globalThis.process.exit(0)));
}
