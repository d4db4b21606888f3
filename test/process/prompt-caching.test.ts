/**
 * Whether a run's requests use automatic prompt caching (lib/process/prompt-caching.ts): the run's
 * setting, and the kill switch LLMPROC_DISABLE_AUTOMATIC_CACHING, read as Python llmproc reads it.
 */
import { expect } from 'chai';
import { cachingDisabledByEnv, cachingEnv, DISABLE_CACHING_ENV, PROMPT_CACHE_TTLS, promptCacheOf } from '../../lib/process/prompt-caching.js';

describe('prompt caching', () => {
  it('the kill switch is LLMPROC_DISABLE_AUTOMATIC_CACHING, and the TTLs 5m and 1h', () => {
    expect(DISABLE_CACHING_ENV).to.equal('LLMPROC_DISABLE_AUTOMATIC_CACHING');
    expect(PROMPT_CACHE_TTLS).to.deep.equal(['5m', '1h']);
  });

  it('1, true and yes turn caching off, in any case and with spaces around; anything else leaves it on', () => {
    for (const on of ['1', 'true', 'yes', 'TRUE', 'Yes', ' 1 ', 'true\n']) expect(cachingDisabledByEnv({ [DISABLE_CACHING_ENV]: on }), on).to.equal(true);
    for (const off of [undefined, '', '0', 'false', 'no', 'on', 'y', '11']) expect(cachingDisabledByEnv({ [DISABLE_CACHING_ENV]: off }), String(off)).to.equal(false);
    expect(cachingDisabledByEnv({ OTHER: '1' })).to.equal(false);
  });

  it('a request caches with the run\'s TTL when the run and the environment allow it', () => {
    expect(promptCacheOf(true, '5m', {})).to.deep.equal({ ttl: '5m' });
    expect(promptCacheOf(true, '1h', {})).to.deep.equal({ ttl: '1h' });
    expect(promptCacheOf(false, '5m', {})).to.equal(undefined);
    expect(promptCacheOf(true, '5m', { [DISABLE_CACHING_ENV]: 'yes' })).to.equal(undefined);
  });

  it('cachingEnv reads the variable from process.env as it is now', () => {
    const before = process.env[DISABLE_CACHING_ENV];
    try {
      process.env[DISABLE_CACHING_ENV] = 'yes';
      expect(cachingEnv()).to.deep.equal({ [DISABLE_CACHING_ENV]: 'yes' });
      delete process.env[DISABLE_CACHING_ENV];
      expect(cachingEnv()).to.deep.equal({ [DISABLE_CACHING_ENV]: undefined });
    } finally {
      if (before === undefined) delete process.env[DISABLE_CACHING_ENV];
      else process.env[DISABLE_CACHING_ENV] = before;
    }
  });
});
