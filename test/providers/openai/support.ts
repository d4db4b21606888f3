/**
 * One factory for OpenAI provider tests: a fake OpenAI server, a program of provider openai, and a
 * started process whose real `openai` SDK client talks to the server over HTTP.
 */
import { LLMProgram, type LLMProgramOptions } from '../../../lib/program/llm-program.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { StartOptions } from '../../../lib/process/start.js';
import { checkChatCompletionsRequest, type FakeOpenAIServer, startFakeOpenAI } from '../../../lib/testing/index.js';

/** A recognizable OpenAI key: the sentinel watch fails any test in which it shows up (R19). */
export { OPENAI_SENTINEL_API_KEY } from '../../support/sentinel-keys.js';
import { OPENAI_SENTINEL_API_KEY } from '../../support/sentinel-keys.js';

/** A Chat Completions request body, as the fake server recorded it. */
export interface ChatBody {
  model: string;
  messages: { role: string; content?: unknown; tool_calls?: { id: string; function: { name: string; arguments: string } }[]; tool_call_id?: string }[];
  tools?: { function: { name: string } }[];
  stream?: boolean;
  stream_options?: unknown;
  [key: string]: unknown;
}

export interface OpenAITestSetup {
  server: FakeOpenAIServer;
  program: LLMProgram;
  process: LLMProcess;
  /** The request bodies the server got, in order. */
  bodies(): ChatBody[];
  /** Closes the process and the server. */
  close(): Promise<void>;
}

/** Starts a fake OpenAI server and a process of `program` (or of a minimal openai program) against it. */
export async function setupOpenAITest(programOrOptions: LLMProgram | Partial<LLMProgramOptions> = {}, startOptions: StartOptions = {}): Promise<OpenAITestSetup> {
  const server = await startFakeOpenAI();
  const program =
    programOrOptions instanceof LLMProgram
      ? programOrOptions
      : new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai', systemPrompt: 'You are a test.', ...programOrOptions });
  const process = await program.start({ apiKey: OPENAI_SENTINEL_API_KEY, baseURL: server.baseURL, maxRetries: 0, ...startOptions });
  return {
    server,
    program,
    process,
    bodies: () => server.requests.map((request) => request.body as ChatBody),
    async close() {
      await process.close();
      await server.close();
    },
  };
}

/** Asserts that every request the fake server got was valid for Chat Completions. */
export function expectValidOpenAIRequests(server: FakeOpenAIServer): void {
  for (const request of server.requests) {
    const problem = checkChatCompletionsRequest(request.body);
    if (problem !== undefined) throw new Error(`invalid request sent: ${problem}\n${JSON.stringify(request.body)}`);
  }
}

/** Sets environment variables for a test; returns the function that puts the old values back. */
export function withEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(Object.keys(values).map((name) => [name, process.env[name]]));
  const apply = (next: Record<string, string | undefined>): void => {
    for (const [name, value] of Object.entries(next)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
  apply(values);
  return () => apply(saved);
}
