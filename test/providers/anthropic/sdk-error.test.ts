import { expect } from 'chai';
import Anthropic from '@anthropic-ai/sdk';
import { apiErrorFields, sdkErrorKind } from '../../../lib/providers/anthropic/sdk-error.js';

describe('recognizing the Anthropic SDK’s errors', () => {
  it('knows aborts, connection errors and API errors of the statically imported build and of the ES module build alike', async () => {
    const esm = await import('@anthropic-ai/sdk');
    for (const sdk of [Anthropic, esm.default]) {
      expect(sdkErrorKind(new sdk.APIUserAbortError())).to.equal('abort');
      expect(sdkErrorKind(new sdk.APIConnectionError({ message: 'x' }))).to.equal('connection');
      expect(sdkErrorKind(new sdk.APIConnectionTimeoutError())).to.equal('connection');
      expect(sdkErrorKind(new sdk.NotFoundError(404, undefined, 'gone', new Headers()))).to.equal('api');
    }
    expect(sdkErrorKind(new Error('plain'))).to.equal(undefined);
    expect(sdkErrorKind({ status: 500, message: 'not an error' })).to.equal(undefined);
  });

  it('reads status, request id, type and the API’s message, whichever build threw', async () => {
    const esm = await import('@anthropic-ai/sdk');
    const body = { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } };
    const error = new esm.default.InternalServerError(529, body, undefined, new Headers({ 'request-id': 'req_1' }));
    expect(apiErrorFields(error)).to.deep.equal({ status: 529, requestID: 'req_1', type: 'overloaded_error', apiMessage: 'Overloaded', message: error.message });
    const google = new Anthropic.NotFoundError(404, { error: { code: 404, message: 'Publisher Model x not found.', status: 'NOT_FOUND' } }, undefined, new Headers());
    expect(apiErrorFields(google)).to.include({ status: 404, requestID: undefined, type: undefined, apiMessage: 'Publisher Model x not found.' });
  });
});
