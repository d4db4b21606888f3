/**
 * One factory for tests: a fake Anthropic server, a program, and a started process whose real
 * Anthropic SDK client talks to the server over HTTP.
 */
import { LLMProgram, type LLMProgramOptions } from '../../lib/program/llm-program.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import type { StartOptions } from '../../lib/process/start.js';
import { checkMessagesRequest, type FakeAnthropicServer, startFakeAnthropic } from '../../lib/testing/index.js';

import { SENTINEL_API_KEY } from './sentinel-keys.js';

/** A recognizable API key: tests assert it never leaks. */
export { SENTINEL_API_KEY };

export interface TestSetup {
  server: FakeAnthropicServer;
  program: LLMProgram;
  process: LLMProcess;
  /** Closes the process and the server. */
  close(): Promise<void>;
}

/** Starts a fake server and a process of `program` (or of a minimal code program) against it. */
export async function setupTest(
  programOrOptions: LLMProgram | Partial<LLMProgramOptions> = {},
  startOptions: StartOptions = {},
): Promise<TestSetup> {
  const server = await startFakeAnthropic();
  const program =
    programOrOptions instanceof LLMProgram
      ? programOrOptions
      : new LLMProgram({ model: 'claude-test', provider: 'anthropic', systemPrompt: 'You are a test.', ...programOrOptions });
  const process = await program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0, ...startOptions });
  return {
    server,
    program,
    process,
    async close() {
      await process.close();
      await server.close();
    },
  };
}

/** Asserts that every request the fake server got was valid for the Messages API. */
export function expectValidRequests(t: TestSetup): void {
  for (const request of t.server.requests) {
    const problem = checkMessagesRequest(request.body);
    if (problem !== undefined) throw new Error(`invalid request sent: ${problem}\n${JSON.stringify(request.body)}`);
  }
}

export { signalled } from './promises.js';
