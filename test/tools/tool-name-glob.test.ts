import { expect } from 'chai';
import { matchesAnyToolGlob, matchesToolGlob } from '../../lib/tools/tool-name-glob.js';

describe('tool name globs (require_approval)', () => {
  it('match the whole name: * any run of characters, ? one, the rest literally', () => {
    expect(matchesToolGlob('read_file', 'read_file')).to.equal(true);
    expect(matchesToolGlob('read_file', 'read_files')).to.equal(false);
    expect(matchesToolGlob('codemcp__*', 'codemcp__read_file')).to.equal(true);
    expect(matchesToolGlob('codemcp__*', 'codemcp__')).to.equal(true);
    expect(matchesToolGlob('codemcp__*', 'other__read_file')).to.equal(false);
    expect(matchesToolGlob('*__write*', 'fs__write_file')).to.equal(true);
    expect(matchesToolGlob('calc?lator', 'calculator')).to.equal(true);
    expect(matchesToolGlob('calc?lator', 'calclator')).to.equal(false);
  });

  it('treat regular-expression characters as themselves', () => {
    expect(matchesToolGlob('a.b', 'axb')).to.equal(false);
    expect(matchesToolGlob('a+', 'aa')).to.equal(false);
    expect(matchesToolGlob('(x)|y', '(x)|y')).to.equal(true);
  });

  it('any of several globs', () => {
    expect(matchesAnyToolGlob(['read_file', 'codemcp__*'], 'codemcp__x')).to.equal(true);
    expect(matchesAnyToolGlob(['read_file', 'codemcp__*'], 'calculator')).to.equal(false);
    expect(matchesAnyToolGlob([], 'calculator')).to.equal(false);
  });
});
