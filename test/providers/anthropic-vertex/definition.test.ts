import { expect } from 'chai';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { ApiCallError, InvalidArgumentError, UnsupportedProviderError } from '../../../lib/errors.js';
import { LLMProgram } from '../../../lib/program/llm-program.js';
import { anthropicVertexProvider } from '../../../lib/providers/anthropic-vertex/definition.js';
import { providerDefinition } from '../../../lib/providers/index.js';
import type { ProviderContext } from '../../../lib/providers/provider-definition.js';
import { MissingProviderSettingError } from '../../../lib/providers/provider-errors.js';
import type { ModelRequest } from '../../../lib/providers/types.js';
import { loadPriceCatalog, priceOf } from '../../../lib/results/pricing.js';
import { errorReply, type FakeAnthropicServer, startFakeAnthropic, textReply } from '../../../lib/testing/index.js';
import { everything } from '../../reliability/leak-scan.js';
import { COMPAT_EXAMPLES } from '../../program/support.js';
import { rejectionOf } from '../../support/promises.js';
import { ACCESS_TOKEN, modelPath, VERTEX_MODEL } from './support.js';

const REQUEST: ModelRequest = { model: VERTEX_MODEL, system: undefined, messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], tools: [], parameters: {} };

/** A google-auth-library GoogleAuth stand-in: its client hands out `token`, counting the calls. */
function googleAuthStub(token: string) {
  const getRequestHeaders = sinon.spy(async () => new Headers({ authorization: `Bearer ${token}` }));
  const getClient = sinon.spy(async () => ({ projectId: undefined, getRequestHeaders }));
  return { googleAuth: { getClient }, getClient, getRequestHeaders };
}

describe('the anthropic_vertex provider definition', () => {
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    server = await startFakeAnthropic({ vertexAccessToken: ACCESS_TOKEN });
  });
  afterEach(async () => {
    sinon.restore();
    await server.close();
  });

  /** The context of a code program on the fake server, overridden by `context`. */
  const contextOf = (context: Partial<ProviderContext> = {}): ProviderContext => ({
    model: VERTEX_MODEL,
    endpoint: {},
    options: { accessToken: ACCESS_TOKEN, baseURL: server.vertexUrl, maxRetries: 0 },
    env: {},
    file: undefined,
    ...context,
  });

  it('is registered as anthropic_vertex, needs no API key variable and has credentials when a project is set', () => {
    expect(providerDefinition('anthropic_vertex')).to.equal(anthropicVertexProvider);
    expect(anthropicVertexProvider.apiKeyVariable).to.equal(undefined);
    expect(anthropicVertexProvider.hasCredentials({ ANTHROPIC_VERTEX_PROJECT_ID: 'p' })).to.equal(true);
    expect(anthropicVertexProvider.hasCredentials({ CLOUD_ML_REGION: 'us-east5', ANTHROPIC_API_KEY: 'k' })).to.equal(false);
  });

  it('prices models from the google catalog (which knows models the anthropic catalog does not)', async () => {
    await loadPriceCatalog();
    const provider = await anthropicVertexProvider.create(contextOf({ endpoint: { projectId: 'p', region: 'r' } }));
    expect(provider.priceOf!(VERTEX_MODEL)).to.deep.equal(priceOf(VERTEX_MODEL, 'google')).and.not.equal(undefined);
    expect(priceOf('gemini-2.5-flash', 'anthropic')).to.equal(undefined);
    expect(provider.priceOf!('gemini-2.5-flash')).to.deep.equal(priceOf('gemini-2.5-flash', 'google')).and.not.equal(undefined);
  });

  describe('where the project and the region come from', () => {
    const cases: Array<[what: string, context: Partial<ProviderContext>, project: string, region: string]> = [
      ['the environment', { env: { ANTHROPIC_VERTEX_PROJECT_ID: 'env-project', CLOUD_ML_REGION: 'europe-west1' } }, 'env-project', 'europe-west1'],
      [
        'the program, over the environment',
        { endpoint: { projectId: 'toml-project', region: 'us-east5' }, env: { ANTHROPIC_VERTEX_PROJECT_ID: 'env-project', CLOUD_ML_REGION: 'europe-west1' } },
        'toml-project',
        'us-east5',
      ],
      ['the start options, over the program', { endpoint: { projectId: 'toml-project', region: 'us-east5' } }, 'start-project', 'asia-east1'],
    ];
    for (const [what, context, project, region] of cases) {
      it(`takes them from ${what}`, async () => {
        const start = what.startsWith('the start options') ? { projectId: 'start-project', region: 'asia-east1' } : {};
        const provider = await anthropicVertexProvider.create(contextOf({ ...context, options: { ...contextOf().options, ...start } }));
        server.enqueue(textReply('ok'));
        await provider.complete(REQUEST);
        expect(server.requests[0]!.path).to.equal(modelPath('rawPredict', project, region));
      });
    }

    it('without a project, refuses naming the program key, the variable, the start option and the file', async () => {
      const error = await rejectionOf(anthropicVertexProvider.create(contextOf({ env: { CLOUD_ML_REGION: 'us-east5' }, file: 'vertex.toml' })));
      expect(error).to.be.instanceOf(MissingProviderSettingError);
      expect(error).to.include({ provider: 'anthropic_vertex', keyPath: 'model.project_id', variable: 'ANTHROPIC_VERTEX_PROJECT_ID', option: 'projectId', file: 'vertex.toml' });
      expect((error as Error).message).to.equal(
        'vertex.toml: No Google Cloud project for Claude on Vertex AI: set model.project_id in the program, ' +
          'or the ANTHROPIC_VERTEX_PROJECT_ID environment variable, or pass `projectId` to program.start().',
      );
      expect(server.requests).to.have.length(0);
    });

    it('without a region, refuses naming model.region and CLOUD_ML_REGION (projectId and region for a program built in code)', async () => {
      const fromToml = await rejectionOf(anthropicVertexProvider.create(contextOf({ endpoint: { projectId: 'p' }, file: 'v.toml' })));
      expect(fromToml).to.be.instanceOf(MissingProviderSettingError).and.include({ keyPath: 'model.region', variable: 'CLOUD_ML_REGION', option: 'region' });
      expect((fromToml as Error).message).to.include('No region for Claude on Vertex AI: set model.region in the program, or the CLOUD_ML_REGION');
      const inCode = await rejectionOf(anthropicVertexProvider.create(contextOf({ env: { CLOUD_ML_REGION: 'r' } })));
      expect(inCode).to.include({ keyPath: 'projectId', file: undefined });
      expect((inCode as Error).message).to.match(/^No Google Cloud project for Claude on Vertex AI: set projectId in the program/);
    });

    it('program.start() of the llmproc 0.2.0 anthropic_vertex.toml, without a project anywhere, rejects naming the file', async () => {
      sinon.stub(process, 'env').value({ ...process.env, ANTHROPIC_VERTEX_PROJECT_ID: undefined, CLOUD_ML_REGION: 'us-east5' });
      const file = path.join(COMPAT_EXAMPLES, 'anthropic_vertex.toml');
      const error = await rejectionOf(LLMProgram.fromToml(file).start({ accessToken: ACCESS_TOKEN, baseURL: server.vertexUrl }));
      expect(error).to.be.instanceOf(MissingProviderSettingError).and.include({ file, keyPath: 'model.project_id' });
      expect((error as Error).message).to.include('ANTHROPIC_VERTEX_PROJECT_ID');
    });
  });

  describe('the llmproc 0.2.0 programs', () => {
    let folder: string;
    before(() => {
      folder = mkdtempSync(path.join(tmpdir(), 'llmproc-vertex-'));
      copyFileSync(path.join(COMPAT_EXAMPLES, 'anthropic_vertex.toml'), path.join(folder, 'anthropic_vertex.toml'));
    });
    after(() => rmSync(folder, { recursive: true, force: true }));

    it('anthropic_vertex.toml, unchanged, runs with the project and region from the environment and its parameters', async () => {
      sinon.stub(process, 'env').value({ ...process.env, ANTHROPIC_VERTEX_PROJECT_ID: 'compat-project', CLOUD_ML_REGION: 'us-east5' });
      const program = LLMProgram.fromToml(path.join(folder, 'anthropic_vertex.toml'));
      const started = await program.start({ accessToken: ACCESS_TOKEN, baseURL: server.vertexUrl, maxRetries: 0 });
      server.enqueue(textReply('Hello from Vertex.'));
      const result = await started.run('Hello');
      expect(result.lastMessage).to.equal('Hello from Vertex.');
      expect(server.requests[0]!.path).to.equal(modelPath('rawPredict', 'compat-project', 'us-east5'));
      expect(server.requests[0]!.body).to.include({ temperature: 0.7, top_p: 0.95, max_tokens: 150 });
      await started.close();
    });

    it('vertex.toml (provider = "vertex") is still refused, suggesting anthropic_vertex', async () => {
      const error = await rejectionOf(LLMProgram.fromToml(path.join(COMPAT_EXAMPLES, 'vertex.toml')).start({ accessToken: ACCESS_TOKEN }));
      expect(error).to.be.instanceOf(UnsupportedProviderError);
      expect((error as Error).message).to.include('use provider = "anthropic_vertex"');
    });
  });

  describe('the credentials', () => {
    it('a googleAuth gives each request its token, fetched on the first request, never at start', async () => {
      const stub = googleAuthStub(ACCESS_TOKEN);
      const provider = await anthropicVertexProvider.create(contextOf({ options: { googleAuth: stub.googleAuth, baseURL: server.vertexUrl, projectId: 'p', region: 'r', maxRetries: 0 } }));
      expect(stub.getClient.callCount, 'no credentials fetched before a request').to.equal(0);
      server.enqueue(textReply('one'), textReply('two'));
      await provider.complete(REQUEST);
      await provider.complete(REQUEST);
      expect(server.requests.map((request) => request.headers['authorization'])).to.deep.equal([`Bearer ${ACCESS_TOKEN}`, `Bearer ${ACCESS_TOKEN}`]);
      expect(stub.getClient.callCount).to.equal(1);
      expect(stub.getRequestHeaders.callCount).to.equal(2);
    });

    it('R19: a token the googleAuth handed out is redacted from an error body that echoes it', async () => {
      const stub = googleAuthStub(ACCESS_TOKEN);
      const provider = await anthropicVertexProvider.create(contextOf({ options: { googleAuth: stub.googleAuth, baseURL: server.vertexUrl, projectId: 'p', region: 'r', maxRetries: 0 } }));
      server.enqueue(errorReply(403, { message: `token ${ACCESS_TOKEN} may not call this model` }));
      const error = await rejectionOf(provider.complete(REQUEST));
      expect(everything(error)).not.to.include(ACCESS_TOKEN);
      const described = provider.describeError(error);
      expect(described).to.include({ status: 403 });
      expect(described.message).to.include('token [redacted] may not call this model').and.not.include(ACCESS_TOKEN);
    });

    it('refuses both an accessToken and a googleAuth, and a googleAuth without getClient', async () => {
      const both = await rejectionOf(anthropicVertexProvider.create(contextOf({ options: { accessToken: 't', googleAuth: googleAuthStub('t').googleAuth, projectId: 'p', region: 'r' } })));
      expect(both).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'options.accessToken' });
      const bad = await rejectionOf(anthropicVertexProvider.create(contextOf({ options: { googleAuth: {}, projectId: 'p', region: 'r' } })));
      expect(bad).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'options.googleAuth' });
    });

    it('without credentials of ours, Application Default Credentials that cannot be read fail the call clearly, reaching no server', async () => {
      sinon.stub(process, 'env').value({ ...process.env, GOOGLE_APPLICATION_CREDENTIALS: path.join(tmpdir(), 'llmproc-no-such-credentials.json') });
      const provider = await anthropicVertexProvider.create(contextOf({ options: { baseURL: server.vertexUrl, projectId: 'p', region: 'r', maxRetries: 0 } }));
      const error = await rejectionOf(provider.complete(REQUEST));
      expect(provider.describeError(error).message).to.equal(`Could not reach Claude on Vertex AI at ${server.vertexUrl}: Failed to acquire Google OAuth credentials.`);
      expect(server.requests).to.have.length(0);
    });

    it('a ready AnthropicVertex client is used as given', async () => {
      const { AnthropicVertex } = await import('@anthropic-ai/vertex-sdk');
      const stub = googleAuthStub(ACCESS_TOKEN);
      const client = new AnthropicVertex({ baseURL: server.vertexUrl, projectId: 'ready', region: 'us-east5', googleAuth: stub.googleAuth as never, maxRetries: 0 });
      const provider = await anthropicVertexProvider.create(contextOf({ options: { client } }));
      server.enqueue(textReply('ok'));
      await provider.complete(REQUEST);
      expect(server.requests[0]!.path).to.equal(modelPath('rawPredict', 'ready', 'us-east5'));
      const wrong = await rejectionOf(anthropicVertexProvider.create(contextOf({ options: { client: {} } })));
      expect(wrong).to.be.instanceOf(InvalidArgumentError).and.include({ argument: 'options.client' });
    });

    it('a run on a process started with a googleAuth fails with an ApiCallError once the credentials are refused', async () => {
      const stub = googleAuthStub('ya29.someone-else');
      const program = new LLMProgram({ model: VERTEX_MODEL, provider: 'anthropic_vertex', projectId: 'p', region: 'r' });
      const started = await program.start({ googleAuth: stub.googleAuth, baseURL: server.vertexUrl, maxRetries: 0 });
      const error = await rejectionOf(started.run('hello'));
      expect(error).to.be.instanceOf(ApiCallError).and.include({ status: 401 });
      expect(server.requests[0]!.headers['authorization']).to.equal('Bearer ya29.someone-else');
      await started.close();
    });
  });
});
