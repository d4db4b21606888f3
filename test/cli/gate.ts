/**
 * A gate for a tool to wait on: an HTTP server on 127.0.0.1 that holds every request until the
 * test opens it. The gate MCP server (fixtures/gate-server.mjs) calls it from its `wait` tool.
 *
 * @module
 */
import { createServer, type ServerResponse } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The gate MCP server's script. */
export const gateServerScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/gate-server.mjs');

/** A running gate. */
export interface Gate {
  readonly url: string;
  /** Resolves when a request (a tool call) is waiting at the gate. */
  readonly reached: Promise<void>;
  /** Answers every waiting request, and later ones at once, with `text`. */
  open(text: string): void;
  close(): Promise<void>;
}

/** Starts a closed gate. */
export async function startGate(): Promise<Gate> {
  const waiting: ServerResponse[] = [];
  let answer: string | undefined;
  let reach!: () => void;
  const reached = new Promise<void>((resolve) => (reach = resolve));
  const server = createServer((_request, response) => {
    if (answer !== undefined) return void response.end(answer);
    waiting.push(response);
    reach();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('gate: no TCP address');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    reached,
    open(text) {
      answer = text;
      for (const response of waiting.splice(0)) response.end(text);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const response of waiting.splice(0)) response.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
