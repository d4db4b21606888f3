/**
 * One factory for Gemini provider tests: a fake Gemini server, a program of provider gemini (or
 * gemini_vertex), and a started process whose real `@google/genai` client talks to the server.
 */
import { LLMProgram, type LLMProgramOptions } from '../../../lib/program/llm-program.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { StartOptions } from '../../../lib/process/start.js';
import { checkGenerateContentRequest, type FakeGeminiOptions, type FakeGeminiServer, startFakeGemini } from '../../../lib/testing/index.js';
import { GEMINI_SENTINEL_API_KEY } from '../../support/sentinel-keys.js';

/** A recognizable Gemini key: the sentinel watch fails any test in which it shows up (R19). */
export { GEMINI_SENTINEL_API_KEY };

/** A part of a `generateContent` body, as the fake server recorded it. */
export type BodyPart = {
  text?: string;
  thoughtSignature?: string;
  inlineData?: { mimeType: string; data: string };
  functionCall?: { id?: string; name: string; args?: Record<string, unknown> };
  functionResponse?: { id?: string; name: string; response: Record<string, unknown> };
};

/** A `generateContent` request body, as the fake server recorded it. */
export interface GeminiBody {
  contents: { role: string; parts: BodyPart[] }[];
  systemInstruction?: { parts: BodyPart[] };
  tools?: { functionDeclarations: { name: string; description?: string; parametersJsonSchema?: unknown }[] }[];
  toolConfig?: unknown;
  generationConfig?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface GeminiTestSetup {
  server: FakeGeminiServer;
  program: LLMProgram;
  process: LLMProcess;
  /** The request bodies the server got, in order. */
  bodies(): GeminiBody[];
  /** Closes the process and the server. */
  close(): Promise<void>;
}

/** Starts a fake Gemini server and a process of `program` (or of a minimal gemini program) against it. */
export async function setupGeminiTest(
  programOrOptions: LLMProgram | Partial<LLMProgramOptions> = {},
  startOptions: StartOptions = {},
  serverOptions: FakeGeminiOptions = {},
): Promise<GeminiTestSetup> {
  const server = await startFakeGemini(serverOptions);
  const program =
    programOrOptions instanceof LLMProgram
      ? programOrOptions
      : new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini', systemPrompt: 'You are a test.', ...programOrOptions });
  const credentials = program.provider === 'gemini_vertex' ? { accessToken: 'ya29.fake-vertex-token-0123456789' } : { apiKey: GEMINI_SENTINEL_API_KEY };
  const process = await program.start({ ...credentials, baseURL: server.url, maxRetries: 0, ...startOptions });
  return {
    server,
    program,
    process,
    bodies: () => server.requests.map((request) => request.body as GeminiBody),
    async close() {
      await process.close();
      await server.close();
    },
  };
}

/** Asserts that every request the fake server got was valid for Gemini. */
export function expectValidGeminiRequests(server: FakeGeminiServer): void {
  for (const request of server.requests) {
    const problem = checkGenerateContentRequest(request.body);
    if (problem !== undefined) throw new Error(`invalid request sent: ${problem}\n${JSON.stringify(request.body)}`);
  }
}
