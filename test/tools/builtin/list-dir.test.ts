/**
 * The list_dir tool on its own: its definition and options, the kinds of entry it describes, its
 * counts and notes, and what it says when an entry changes while it lists (the attack list is in
 * test/reliability/security-list-dir.test.ts).
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { InvalidArgumentError } from '../../../lib/errors.js';
import { createListDirTool, DEFAULT_MAX_ENTRIES, type ListDirToolOptions } from '../../../lib/tools/builtin/list-dir.js';
import type { ToolResult } from '../../../lib/tools/tool.js';

describe('the list_dir tool', () => {
  let root: string;
  beforeEach(() => {
    root = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-list-dir-')));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const list = async (input: Record<string, unknown>, options: Partial<ListDirToolOptions> = {}, signal = new AbortController().signal): Promise<ToolResult> =>
    createListDirTool({ baseDir: root, ...options }).run(input, { signal, toolUseId: 'toolu_list' });
  const ok = (...lines: string[]): ToolResult => ({ content: lines.join('\n'), isError: false });
  const failed = (content: string): ToolResult => ({ content, isError: true });

  it('is a builtin with a strict schema whose description gives its cap and roots', () => {
    expect(createListDirTool({ baseDir: root, maxEntries: 7 })).to.deep.include({
      name: 'list_dir',
      description:
        "Lists a folder: each entry's kind (file, dir, symlink) and, for files, its size in bytes; at most 7 entries. " +
        `Relative paths are relative to the program's folder; only folders inside these can be listed: ${root}.`,
      inputSchema: {
        type: 'object',
        properties: {
          path: { type: 'string', description: "The folder, relative to the program's folder; default the program's folder." },
          show_hidden: { type: 'boolean', description: 'List entries whose names start with "." too (default false).' },
        },
        additionalProperties: false,
      },
      source: { kind: 'builtin' },
    });
    expect(createListDirTool({ baseDir: root }).description).to.include(`at most ${DEFAULT_MAX_ENTRIES} entries`);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => createListDirTool({ baseDir: root, maxEntries }), String(maxEntries))
        .to.throw(InvalidArgumentError, `options.maxEntries: must be a positive integer, got ${String(maxEntries)}`);
    }
    expect(createListDirTool({ baseDir: root, maxEntries: 1 }).name).to.equal('list_dir');
  });

  it('describes a FIFO as other, a link to one as a link to other, and a link to its own folder as "."', async () => {
    execFileSync('mkfifo', [path.join(root, 'pipe')]);
    symlinkSync(path.join(root, 'pipe'), path.join(root, 'pipe-link'));
    symlinkSync(root, path.join(root, 'self'));
    expect(await list({})).to.deep.equal(ok('Folder ".": 3 entries.', 'other "pipe"', 'symlink "pipe-link" -> "pipe" (other)', 'symlink "self" -> "." (dir)'));
  });

  it('counts hidden entries in its header and notes them, in the plural too', async () => {
    writeFileSync(path.join(root, 'a.txt'), 'abc');
    writeFileSync(path.join(root, '.one'), '');
    writeFileSync(path.join(root, '.two'), '');
    expect(await list({})).to.deep.equal(
      ok('Folder ".": 3 entries.', 'file "a.txt" 3 bytes', '2 hidden entries (names starting with ".") not listed; give "show_hidden": true to see them.'),
    );
    rmSync(path.join(root, '.two'));
    writeFileSync(path.join(root, 'b.txt'), '');
    // Two names and one hidden entry: 3 entries, not 2 - 1.
    expect((await list({})).content).to.match(/^Folder "\.": 3 entries\.\n/);
    rmSync(path.join(root, 'b.txt'));
    expect(await list({})).to.deep.equal(
      ok('Folder ".": 2 entries.', 'file "a.txt" 3 bytes', '1 hidden entry (names starting with ".") not listed; give "show_hidden": true to see them.'),
    );
  });

  it('notes left-out entries only when there are more than the cap', async () => {
    for (const name of ['a', 'b']) writeFileSync(path.join(root, name), '');
    expect(await list({}, { maxEntries: 2 })).to.deep.equal(ok('Folder ".": 2 entries.', 'file "a" 0 bytes', 'file "b" 0 bytes'));
    expect(await list({}, { maxEntries: 1 })).to.deep.equal(ok('Folder ".": 2 entries.', 'file "a" 0 bytes', '1 more entries not listed (at most 1 are).'));
  });

  it('names every unknown input, each cut to 40 characters', async () => {
    const long = 'z'.repeat(45);
    expect(await list({ recursive: true, [long]: 1 })).to.deep.equal(
      failed(`Error: unknown input "recursive", ${JSON.stringify(long.slice(0, 40))}; list_dir takes path and show_hidden.`),
    );
  });

  it('stops once the call is cancelled, and says so', async () => {
    mkdirSync(path.join(root, 'sub'));
    writeFileSync(path.join(root, 'sub', 'x'), '');
    const controller = new AbortController();
    controller.abort();
    expect(await list({ path: 'sub' }, {}, controller.signal)).to.deep.equal(failed('Error: listing "sub" was cancelled.'));
  });

  describe('when an entry changes while it lists', () => {
    /** node:fs/promises as list_dir sees it (see read-file.test.ts). */
    const fsp = createRequire(import.meta.url)('node:fs/promises') as typeof import('node:fs/promises');
    afterEach(() => {
      sinon.restore();
      syncBuiltinESMExports();
    });

    /** Runs `before` just before list_dir's `name` (lstat, stat) of `file`. */
    function beforeCall(name: 'lstat' | 'stat', file: string, before: () => void): void {
      const original = fsp[name] as (...args: unknown[]) => Promise<unknown>;
      sinon.replace(fsp, name, (async (target: string, ...rest: unknown[]) => {
        if (target === file) before();
        return original(target, ...rest);
      }) as never);
      syncBuiltinESMExports();
    }

    it('an entry removed before it is looked at is listed as vanished', async () => {
      writeFileSync(path.join(root, 'gone.txt'), '');
      beforeCall('lstat', path.join(root, 'gone.txt'), () => rmSync(path.join(root, 'gone.txt')));
      expect(await list({})).to.deep.equal(ok('Folder ".": 1 entry.', '? "gone.txt" (vanished while listing)'));
    });

    it('a link whose target is removed after its real path was found is a link to other', async () => {
      writeFileSync(path.join(root, 'target.txt'), 'x');
      symlinkSync(path.join(root, 'target.txt'), path.join(root, 'link'));
      beforeCall('stat', path.join(root, 'target.txt'), () => rmSync(path.join(root, 'target.txt'), { force: true }));
      expect(await list({})).to.deep.equal(ok('Folder ".": 2 entries.', 'symlink "link" -> "target.txt" (other)', '? "target.txt" (vanished while listing)'));
    });
  });
});
