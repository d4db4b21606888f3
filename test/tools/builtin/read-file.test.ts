import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createReadFileTool, isInside } from '../../../lib/tools/builtin/read-file.js';

const context = { signal: new AbortController().signal, toolUseId: 'toolu_1' };

describe('read_file tool', () => {
  let top: string;
  let root: string;
  const SECRET = 'TOP-SECRET-CONTENT';
  before(() => {
    top = mkdtempSync(path.join(tmpdir(), 'llmproc-read-file-'));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    mkdirSync(path.join(top, 'root-evil'));
    mkdirSync(path.join(top, 'other'));
    writeFileSync(path.join(root, 'hello.txt'), 'Hello, file!');
    writeFileSync(path.join(root, 'docs', 'guide.md'), '# Guide');
    writeFileSync(path.join(root, 'big.txt'), 'x'.repeat(2000));
    writeFileSync(path.join(root, 'binary.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    writeFileSync(path.join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    writeFileSync(path.join(top, 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'root-evil', 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'other', 'notes.txt'), 'other notes');
    symlinkSync(path.join(top, 'secret.txt'), path.join(root, 'escape.txt'));
    symlinkSync(path.join(root, 'hello.txt'), path.join(root, 'alias.txt'));
    symlinkSync(top, path.join(root, 'up'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const read = (file: unknown, options: { allowedRoots?: string[]; maxBytes?: number } = {}) =>
    createReadFileTool({ baseDir: root, maxBytes: 1000, ...options }).run({ path: file }, context);

  it('reads a UTF-8 text file relative to the program folder', async () => {
    expect(await read('hello.txt')).to.deep.equal({ content: 'Hello, file!', isError: false });
    expect(await read('docs/guide.md')).to.deep.equal({ content: '# Guide', isError: false });
    expect(await read(path.join(root, 'hello.txt'))).to.deep.include({ isError: false });
    expect(await read('alias.txt'), 'a symlink that stays inside').to.deep.equal({ content: 'Hello, file!', isError: false });
  });

  const refusals: Array<[string, unknown, RegExp]> = [
    ['a parent path', '../secret.txt', /outside the folders this tool may read/],
    ['an absolute path elsewhere', '/etc/passwd', /outside the folders/],
    ['a sibling-prefix folder', '../root-evil/secret.txt', /outside the folders/],
    ['a NUL byte', 'hello.txt\0.png', /NUL byte/],
    ['a symlink that escapes', 'escape.txt', /leads outside .*symbolic link/],
    ['a symlinked folder that escapes', 'up/secret.txt', /leads outside/],
    ['a folder', 'docs', /is a folder, not a file/],
    ['a missing file', 'nope.txt', /cannot read "nope.txt": no such file/],
    ['a file over the cap', 'big.txt', /2000 bytes, over the 1000-byte limit/],
    ['a binary file', 'binary.bin', /binary file/],
    ['invalid UTF-8', 'latin1.txt', /not valid UTF-8/],
    ['an empty path', '', /non-empty string/],
    ['a non-string path', 42, /non-empty string/],
  ];
  for (const [what, file, message] of refusals) {
    it(`refuses ${what} with an is_error result that says why`, async () => {
      const result = await read(file);
      expect(result.isError).to.equal(true);
      expect(result.content).to.match(message);
      expect(String(result.content)).not.to.include(SECRET);
    });
  }

  it('reads inside every configured root, and only there', async () => {
    const roots = [root, path.join(top, 'other')];
    expect(await read('../other/notes.txt', { allowedRoots: roots })).to.deep.equal({ content: 'other notes', isError: false });
    expect((await read('../secret.txt', { allowedRoots: roots })).isError).to.equal(true);
  });

  it('compares paths by segment', () => {
    expect(isInside('/a/root', '/a/root/x')).to.equal(true);
    expect(isInside('/a/root', '/a/root')).to.equal(true);
    expect(isInside('/a/root', '/a/root-evil/x')).to.equal(false);
    expect(isInside('/a/root', '/a')).to.equal(false);
  });

  it('never returns a file from outside the root, whatever the path (property)', async () => {
    const pieces = fc.constantFrom('..', '.', '/', 'up', 'escape.txt', 'secret.txt', 'root-evil', 'root', '\0', 'hello.txt', '%2e%2e', '~', '\\', 'é');
    const paths = fc.oneof(fc.array(pieces, { maxLength: 6 }).map((parts) => parts.join('/')), fc.string(), fc.string({ unit: 'grapheme' }));
    await fc.assert(
      fc.asyncProperty(paths, async (file) => {
        const result = await read(file);
        expect(String(typeof result.content === 'string' ? result.content : JSON.stringify(result.content))).not.to.include(SECRET);
      }),
      { numRuns: 300 },
    );
  });
});
