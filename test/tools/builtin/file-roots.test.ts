/**
 * The roots of the file builtins (read_file, list_dir, fd_to_file) on their own: the path check,
 * where a missing path would be, the words for file-system errors, and the options' checks.
 */
import { expect } from 'chai';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError } from '../../../lib/errors.js';
import { checkPathText, createFileRoots, describeFsError, isInside, MAX_PATH_CHARS, realLocation, Refusal } from '../../../lib/tools/builtin/file-roots.js';

describe('file roots', () => {
  let top: string;
  beforeEach(() => {
    top = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-file-roots-')));
  });
  afterEach(() => rmSync(top, { recursive: true, force: true }));

  it('isInside: a root is inside itself; its parent and siblings with its name as a prefix are not', () => {
    expect(isInside('/a/root', '/a/root')).to.equal(true);
    expect(isInside('/a/root', '/a/root/x/y')).to.equal(true);
    expect(isInside('/a/root', '/a/root/..x')).to.equal(true);
    expect(isInside('/a/root', '/a')).to.equal(false);
    expect(isInside('/a/root', '/a/root-evil')).to.equal(false);
    expect(isInside('/a/root', '/b')).to.equal(false);
  });

  it('checkPathText: refuses blank text and text over the limit, and takes the limit itself', () => {
    for (const given of ['', '   ', '\t\n', 3, null]) expect(() => checkPathText(given), JSON.stringify(given)).to.throw(Refusal, '"path" must be a non-empty string.');
    expect(checkPathText('a'.repeat(MAX_PATH_CHARS))).to.have.length(MAX_PATH_CHARS);
    expect(() => checkPathText('a'.repeat(MAX_PATH_CHARS + 1))).to.throw(Refusal, `the path is ${MAX_PATH_CHARS + 1} characters long, over the 4096 accepted; refused.`);
  });

  it('describeFsError: plain words for the common codes', () => {
    const withCode = (code: string) => Object.assign(new Error(`${code}: raw message /with/a/path`), { code });
    expect(describeFsError(withCode('ENOENT'))).to.equal('no such file');
    expect(describeFsError(withCode('ENAMETOOLONG'))).to.equal('a name in the path is too long');
    expect(describeFsError(withCode('EEXIST'))).to.equal('it already exists');
    expect(describeFsError(withCode('EISDIR'))).to.equal('it is a folder');
    expect(describeFsError(withCode('ENOSPC'))).to.equal('no space left on the device');
    expect(describeFsError(withCode('EACCES'))).not.to.include('/with/a/path');
  });

  describe('realLocation', () => {
    it('is the real path of the deepest existing folder, plus the rest', async () => {
      mkdirSync(path.join(top, 'real'));
      symlinkSync(path.join(top, 'real'), path.join(top, 'link'));
      expect(await realLocation(path.join(top, 'link', 'missing', 'deeper.txt'))).to.equal(path.join(top, 'real', 'missing', 'deeper.txt'));
      expect(await realLocation(path.join(top, 'real'))).to.equal(path.join(top, 'real'));
    });

    it('follows dangling links, at the end or midway, to where they point', async () => {
      symlinkSync(path.join(top, 'elsewhere', 'file.txt'), path.join(top, 'dangling'));
      symlinkSync(path.join(top, 'gone-folder'), path.join(top, 'dangling-folder'));
      expect(await realLocation(path.join(top, 'dangling'))).to.equal(path.join(top, 'elsewhere', 'file.txt'));
      expect(await realLocation(path.join(top, 'dangling-folder', 'x', 'y.txt'))).to.equal(path.join(top, 'gone-folder', 'x', 'y.txt'));
    });

    it('follows at most 40 links of a loop, then takes the path where it stopped', async () => {
      symlinkSync(path.join(top, 'b'), path.join(top, 'a'));
      symlinkSync(path.join(top, 'a'), path.join(top, 'b'));
      // Forty hops from a (a -> b -> a ...) end on a again; a 41st would end on b.
      expect(await realLocation(path.join(top, 'a'))).to.equal(path.join(top, 'a'));
      expect(await realLocation(path.join(top, 'b', 'x'))).to.equal(path.join(top, 'b', 'x'));
    });
  });

  describe('createFileRoots', () => {
    it('refuses a baseDir that is not a non-empty string, and roots that are not non-empty strings', () => {
      for (const baseDir of ['', 42, undefined]) {
        expect(() => createFileRoots({ baseDir } as never), String(baseDir)).to.throw(InvalidArgumentError, 'options.baseDir: must be a non-empty path');
      }
      for (const allowedRoots of [[''], [42], 'root', [top, null]]) {
        expect(() => createFileRoots({ baseDir: top, allowedRoots } as never), JSON.stringify(allowedRoots)).to.throw(
          InvalidArgumentError,
          'options.allowedRoots: must be a list of non-empty paths',
        );
      }
    });

    it('shows its roots resolved against baseDir, or (none)', () => {
      expect(createFileRoots({ baseDir: top, allowedRoots: ['a', '/b'] }).shown).to.equal(`${path.join(top, 'a')}, /b`);
      expect(createFileRoots({ baseDir: top, allowedRoots: [] }).shown).to.equal('(none)');
      expect(createFileRoots({ baseDir: top }).shown).to.equal(top);
    });

    it('takes a root that does not exist (yet) as it is written', async () => {
      const roots = createFileRoots({ baseDir: top, allowedRoots: ['later'] });
      expect(await roots.locate('later/x.txt', 'read')).to.deep.equal({ shown: '"later/x.txt"', resolved: path.join(top, 'later', 'x.txt'), real: path.join(top, 'later', 'x.txt'), exists: false });
      expect(await roots.insideReal(path.join(top, 'later'))).to.equal(true);
      expect(await roots.insideReal(top)).to.equal(false);
    });
  });
});
