/**
 * The gemini and gemini_vertex provider definitions: credentials from the start options or the
 * environment (with errors naming the variables and the program file), parameters refused when a
 * program loads, Vertex's project and region, a ready client, and the SDK loaded only on start.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, MissingApiKeyError, ProgramError } from '../../../lib/errors.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { geminiClientOptions, geminiVertexSettings } from '../../../lib/providers/gemini/client-options.js';
import { geminiProvider, geminiVertexProvider } from '../../../lib/providers/gemini/definition.js';
import { loadGeminiSdk } from '../../../lib/providers/gemini/load-sdk.js';
import { providerDefinition } from '../../../lib/providers/index.js';
import { MissingProviderPackageError, MissingProviderSettingError } from '../../../lib/providers/provider-errors.js';
import { type FakeGeminiServer, geminiErrorReply, geminiTextReply, startFakeGemini } from '../../../lib/testing/index.js';
import { everything } from '../../reliability/leak-scan.js';
import { rejectionOf } from '../../support/promises.js';
import { thrownBy } from '../../support/thrown-by.js';
import { GEMINI_SENTINEL_API_KEY, setupGeminiTest, type GeminiTestSetup } from './support.js';

const ACCESS_TOKEN = 'ya29.gemini-vertex-token-0123456789';

describe('the gemini provider definitions', () => {
  let dir: string | undefined;
  let server: FakeGeminiServer | undefined;
  let t: GeminiTestSetup | undefined;
  const saved = { ...process.env };
  afterEach(async () => {
    for (const name of ['GEMINI_API_KEY', 'GOOGLE_API_KEY', 'GOOGLE_GEMINI_BASE_URL', 'GOOGLE_CLOUD_PROJECT', 'CLOUD_ML_REGION', 'GOOGLE_CLOUD_LOCATION']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
    await t?.close();
    await server?.close();
    dir = undefined;
    server = undefined;
    t = undefined;
  });

  /** Writes a TOML program into a fresh folder; returns its path. */
  const programFile = (name: string, toml: string): string => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-gemini-'));
    const file = path.join(dir, name);
    writeFileSync(file, toml);
    return file;
  };

  it('registers gemini and gemini_vertex, with the variables that hold their credentials', () => {
    expect(providerDefinition('gemini')).to.equal(geminiProvider);
    expect(providerDefinition('gemini_vertex')).to.equal(geminiVertexProvider);
    expect(geminiProvider.apiKeyVariable).to.equal('GEMINI_API_KEY');
    expect([{ GEMINI_API_KEY: 'k' }, { GOOGLE_API_KEY: 'k' }, { OPENAI_API_KEY: 'k' }, { GEMINI_API_KEY: ' ' }].map((env) => geminiProvider.hasCredentials(env))).to.deep.equal([true, true, false, false]);
    expect(geminiVertexProvider.apiKeyVariable).to.equal(undefined);
    expect([{ GOOGLE_CLOUD_PROJECT: 'p' }, { GEMINI_API_KEY: 'k' }].map((env) => geminiVertexProvider.hasCredentials(env))).to.deep.equal([true, false]);
  });

  it('without a key, start() refuses naming GEMINI_API_KEY, GOOGLE_API_KEY and the program file', async () => {
    delete process.env['GEMINI_API_KEY'];
    delete process.env['GOOGLE_API_KEY'];
    const file = programFile('gemini.toml', '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini"\n');
    const error = (await rejectionOf(LLMProgram.fromToml(file).start())) as MissingApiKeyError;
    expect(error).to.be.instanceOf(MissingApiKeyError).and.include({ provider: 'gemini', file });
    expect(error.message).to.equal(`${file}: No Gemini API key: set the GEMINI_API_KEY (or GOOGLE_API_KEY) environment variable, or pass \`apiKey\` (or a ready \`client\`) to program.start().`);
  });

  it('takes the key from GOOGLE_API_KEY, else GEMINI_API_KEY (the SDK\'s order), and the base URL from GOOGLE_GEMINI_BASE_URL', async () => {
    const context = (env: Record<string, string>) => ({ options: {}, endpoint: {}, env, file: undefined });
    expect(geminiClientOptions(context({ GEMINI_API_KEY: 'gem', GOOGLE_API_KEY: 'goo' })).apiKey).to.equal('goo');
    expect(geminiClientOptions(context({ GEMINI_API_KEY: 'gem' })).apiKey).to.equal('gem');
    expect(geminiClientOptions({ ...context({ GEMINI_API_KEY: 'gem' }), options: { apiKey: 'opt', maxRetries: 4, timeout: 9000 } })).to.deep.include({
      vertexai: false,
      apiKey: 'opt',
      httpOptions: { retryOptions: { attempts: 5, initialDelay: 0.5, maxDelay: 8 }, timeout: 9000 },
    });
    server = await startFakeGemini({ apiKey: GEMINI_SENTINEL_API_KEY });
    process.env['GEMINI_API_KEY'] = GEMINI_SENTINEL_API_KEY;
    delete process.env['GOOGLE_API_KEY'];
    process.env['GOOGLE_GEMINI_BASE_URL'] = server.url;
    server.enqueue(geminiTextReply('from the environment'));
    const llm = await new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini' }).start({ maxRetries: 0 });
    await llm.run('hi');
    expect(llm.getLastMessage()).to.equal('from the environment');
    await llm.close();
  });

  it('refuses, when a TOML program loads, the parameters Gemini does not take, naming the file and each key', () => {
    const file = programFile(
      'params.toml',
      '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini"\n[parameters]\nthinking = { type = "enabled", budget_tokens = 2048 }\nreasoning_effort = "low"\nmetadata = { user_id = "u" }\n' +
        'stop_sequences = ["a", "b", "c", "d", "e", "f"]\ntool_choice = { type = "auto", disable_parallel_tool_use = true }\n',
    );
    const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, 'OpenAI and Anthropic parameters on a gemini program');
    expect(error.file).to.equal(file);
    expect(error.issues, 'in file order').to.deep.equal([
      'parameters.reasoning_effort: Gemini takes either thinking (a thinking budget, Gemini 2.5) or reasoning_effort (a thinking level, Gemini 3), not both',
      'parameters.metadata: Gemini does not take metadata',
      'parameters.stop_sequences: Gemini takes at most 5 stop sequences, received 6',
      'parameters.tool_choice.disable_parallel_tool_use: Gemini has no switch for parallel function calls; remove it',
    ]);
  });

  it('takes reasoning_effort as Gemini 3\'s thinking level, in TOML and in code', () => {
    const file = programFile('level.toml', '[model]\nname = "gemini-3-flash-preview"\nprovider = "gemini"\n[parameters]\nreasoning_effort = "minimal"\n');
    expect(LLMProgram.fromToml(file).parameters).to.deep.include({ reasoningEffort: 'minimal' });
    expect(new LLMProgram({ model: 'gemini-3-pro-preview', provider: 'gemini_vertex', parameters: { reasoningEffort: 'high' } }).parameters).to.deep.include({ reasoningEffort: 'high' });
    const both = thrownBy(
      () => new LLMProgram({ model: 'gemini-3-pro-preview', provider: 'gemini', parameters: { reasoningEffort: 'high', thinking: { type: 'disabled' } } }),
      ProgramError,
      'a budget and a level',
    );
    expect(both.issues).to.deep.equal(['parameters.reasoningEffort: Gemini takes either thinking (a thinking budget, Gemini 2.5) or reasoningEffort (a thinking level, Gemini 3), not both']);
  });

  it('takes the sampling parameters Gemini has (top_k, seed, penalties, thinking) in a TOML program', () => {
    const file = programFile(
      'ok.toml',
      '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini"\n[parameters]\ntemperature = 1.5\ntop_k = 40\nseed = 3\nfrequency_penalty = 0.5\nthinking = { type = "enabled", budget_tokens = 2048 }\nmax_tokens = 1000\n',
    );
    expect(LLMProgram.fromToml(file).parameters).to.deep.include({ temperature: 1.5, topK: 40, seed: 3, frequencyPenalty: 0.5, maxTokens: 1000 });
  });

  it('takes a ready GoogleGenAI client, and refuses an object that is not one', async () => {
    server = await startFakeGemini();
    const { GoogleGenAI } = await import('@google/genai');
    const client = new GoogleGenAI({ apiKey: GEMINI_SENTINEL_API_KEY, httpOptions: { baseUrl: server.url } });
    server.enqueue(geminiTextReply('via the given client'));
    const llm = await new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini' }).start({ client });
    await llm.run('hi');
    expect(llm.getLastMessage()).to.equal('via the given client');
    await llm.close();
    const error = await rejectionOf(new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini' }).start({ client: { chat: {} } }));
    expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.client');
  });

  it('a missing @google/genai is a MissingProviderPackageError saying npm install @google/genai@2', async () => {
    const missing = Object.assign(new Error("Cannot find package '@google/genai' imported from llmproc"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = (await rejectionOf(loadGeminiSdk('gemini', () => Promise.reject(missing)))) as MissingProviderPackageError;
    expect(error).to.be.instanceOf(MissingProviderPackageError).and.include({ provider: 'gemini', packageName: '@google/genai', install: 'npm install @google/genai@2' });
    expect(error.cause).to.equal(missing);
  });

  describe('gemini_vertex', () => {
    it('refuses a program without a project or a region, naming the program key, the variables and the option', async () => {
      for (const name of ['GOOGLE_CLOUD_PROJECT', 'CLOUD_ML_REGION', 'GOOGLE_CLOUD_LOCATION']) delete process.env[name];
      const file = programFile('vertex.toml', '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini_vertex"\n');
      const noProject = (await rejectionOf(LLMProgram.fromToml(file).start({ accessToken: ACCESS_TOKEN }))) as MissingProviderSettingError;
      expect(noProject).to.be.instanceOf(MissingProviderSettingError).and.include({ provider: 'gemini_vertex', keyPath: 'model.project_id', variable: 'GOOGLE_CLOUD_PROJECT', option: 'projectId', file });
      expect(noProject.message).to.include('Gemini on Vertex AI');
      writeFileSync(file, '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini_vertex"\nproject_id = "my-project"\n');
      const noRegion = (await rejectionOf(LLMProgram.fromToml(file).start({ accessToken: ACCESS_TOKEN }))) as MissingProviderSettingError;
      expect(noRegion).to.include({ keyPath: 'model.region', variable: 'CLOUD_ML_REGION or GOOGLE_CLOUD_LOCATION', option: 'region' });
      const inCode = () => geminiVertexSettings({ options: {}, endpoint: { projectId: 'p' }, env: {}, file: undefined });
      expect(() => inCode()).to.throw(MissingProviderSettingError).with.property('keyPath', 'region');
      expect(geminiVertexSettings({ options: { region: 'europe-west4' }, endpoint: { projectId: 'p', region: 'us-east1' }, env: { CLOUD_ML_REGION: 'x' }, file: undefined })).to.deep.equal({
        project: 'p',
        location: 'europe-west4',
      });
      expect(geminiVertexSettings({ options: {}, endpoint: {}, env: { GOOGLE_CLOUD_PROJECT: 'envp', GOOGLE_CLOUD_LOCATION: 'global' }, file: undefined })).to.deep.equal({ project: 'envp', location: 'global' });
    });

    it("runs on Vertex's path with the program's project and region and a bearer token, which no error carries", async () => {
      const file = programFile('vertex.toml', '[model]\nname = "gemini-2.5-flash"\nprovider = "gemini_vertex"\nproject_id = "my-project"\nregion = "us-central1"\n');
      t = await setupGeminiTest(LLMProgram.fromToml(file), { accessToken: ACCESS_TOKEN }, { vertexAccessToken: ACCESS_TOKEN });
      t.server.enqueue(geminiTextReply('hello from Vertex'));
      const result = await t.process.run('hi');
      expect(t.process.getLastMessage()).to.equal('hello from Vertex');
      const request = t.server.requests[0]!;
      expect(request.path).to.equal('/v1beta1/projects/my-project/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent');
      expect(request.headers.authorization).to.equal(`Bearer ${ACCESS_TOKEN}`);
      expect(request.headers['x-goog-api-key']).to.equal(undefined);
      expect(result.costUsd).to.be.greaterThan(0);
      t.server.enqueue(geminiErrorReply(403, { message: `token ${ACCESS_TOKEN} lacks aiplatform.endpoints.predict` }));
      const error = await rejectionOf(t.process.run('again'));
      expect((error as Error).message).to.include('Gemini on Vertex AI (project my-project, region us-central1) answered 403 (PERMISSION_DENIED)');
      expect(everything(error)).not.to.include(ACCESS_TOKEN);
    });

    it('a request without a bearer token gets Google\'s 401, which names Vertex', async () => {
      server = await startFakeGemini();
      const { GoogleGenAI } = await import('@google/genai');
      const client = new GoogleGenAI({ vertexai: true, project: 'p', location: 'global', apiKey: 'not-a-token-key', httpOptions: { baseUrl: server.url } });
      const llm = await new LLMProgram({ model: 'gemini-2.5-flash', provider: 'gemini_vertex' }).start({ client, maxRetries: 0 });
      const error = (await rejectionOf(llm.run('hi'))) as Error & { status?: number };
      expect(error.status).to.equal(401);
      expect(error.message).to.include('Gemini on Vertex AI answered 401 (UNAUTHENTICATED)');
      await llm.close();
    });
  });
});
