import { expect } from 'chai';
import Anthropic from '@anthropic-ai/sdk';
import { REDACTED, redactSecret } from '../../../lib/providers/anthropic/redact-secret.js';

describe('redactSecret', () => {
  const key = 'sk-ant-redact-me-123';

  it('removes the key from an SDK error in place, keeping its class, status, request id and body shape', () => {
    const error = Anthropic.APIError.generate(403, { type: 'error', error: { type: 'permission_error', message: `key ${key} refused` } }, undefined, new Headers({ 'request-id': 'req_1' }));
    const wrapped = new Error(`outer ${key}`, { cause: error });
    expect(redactSecret(wrapped, key)).to.equal(wrapped);
    expect(wrapped.message).to.equal(`outer ${REDACTED}`);
    expect(error).to.be.instanceOf(Anthropic.PermissionDeniedError).and.include({ status: 403, requestID: 'req_1' });
    expect(error.message).to.include(`key ${REDACTED} refused`).and.not.include(key);
    expect(String(error.stack)).not.to.include(key);
    expect(JSON.stringify(error.error)).to.equal(JSON.stringify({ type: 'error', error: { type: 'permission_error', message: `key ${REDACTED} refused` } }));
  });

  it('leaves values without the key, non-errors and an empty secret alone, and survives cycles', () => {
    const error = new Error('nothing secret') as Error & { self?: unknown };
    error.self = error;
    expect(redactSecret(error, key).message).to.equal('nothing secret');
    expect(redactSecret(`a ${key}`, key)).to.equal(`a ${key}`);
    expect(redactSecret(new Error(key), '').message).to.equal(key);
  });
});
