/**
 * Every llmproc 0.2.0 example program, loaded unchanged, started on its own provider's real SDK
 * and run on the scripted model behind the matching fake server: Anthropic programs on the fake
 * Messages API, OpenAI programs on the fake Chat Completions API, Claude on Vertex on the fake
 * server's Vertex paths. `vertex.toml` (a provider 0.2.0 named but never ran) is refused, pointing
 * at `anthropic_vertex`. MCP programs run from a copy of the folder whose config points at local
 * stand-ins (the real codemcp comes from GitHub through uvx; the `time` server is not in the file).
 */
import { expect } from 'chai';
import { cpSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import { UnsupportedProviderError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import {
  checkChatCompletionsRequest,
  checkMessagesRequest,
  type FakeAnthropicServer,
  type FakeOpenAIServer,
  startScriptedModel,
  startScriptedOpenAI,
} from '../../lib/testing/index.js';
import { OPENAI_SENTINEL_API_KEY, SENTINEL_API_KEY } from '../support/sentinel-keys.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const COMPAT = path.resolve(here, '../fixtures/compat/llmproc-0.2.0');
const MCP_FIXTURES = path.resolve(here, '../fixtures/mcp');

/** Every program file of the 0.2.0 examples, relative to the examples folder. */
function programFiles(dir: string, prefix = ''): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.isDirectory()) return programFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`);
    return entry.name.endsWith('.toml') ? [`${prefix}${entry.name}`] : [];
  });
}

/** What to ask each program, so that its tools (when it has some) are used. */
const PROMPTS: Record<string, string> = {
  'calculator.toml': 'What is 12*34?',
  'mcp_time.toml': 'What time is it in Tokyo?',
  'mcp.toml': 'What time is it?',
  'claude_code_dispatch_agent.toml': 'Please read README.md',
  'program_linking/main.toml': 'Ask repo_expert: what is llmproc?',
  'fork.toml': 'Fork: summarize README.md; summarize prompts/example_prompt.md',
};

describe('every llmproc 0.2.0 example program starts on its own provider and completes a scripted run', () => {
  let root: string;
  let anthropic: FakeAnthropicServer;
  let openai: FakeOpenAIServer;
  let warnings: sinon.SinonStub;
  const processes: LLMProcess[] = [];

  before(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'llmproc-compat-walk-'));
    cpSync(COMPAT, root, { recursive: true });
    const servers = {
      codemcp: { type: 'stdio', command: process.execPath, args: [path.join(MCP_FIXTURES, 'codemcp-stand-in.mjs')], cwd: root },
      time: { type: 'stdio', command: process.execPath, args: [path.join(MCP_FIXTURES, 'time-stand-in.mjs')] },
    };
    writeFileSync(path.join(root, 'config', 'mcp_servers.json'), JSON.stringify({ mcpServers: servers }));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  beforeEach(async () => {
    [anthropic, openai] = await Promise.all([startScriptedModel(), startScriptedOpenAI()]);
    warnings = sinon.stub(process, 'emitWarning');
  });
  afterEach(async () => {
    warnings.restore();
    await Promise.all(processes.splice(0).map((started) => started.close()));
    await Promise.all([anthropic.close(), openai.close()]);
  });

  const files = programFiles(path.join(COMPAT, 'examples'));

  it('walks all of them (the fifteen programs and the two of program_linking)', () => {
    expect(files).to.have.length(17);
  });

  for (const file of files) {
    it(file, async () => {
      const program = LLMProgram.fromToml(path.join(root, 'examples', file));
      if (file === 'vertex.toml') {
        const error = await program.start({ apiKey: SENTINEL_API_KEY }).catch((e: unknown) => e);
        expect(error).to.be.instanceOf(UnsupportedProviderError);
        expect((error as Error).message).to.include('use provider = "anthropic_vertex"');
        return;
      }
      const options =
        program.provider === 'openai'
          ? { apiKey: OPENAI_SENTINEL_API_KEY, baseURL: openai.baseURL, maxRetries: 0 }
          : program.provider === 'anthropic_vertex'
            ? { accessToken: 'ya29.compat-walk', projectId: 'compat-project', region: 'us-east5', baseURL: `${anthropic.url}/v1`, maxRetries: 0 }
            : { apiKey: SENTINEL_API_KEY, baseURL: anthropic.url, maxRetries: 0 };
      const started = await program.start(options);
      processes.push(started);
      const result = await started.run(PROMPTS[file] ?? 'Hello! Who are you?');

      expect(result.stopReason, file).to.equal('end_turn');
      expect(started.getLastMessage(), file).to.not.equal('');
      const [own, other] = program.provider === 'openai' ? [openai, anthropic] : [anthropic, openai];
      expect(own.requests.length, `${file}: requests to its own provider's server`).to.be.greaterThan(0);
      expect(other.requests, `${file}: requests to the other provider's server`).to.have.length(0);
      expect(result.apiCalls, file).to.equal(own.requests.length);
      for (const request of own.requests) {
        // On Vertex the model is in the path, not the body.
        const body = request.vertex ? { ...(request.body as object), model: request.vertex.model } : request.body;
        const problem = program.provider === 'openai' ? checkChatCompletionsRequest(body) : checkMessagesRequest(body);
        expect(problem, `${file}: ${JSON.stringify(request.body).slice(0, 300)}`).to.equal(undefined);
      }
      if (file in PROMPTS) expect(result.toolCalls.length, `${file} used its tools`).to.be.greaterThan(0);
    });
  }
});
