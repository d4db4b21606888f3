import { expect } from 'chai';
import { loadVertexSdk } from '../../../lib/providers/anthropic-vertex/load-sdk.js';
import { MissingProviderPackageError } from '../../../lib/providers/provider-errors.js';
import { rejectionOf } from '../../support/promises.js';

describe('loading @anthropic-ai/vertex-sdk', () => {
  it('loads the installed package’s AnthropicVertex', async () => {
    const sdk = await loadVertexSdk();
    expect(sdk.AnthropicVertex).to.be.a('function');
  });

  it('when the package is missing, refuses with a MissingProviderPackageError naming npm install and keeping the cause', async () => {
    const missing = Object.assign(new Error("Cannot find package '@anthropic-ai/vertex-sdk' imported from /app/lib/providers/anthropic-vertex/load-sdk.js"), {
      code: 'ERR_MODULE_NOT_FOUND',
    });
    const error = await rejectionOf(loadVertexSdk(() => Promise.reject(missing)));
    expect(error).to.be.instanceOf(MissingProviderPackageError);
    expect(error).to.include({ name: 'MissingProviderPackageError', provider: 'anthropic_vertex', packageName: '@anthropic-ai/vertex-sdk', cause: missing });
    expect((error as Error).message).to.equal(
      'Claude on Vertex AI (provider = "anthropic_vertex") needs the optional package @anthropic-ai/vertex-sdk, which could not be loaded ' +
        "(Cannot find package '@anthropic-ai/vertex-sdk' imported from /app/lib/providers/anthropic-vertex/load-sdk.js): run `npm install @anthropic-ai/vertex-sdk`.",
    );
  });

  it('refuses a package without AnthropicVertex (an unsupported version) the same way', async () => {
    const error = await rejectionOf(loadVertexSdk(async () => ({}) as never));
    expect(error).to.be.instanceOf(MissingProviderPackageError);
    expect((error as Error).message).to.include('has no AnthropicVertex export').and.include('npm install @anthropic-ai/vertex-sdk');
  });
});
