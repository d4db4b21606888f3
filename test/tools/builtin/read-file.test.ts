import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import sinon from 'sinon';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { InvalidArgumentError } from '../../../lib/errors.js';
import { createReadFileTool, DEFAULT_MAX_FILE_BYTES, isInside, type ReadFileToolOptions } from '../../../lib/tools/builtin/read-file.js';
import type { ToolResult } from '../../../lib/tools/tool.js';

const SECRET = 'TOP-SECRET-CONTENT';

/** Whether `mkfifo` can make a FIFO here (not on Windows). */
function makeFifo(file: string): boolean {
  try {
    execFileSync('mkfifo', [file], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('read_file tool', () => {
  let top: string;
  let root: string;
  /** What the files inside `root` hold: a successful read returns one of these. */
  const insideContents = new Set(['Hello, file!', '# Guide', 'dots in the name', 'y'.repeat(1000)]);

  before(() => {
    top = mkdtempSync(path.join(tmpdir(), 'llmproc-read-file-'));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'docs'), { recursive: true });
    mkdirSync(path.join(top, 'root-evil'));
    mkdirSync(path.join(top, 'other'));
    writeFileSync(path.join(root, 'hello.txt'), 'Hello, file!');
    writeFileSync(path.join(root, 'docs', 'guide.md'), '# Guide');
    writeFileSync(path.join(root, '..dots.txt'), 'dots in the name');
    writeFileSync(path.join(root, 'big.txt'), 'x'.repeat(2000));
    writeFileSync(path.join(root, 'exact.txt'), 'y'.repeat(1000));
    writeFileSync(path.join(root, 'binary.bin'), Buffer.from([0x89, 0x50, 0x00, 0x01]));
    writeFileSync(path.join(root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9]));
    writeFileSync(path.join(top, 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'root-evil', 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'other', 'notes.txt'), 'other notes');
    symlinkSync(path.join(top, 'secret.txt'), path.join(root, 'escape.txt'));
    symlinkSync(path.join(root, 'hello.txt'), path.join(root, 'alias.txt'));
    symlinkSync(top, path.join(root, 'up'));
    symlinkSync(root, path.join(top, 'root-link'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const context = (signal = new AbortController().signal) => ({ signal, toolUseId: 'toolu_1' });
  const read = async (file: unknown, options: Partial<ReadFileToolOptions> = {}): Promise<ToolResult> =>
    createReadFileTool({ baseDir: root, maxBytes: 1000, ...options }).run({ path: file }, context());

  describe('when defined', () => {
    it('is the builtin read_file tool with a required string path', () => {
      const tool = createReadFileTool({ baseDir: root });
      expect(tool).to.include({ name: 'read_file' });
      expect(tool.source).to.deep.equal({ kind: 'builtin' });
      expect(tool.inputSchema).to.deep.include({ type: 'object', required: ['path'] });
      expect(tool.inputSchema['properties']).to.have.nested.property('path.type', 'string');
      expect(tool.description).to.include(`at most ${DEFAULT_MAX_FILE_BYTES} bytes`).and.include(root);
    });

    it('caps files at 256 KiB by default', () => {
      expect(DEFAULT_MAX_FILE_BYTES).to.equal(256 * 1024);
    });

    for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
      it(`refuses maxBytes ${maxBytes}`, () => {
        expect(() => createReadFileTool({ baseDir: root, maxBytes })).to.throw(InvalidArgumentError, /options\.maxBytes: must be a positive integer/);
      });
    }

    it('refuses an empty baseDir and an empty root', () => {
      expect(() => createReadFileTool({ baseDir: '' })).to.throw(InvalidArgumentError, /options\.baseDir/);
      expect(() => createReadFileTool({ baseDir: root, allowedRoots: [''] })).to.throw(InvalidArgumentError, /options\.allowedRoots/);
    });
  });

  describe('when the file is inside the root', () => {
    const reads: Array<[string, () => string, string]> = [
      ['a path relative to the program folder', () => 'hello.txt', 'Hello, file!'],
      ['a path in a subfolder', () => 'docs/guide.md', '# Guide'],
      ['an absolute path', () => path.join(root, 'hello.txt'), 'Hello, file!'],
      ['a path that goes up and back in', () => '../root/docs/../hello.txt', 'Hello, file!'],
      ['a symlink that stays inside', () => 'alias.txt', 'Hello, file!'],
      ['a file whose name starts with two dots', () => '..dots.txt', 'dots in the name'],
      ['a file of exactly the cap', () => 'exact.txt', 'y'.repeat(1000)],
    ];
    for (const [what, file, content] of reads) {
      it(`reads ${what}`, async () => {
        expect(await read(file())).to.deep.equal({ content, isError: false });
      });
    }

    it('reads through a root that is itself a symlink', async () => {
      const viaLink = { baseDir: path.join(top, 'root-link') };
      expect(await read('hello.txt', viaLink)).to.deep.equal({ content: 'Hello, file!', isError: false });
      expect(await read(path.join(top, 'root-link', 'docs', 'guide.md'), viaLink)).to.deep.equal({ content: '# Guide', isError: false });
      expect((await read('../secret.txt', viaLink)).isError).to.equal(true);
    });
  });

  describe('when the path is refused', () => {
    const refusals: Array<[string, unknown, RegExp]> = [
      ['a parent path', '../secret.txt', /^Error: "\.\.\/secret\.txt" is outside the folders this tool may read \(.*\); refused\.$/],
      ['an absolute path elsewhere', '/etc/passwd', /"\/etc\/passwd" is outside the folders/],
      ['a sibling-prefix folder', '../root-evil/secret.txt', /is outside the folders/],
      ['a NUL byte', 'hello.txt\0.png', /NUL byte/],
      ['a symlink that escapes', 'escape.txt', /"escape\.txt" leads outside .*symbolic link/],
      ['a symlinked folder that escapes', 'up/secret.txt', /leads outside/],
      ['a missing file behind a symlink that escapes', 'up/nope.txt', /"up\/nope\.txt" leads outside/],
      ['a folder', 'docs', /^Error: "docs" is a folder, not a file\.$/],
      ['a missing file', 'nope.txt', /^Error: cannot read "nope\.txt": no such file\.$/],
      ['a missing folder', 'docs/none/x.txt', /cannot read "docs\/none\/x\.txt": no such file/],
      ['a path through a file', 'hello.txt/x', /^Error: cannot read "hello\.txt\/x": .+\.$/],
      ['a file over the cap', 'big.txt', /"big\.txt" is 2000 bytes, over the 1000-byte limit/],
      ['a binary file', 'binary.bin', /binary file/],
      ['invalid UTF-8', 'latin1.txt', /not valid UTF-8/],
      ['an empty path', '', /"path" must be a non-empty string/],
      ['a non-string path', 42, /"path" must be a non-empty string/],
      ['a missing path', undefined, /"path" must be a non-empty string/],
    ];
    for (const [what, file, message] of refusals) {
      it(`refuses ${what} with an is_error result that says why`, async () => {
        const result = await read(file);
        expect(result.isError).to.equal(true);
        expect(result.content).to.match(message);
        expect(String(result.content)).not.to.include(SECRET);
      });
    }

    it('refuses a FIFO without waiting for a writer', async function () {
      const fifo = path.join(root, 'pipe');
      if (!makeFifo(fifo)) this.skip();
      expect(await read('pipe')).to.deep.equal({ content: 'Error: "pipe" is not a regular file.', isError: true });
    });

    it('refuses everything when there are no roots', async () => {
      expect(await read('hello.txt', { allowedRoots: [] })).to.deep.include({ isError: true }).and.to.have.property('content').that.matches(/outside the folders .*\(none\)/);
    });
  });

  it('reads inside every configured root, and only there', async () => {
    const roots = [root, path.join(top, 'other')];
    expect(await read('../other/notes.txt', { allowedRoots: roots })).to.deep.equal({ content: 'other notes', isError: false });
    expect(await read('hello.txt', { allowedRoots: roots })).to.deep.equal({ content: 'Hello, file!', isError: false });
    expect((await read('../secret.txt', { allowedRoots: roots })).isError).to.equal(true);
    expect((await read('../root-evil/secret.txt', { allowedRoots: roots })).isError).to.equal(true);
  });

  it('uses the default cap when none is given', async () => {
    writeFileSync(path.join(root, 'huge.txt'), 'z'.repeat(DEFAULT_MAX_FILE_BYTES + 1));
    const result = await createReadFileTool({ baseDir: root }).run({ path: 'huge.txt' }, context());
    expect(result).to.deep.equal({ content: `Error: "huge.txt" is ${DEFAULT_MAX_FILE_BYTES + 1} bytes, over the ${DEFAULT_MAX_FILE_BYTES}-byte limit of this tool; refused.`, isError: true });
  });

  it('stops when the run is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await createReadFileTool({ baseDir: root }).run({ path: 'hello.txt' }, context(controller.signal));
    expect(result).to.deep.equal({ content: 'Error: reading "hello.txt" was cancelled.', isError: true });
  });

  it('compares paths by segment', () => {
    expect(isInside('/a/root', '/a/root/x')).to.equal(true);
    expect(isInside('/a/root', '/a/root')).to.equal(true);
    expect(isInside('/a/root', '/a/root/..x')).to.equal(true);
    expect(isInside('/a/root', '/a/root-evil/x')).to.equal(false);
    expect(isInside('/a/root', '/a')).to.equal(false);
    expect(isInside('/a/root', '/b/root/x')).to.equal(false);
  });

  it('never throws, and never returns a file from outside the root, whatever the path (property)', async () => {
    const pieces = fc.constantFrom('..', '.', '', 'up', 'escape.txt', 'secret.txt', 'root-evil', 'root', 'root-link', '\0', 'hello.txt', '..dots.txt', '%2e%2e', '~', '\\', 'é', '\u202e');
    const joined = fc.tuple(fc.boolean(), fc.array(pieces, { maxLength: 6 })).map(([absolute, parts]) => (absolute ? '/' : '') + parts.join('/'));
    const paths = fc.oneof(joined, fc.string(), fc.string({ unit: 'grapheme' }), fc.anything());
    await fc.assert(
      fc.asyncProperty(paths, async (file) => {
        const result = await read(file);
        const text = typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
        expect(text).not.to.include(SECRET);
        if (!result.isError) expect(insideContents.has(text), `read ${JSON.stringify(file)} → ${text}`).to.equal(true);
      }),
      { numRuns: 400 },
    );
  });

  describe('when the file changes between its checks and its read', () => {
    /**
     * node:fs/promises as read_file sees it: its functions are replaced on the module object, and
     * syncBuiltinESMExports() hands the replacements to ES module imports as well.
     */
    const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
    let dir: string;
    beforeEach(() => {
      dir = realpathSync(mkdtempSync(path.join(top, 'race-')));
    });
    afterEach(() => {
      sinon.restore();
      syncBuiltinESMExports();
    });

    /** Runs `after` right after read_file's first look at `file` (its stat), before it opens it. */
    function afterFirstLook(file: string, after: () => void): void {
      const stat = fsp.stat;
      sinon.replace(fsp, 'stat', (async (target: string, ...rest: unknown[]) => {
        const info = await (stat as (...args: unknown[]) => Promise<unknown>)(target, ...rest);
        if (target === file) after();
        return info;
      }) as typeof fsp.stat);
      syncBuiltinESMExports();
    }

    /** Wraps each FileHandle read_file opens with `wrap`. */
    function onOpen(wrap: (handle: FileHandle) => void): sinon.SinonSpy {
      const open = fsp.open;
      const spy = sinon.spy(async (...args: Parameters<typeof fsp.open>) => {
        const handle = await open(...args);
        wrap(handle);
        return handle;
      });
      sinon.replace(fsp, 'open', spy as unknown as typeof fsp.open);
      syncBuiltinESMExports();
      return spy;
    }

    const readIn = (file: string, maxBytes = 1000) => createReadFileTool({ baseDir: dir, maxBytes }).run({ path: file }, context());

    it('opens without following a symbolic link: a file swapped for a link to outside after its check is not read', async () => {
      const file = path.join(dir, 'swap.txt');
      writeFileSync(file, 'harmless');
      afterFirstLook(file, () => {
        unlinkSync(file);
        symlinkSync(path.join(top, 'secret.txt'), file);
      });
      const result = await readIn('swap.txt');
      expect(result.isError).to.equal(true);
      expect(String(result.content)).not.to.include(SECRET);
      expect(result.content).to.equal('Error: cannot read "swap.txt": too many symbolic links.');
    });

    it('checks the file it opened again: one replaced by a bigger file after its check is refused by its size', async () => {
      const file = path.join(dir, 'grows.txt');
      writeFileSync(file, 'small');
      afterFirstLook(file, () => {
        unlinkSync(file);
        writeFileSync(file, 'b'.repeat(2000));
      });
      expect(await readIn('grows.txt')).to.deep.equal({ content: 'Error: "grows.txt" is 2000 bytes, over the 1000-byte limit of this tool; refused.', isError: true });
    });

    it('checks the file it opened again: one replaced by a folder after its check is refused as a folder', async () => {
      const file = path.join(dir, 'becomes-dir');
      writeFileSync(file, 'small');
      afterFirstLook(file, () => {
        unlinkSync(file);
        mkdirSync(file);
      });
      expect(await readIn('becomes-dir')).to.deep.equal({ content: 'Error: "becomes-dir" is a folder, not a file.', isError: true });
    });

    it('checks what it read, not only the size it was told: a file that grows while it is read is refused', async () => {
      const file = path.join(dir, 'growing.txt');
      writeFileSync(file, 'c'.repeat(600));
      onOpen((handle) => {
        const stat = handle.stat.bind(handle);
        handle.stat = (async (...args: Parameters<FileHandle['stat']>) => {
          const info = await stat(...args);
          appendFileSync(file, 'c'.repeat(600));
          return info;
        }) as FileHandle['stat'];
      });
      expect(await readIn('growing.txt')).to.deep.equal({
        content: 'Error: "growing.txt" grew over the 1000-byte limit of this tool while being read; refused.',
        isError: true,
      });
    });

    it('reads one byte past its limit at most: a file that grows after its first read is refused, no more of it read', async () => {
      for (const [name, size, limit] of [['at-limit.txt', 600, 600], ['under-limit.txt', 600, 1000]] as const) {
        const file = path.join(dir, name);
        writeFileSync(file, 'e'.repeat(size));
        let bytesRead = 0;
        let reads = 0;
        onOpen((handle) => {
          const read = handle.read.bind(handle) as (...args: unknown[]) => Promise<{ bytesRead: number }>;
          handle.read = (async (...args: unknown[]) => {
            const result = await read(...args);
            bytesRead += result.bytesRead;
            if (++reads === 1) appendFileSync(file, 'e'.repeat(5000));
            return result;
          }) as FileHandle['read'];
        });
        expect(await readIn(name, limit), name).to.deep.equal({
          content: `Error: "${name}" grew over the ${limit}-byte limit of this tool while being read; refused.`,
          isError: true,
        });
        expect(bytesRead, name).to.equal(limit + 1);
        sinon.restore();
        syncBuiltinESMExports();
      }
    });

    it('never opens what its first look refuses: a folder, a FIFO, a file over the cap', async function () {
      mkdirSync(path.join(dir, 'folder'));
      writeFileSync(path.join(dir, 'big.txt'), 'd'.repeat(2000));
      const fifo = makeFifo(path.join(dir, 'pipe'));
      const opened = onOpen(() => {});
      expect((await readIn('folder')).content).to.equal('Error: "folder" is a folder, not a file.');
      expect((await readIn('big.txt')).content).to.equal('Error: "big.txt" is 2000 bytes, over the 1000-byte limit of this tool; refused.');
      if (fifo) expect((await readIn('pipe')).content).to.equal('Error: "pipe" is not a regular file.');
      expect(opened.called).to.equal(false);
      expect(await readIn('big.txt', 5000)).to.deep.equal({ content: 'd'.repeat(2000), isError: false });
      expect(opened.calledOnce, 'a file it reads is opened').to.equal(true);
    });

    it('closes every file it opens, read or refused after opening (no descriptor left open)', async function () {
      if (!existsSync('/proc/self/fd')) this.skip();
      writeFileSync(path.join(dir, 'ok.txt'), 'fine');
      writeFileSync(path.join(dir, 'binary.bin'), Buffer.from([0x00, 0x01]));
      const openFds = (): number => readdirSync('/proc/self/fd').length;
      await readIn('ok.txt');
      const before = openFds();
      const reads = 25;
      for (let i = 0; i < reads; i++) {
        expect((await readIn('ok.txt')).isError).to.equal(false);
        expect((await readIn('binary.bin')).isError).to.equal(true);
      }
      // A leak keeps one descriptor per read; a few may come and go with the rest of the process.
      expect(openFds() - before).to.be.lessThan(reads);
    });
  });
});
