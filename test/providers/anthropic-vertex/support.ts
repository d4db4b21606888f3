/**
 * Shared by the Claude on Vertex tests: a fake server serving Vertex's paths, a Vertex program and
 * a process whose real `@anthropic-ai/vertex-sdk` client talks to the server over HTTP with a
 * given access token (no Google network).
 */
import { LLMProgram, type LLMProgramOptions } from '../../../lib/program/llm-program.js';
import type { LLMProcess } from '../../../lib/process/llm-process.js';
import type { StartOptions } from '../../../lib/process/start.js';
import { type FakeAnthropicOptions, type FakeAnthropicServer, startFakeAnthropic } from '../../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../../support/setup.js';

/** The access token the tests give: the sentinel the root hook watches for (R19). */
export const ACCESS_TOKEN = SENTINEL_API_KEY;

/** The model the tests run (priced by the 'google' catalog). */
export const VERTEX_MODEL = 'claude-3-5-haiku@20241022';

/** The path Vertex serves the test model at, for `method`. */
export const modelPath = (method: 'rawPredict' | 'streamRawPredict', project = 'test-project', region = 'us-east5', model = VERTEX_MODEL): string =>
  `/v1/projects/${project}/locations/${region}/publishers/anthropic/models/${model}:${method}`;

/** A request body as the fake server recorded it. */
export type VertexBody = Record<string, unknown> & { messages: Array<{ role: string; content: Array<Record<string, unknown>> }> };

/** A started Vertex process and its server. */
export interface VertexSetup {
  server: FakeAnthropicServer;
  program: LLMProgram;
  process: LLMProcess;
  /** The bodies of the requests the server got. */
  bodies(): VertexBody[];
  close(): Promise<void>;
}

/**
 * Starts a fake server that serves `VERTEX_MODEL` to `ACCESS_TOKEN` only, and a process of a
 * Vertex program (project `test-project`, region `us-east5`, unless `programOptions` say) on it.
 */
export async function setupVertex(
  programOptions: Partial<LLMProgramOptions> = {},
  startOptions: StartOptions = {},
  serverOptions: FakeAnthropicOptions = {},
): Promise<VertexSetup> {
  const program = new LLMProgram({
    model: VERTEX_MODEL,
    provider: 'anthropic_vertex',
    projectId: 'test-project',
    region: 'us-east5',
    systemPrompt: 'You are a test.',
    ...programOptions,
  });
  const server = await startFakeAnthropic({ vertexAccessToken: ACCESS_TOKEN, models: [VERTEX_MODEL], ...serverOptions });
  try {
    const process = await program.start({ accessToken: ACCESS_TOKEN, baseURL: server.vertexUrl, maxRetries: 0, ...startOptions });
    return {
      server,
      program,
      process,
      bodies: () => server.requests.map((request) => request.body as VertexBody),
      async close() {
        await process.close();
        await server.close();
      },
    };
  } catch (error) {
    await server.close();
    throw error;
  }
}
