/**
 * The fd_to_file tool on its own: its definition, what it says for each input it refuses, and
 * what it does when the file changes between its checks and its open (the attack list is in
 * test/reliability/security-fd-tools.test.ts).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, linkSync, mkdirSync, mkdtempSync, openSync, readFileSync, realpathSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { createFdToFileTool } from '../../../lib/tools/builtin/fd-to-file.js';
import { FileDescriptorStore } from '../../../lib/tools/file-descriptors/store.js';
import type { ToolResult } from '../../../lib/tools/tool.js';

const CONTENT = 'k'.repeat(20) + 'é😀';

describe('the fd_to_file tool', () => {
  let top: string;
  let root: string;
  beforeEach(() => {
    top = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-fd-to-file-')));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    mkdirSync(path.join(top, 'outside'));
  });
  afterEach(() => rmSync(top, { recursive: true, force: true }));

  function newStore(): FileDescriptorStore {
    const store = new FileDescriptorStore({ maxDirectOutputChars: 10, defaultPageSize: 10, canWrite: true });
    store.keep(CONTENT, { toolName: 'big', toolUseId: 'toolu_big' });
    return store;
  }

  const tool = () => createFdToFileTool({ baseDir: root });
  const write = async (input: Record<string, unknown>, signal = new AbortController().signal): Promise<ToolResult> =>
    tool().run(input, { signal, toolUseId: 'toolu_write', fileDescriptors: newStore() });
  const failed = (content: string): ToolResult => ({ content, isError: true });
  const bytes = Buffer.byteLength(CONTENT);
  const wrote = (shown: string): ToolResult => ({
    content: `<fd_file_result fd="fd:1" path=${shown} chars="${CONTENT.length}" bytes="${bytes}">\nWrote fd:1 (${CONTENT.length} characters, ${bytes} bytes) to ${shown}.\n</fd_file_result>`,
    isError: false,
  });

  it('is an exclusive builtin asking for the file descriptors, with a strict schema naming its roots', () => {
    expect(tool()).to.deep.include({
      name: 'fd_to_file',
      uses: ['fileDescriptors'],
      description:
        'Writes the whole content of a file descriptor (a long tool result kept as "fd:N") to a UTF-8 text file. ' +
        `Relative paths are relative to the program's folder; only files inside these folders can be written: ${root}. ` +
        'An existing file is replaced only with "overwrite": true; folders are not created.',
      inputSchema: {
        type: 'object',
        properties: {
          fd: { type: 'string', description: 'The descriptor id, e.g. "fd:1".' },
          path: { type: 'string', description: "Path of the file to write, relative to the program's folder." },
          overwrite: { type: 'boolean', description: 'Replace the file if it exists (default false).' },
        },
        required: ['fd', 'path'],
        additionalProperties: false,
      },
      source: { kind: 'builtin' },
      exclusive: true,
    });
  });

  it('writes the descriptor as UTF-8 and says how much it wrote', async () => {
    expect(await write({ fd: 'fd:1', path: 'sub/out.txt' })).to.deep.equal(wrote('"sub/out.txt"'));
    expect(readFileSync(path.join(root, 'sub', 'out.txt'), 'utf8')).to.equal(CONTENT);
  });

  it('replaces the whole of a longer file with overwrite: true, leaving nothing of it behind', async () => {
    writeFileSync(path.join(root, 'long.txt'), 'x'.repeat(500));
    expect(await write({ fd: 'fd:1', path: 'long.txt', overwrite: true })).to.deep.equal(wrote('"long.txt"'));
    expect(readFileSync(path.join(root, 'long.txt'), 'utf8')).to.equal(CONTENT);
  });

  it('says when the process keeps no descriptors', async () => {
    const result = await tool().run({ fd: 'fd:1', path: 'x.txt' }, { signal: new AbortController().signal, toolUseId: 'toolu_write' });
    expect(result).to.deep.equal(failed('Error: this process keeps no file descriptors (its program does not enable them), so there is nothing to write.'));
  });

  it('names every unknown input, each cut to 40 characters', async () => {
    const long = 'y'.repeat(50);
    expect(await write({ fd: 'fd:1', path: 'x.txt', mode: 'w', [long]: 1 })).to.deep.equal(
      failed(`Error: unknown input "mode", ${JSON.stringify(long.slice(0, 40))}; fd_to_file takes fd, path and overwrite.`),
    );
  });

  it('refuses a file that exists, without overwrite, before its hard links are looked at', async () => {
    writeFileSync(path.join(root, 'linked.txt'), 'keep');
    linkSync(path.join(root, 'linked.txt'), path.join(root, 'other-link.txt'));
    expect(await write({ fd: 'fd:1', path: 'linked.txt' })).to.deep.equal(failed('Error: "linked.txt" already exists; give "overwrite": true to replace it.'));
    expect(await write({ fd: 'fd:1', path: 'linked.txt', overwrite: true })).to.deep.equal(
      failed('Error: "linked.txt" has other hard links (one may be outside the allowed folders); refused.'),
    );
    expect(readFileSync(path.join(root, 'linked.txt'), 'utf8')).to.equal('keep');
  });

  it('refuses a path that is not a regular file, such as a FIFO', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    for (const overwrite of [false, true]) {
      expect(await write({ fd: 'fd:1', path: 'pipe', overwrite })).to.deep.equal(failed('Error: "pipe" is not a regular file; refused.'));
    }
  });

  it('writes nothing once the call is cancelled, and says so', async () => {
    const controller = new AbortController();
    controller.abort();
    expect(await write({ fd: 'fd:1', path: 'cancelled.txt' }, controller.signal)).to.deep.equal(failed('Error: writing "cancelled.txt" was cancelled.'));
    expect(() => readFileSync(path.join(root, 'cancelled.txt'))).to.throw(/ENOENT/);
  });

  describe('when the path changes between its checks and its open', () => {
    /** node:fs/promises as fd_to_file sees it (see read-file.test.ts): replacements reach ES imports through syncBuiltinESMExports(). */
    const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
    afterEach(() => {
      sinon.restore();
      syncBuiltinESMExports();
    });

    /** Runs `after` right after fd_to_file's lstat of `file`, before it opens it. */
    function afterLstat(file: string, after: () => void): void {
      const lstat = fsp.lstat;
      sinon.replace(fsp, 'lstat', (async (target: string, ...rest: unknown[]) => {
        try {
          return await (lstat as (...args: unknown[]) => Promise<unknown>)(target, ...rest);
        } finally {
          if (target === file) after();
        }
      }) as typeof fsp.lstat);
      syncBuiltinESMExports();
    }

    it('a file made after its check is not replaced (O_EXCL)', async () => {
      const file = path.join(root, 'late.txt');
      afterLstat(file, () => writeFileSync(file, 'first'));
      expect(await write({ fd: 'fd:1', path: 'late.txt' })).to.deep.equal(failed('Error: "late.txt" already exists; give "overwrite": true to replace it.'));
      expect(readFileSync(file, 'utf8')).to.equal('first');
    });

    it('a file swapped for a symbolic link after its check is not written through (O_NOFOLLOW)', async () => {
      const file = path.join(root, 'swap.txt');
      writeFileSync(file, 'old');
      writeFileSync(path.join(top, 'outside', 'target.txt'), 'outside');
      afterLstat(file, () => {
        rmSync(file);
        symlinkSync(path.join(top, 'outside', 'target.txt'), file);
      });
      expect(await write({ fd: 'fd:1', path: 'swap.txt', overwrite: true })).to.deep.equal(failed('Error: "swap.txt" is a symbolic link; fd_to_file never writes through one.'));
      expect(readFileSync(path.join(top, 'outside', 'target.txt'), 'utf8')).to.equal('outside');
    });

    it('a folder swapped for a symbolic link to outside after its check is refused', async () => {
      const file = path.join(root, 'sub', 'x.txt');
      afterLstat(file, () => {
        renameSync(path.join(root, 'sub'), path.join(root, 'sub-moved'));
        symlinkSync(path.join(top, 'outside'), path.join(root, 'sub'));
      });
      expect(await write({ fd: 'fd:1', path: 'sub/x.txt' })).to.deep.equal(
        failed('Error: "sub/x.txt" leads outside the folders this tool may write to (through a symbolic link); refused.'),
      );
      expect(() => readFileSync(path.join(top, 'outside', 'x.txt'))).to.throw(/ENOENT/);
    });

    it('a folder that becomes a loop of links after its check is not called missing', async () => {
      const file = path.join(root, 'sub', 'x.txt');
      afterLstat(file, () => {
        renameSync(path.join(root, 'sub'), path.join(root, 'sub-moved'));
        symlinkSync(path.join(root, 'loop'), path.join(root, 'sub'));
        symlinkSync(path.join(root, 'sub'), path.join(root, 'loop'));
      });
      expect(await write({ fd: 'fd:1', path: 'sub/x.txt' })).to.deep.equal(failed('Error: "sub/x.txt" is a symbolic link; fd_to_file never writes through one.'));
    });

    it('a file swapped for a FIFO with a reader after its check is opened, seen to be no regular file, and left alone', async () => {
      const file = path.join(root, 'fifo-later');
      writeFileSync(file, 'old');
      let reader: number | undefined;
      afterLstat(file, () => {
        rmSync(file);
        execFileSync('mkfifo', [file]);
        reader = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
      });
      try {
        expect(await write({ fd: 'fd:1', path: 'fifo-later', overwrite: true })).to.deep.equal(failed('Error: "fifo-later" is not a regular file; refused.'));
      } finally {
        if (reader !== undefined) closeSync(reader);
      }
    });

    it('closes the file it opened, whatever happens', async () => {
      const handles: FileHandle[] = [];
      const open = fsp.open;
      sinon.replace(fsp, 'open', (async (...args: Parameters<typeof fsp.open>) => {
        const handle = await open(...args);
        handles.push(handle);
        return handle;
      }) as typeof fsp.open);
      syncBuiltinESMExports();
      expect(await write({ fd: 'fd:1', path: 'closed.txt' })).to.deep.equal(wrote('"closed.txt"'));
      expect(handles).to.have.length(1);
      expect(handles[0]!.fd, 'a closed FileHandle has fd -1').to.equal(-1);
    });
  });
});
