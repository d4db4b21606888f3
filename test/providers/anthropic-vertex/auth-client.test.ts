import { expect } from 'chai';
import { accessTokenAuthClient, googleAuthClient, googleTokensIn, TokenJar } from '../../../lib/providers/anthropic-vertex/auth-client.js';
import { rejectionOf } from '../../support/promises.js';

describe('Claude on Vertex credentials', () => {
  it('an access token is sent as a bearer token and remembered', async () => {
    const jar = new TokenJar();
    const client = accessTokenAuthClient('ya29.fixed', jar);
    expect((await client.getRequestHeaders()).get('authorization')).to.equal('Bearer ya29.fixed');
    expect(jar.tokens()).to.deep.equal(['ya29.fixed']);
  });

  it('a googleAuth whose client fails is asked again on the next request', async () => {
    const jar = new TokenJar();
    let calls = 0;
    const googleAuth = {
      getClient: async () => {
        calls += 1;
        if (calls === 1) throw new Error('metadata server unreachable');
        return { getRequestHeaders: async () => new Headers({ authorization: 'Bearer ya29.second' }) };
      },
    };
    const client = googleAuthClient(googleAuth, jar);
    expect(((await rejectionOf(client.getRequestHeaders())) as Error).message).to.equal('metadata server unreachable');
    expect((await client.getRequestHeaders()).get('authorization')).to.equal('Bearer ya29.second');
    expect(calls).to.equal(2);
    expect(jar.tokens()).to.deep.equal(['ya29.second']);
  });

  it('the jar keeps each token once, and only the newest 32', () => {
    const jar = new TokenJar();
    for (let i = 0; i < 40; i += 1) jar.record(`token-${i}`);
    jar.record('token-39');
    jar.recordFrom(new Headers({ authorization: 'Basic abc' }));
    expect(jar.tokens()).to.have.length(32);
    expect(jar.tokens()[0]).to.equal('token-8');
    expect(jar.tokens().at(-1)).to.equal('token-39');
  });

  it('finds Google access tokens in an error’s message and body (for credentials llmproc did not create)', () => {
    const error = Object.assign(new Error('401 bad token ya29.a0AfB_byC-1.x'), { error: { error: { message: 'token ya29.other_2 expired' } } });
    expect(googleTokensIn(error)).to.deep.equal(['ya29.a0AfB_byC-1.x', 'ya29.other_2']);
    expect(googleTokensIn('ya29.string')).to.deep.equal([]);
    expect(googleTokensIn(new Error('nothing here'))).to.deep.equal([]);
  });
});
