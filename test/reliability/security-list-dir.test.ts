/**
 * The attack list of list_dir (R18 for listings): `..`, absolute paths outside, sibling-prefix
 * folders, NUL bytes and over-long paths are refused; a folder reached through a symlink that
 * escapes is refused; a symlink inside that points out is listed as a link and never followed
 * (no name behind it is shown); names that could forge lines are quoted; huge folders are capped.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createListDirTool, type ListDirToolOptions } from '../../lib/tools/builtin/list-dir.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest } from '../support/setup.js';
import { resultText, toolResultsOf } from './mcp-support.js';

/** The name of every file outside the root: no listing may ever show it. */
const SECRET = 'OUTSIDE-SECRET-NAME';

describe('reliability: list_dir', () => {
  let top: string;
  let root: string;

  before(() => {
    top = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-list-')));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'sub', 'deeper'), { recursive: true });
    mkdirSync(path.join(root, 'many'));
    mkdirSync(path.join(top, 'root-evil'));
    mkdirSync(path.join(top, 'outside'));
    writeFileSync(path.join(top, 'outside', `${SECRET}.txt`), 'x');
    writeFileSync(path.join(top, 'root-evil', `${SECRET}.txt`), 'x');
    writeFileSync(path.join(root, 'notes.txt'), 'hello');
    writeFileSync(path.join(root, '.hidden'), 'h');
    writeFileSync(path.join(root, 'forged\nfile "fake.txt" 1 bytes'), 'n');
    for (let i = 0; i < 250; i++) writeFileSync(path.join(root, 'many', `f${String(i).padStart(3, '0')}.txt`), '');
    symlinkSync(path.join(top, 'outside'), path.join(root, 'dir-out'));
    symlinkSync(path.join(top, 'outside', `${SECRET}.txt`), path.join(root, 'file-out'));
    symlinkSync(path.join(top, 'outside', 'gone'), path.join(root, 'dangling-out'));
    symlinkSync(path.join(top, 'root-evil'), path.join(root, 'evil-dir'));
    symlinkSync(path.join(root, 'sub'), path.join(root, 'sub-link'));
    symlinkSync(path.join(root, 'notes.txt'), path.join(root, 'notes-link'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const list = async (input: Record<string, unknown>, options: Partial<ListDirToolOptions> = {}): Promise<ToolResult> =>
    createListDirTool({ baseDir: root, allowedRoots: [root], ...options }).run(input, { signal: new AbortController().signal, toolUseId: 'toolu_list' });

  async function listing(input: Record<string, unknown>, options: Partial<ListDirToolOptions> = {}): Promise<string> {
    const result = await list(input, options);
    expect(result.isError, String(result.content)).to.equal(false);
    expect(String(result.content)).not.to.include(SECRET);
    return String(result.content);
  }

  async function refusal(input: Record<string, unknown>): Promise<string> {
    const result = await list(input);
    expect(result.isError, `${JSON.stringify(input)} should be refused, got ${String(result.content)}`).to.equal(true);
    expect(String(result.content)).not.to.include(SECRET);
    return String(result.content);
  }

  it('lists names, kinds and sizes sorted; symlinks are links, described only when they stay inside', async () => {
    const text = await listing({});
    expect(text.split('\n')).to.deep.equal([
      'Folder ".": 11 entries.',
      'symlink "dangling-out" -> (broken or leads outside the allowed folders; not followed)',
      'symlink "dir-out" -> (outside the allowed folders; not followed)',
      'symlink "evil-dir" -> (outside the allowed folders; not followed)',
      'symlink "file-out" -> (outside the allowed folders; not followed)',
      'file "forged\\nfile \\"fake.txt\\" 1 bytes" 1 bytes',
      'dir "many"',
      'symlink "notes-link" -> "notes.txt" (file, 5 bytes)',
      'file "notes.txt" 5 bytes',
      'dir "sub"',
      'symlink "sub-link" -> "sub" (dir)',
      '1 hidden entry (names starting with ".") not listed; give "show_hidden": true to see them.',
    ]);
    expect(await listing({ show_hidden: true })).to.include('file ".hidden" 1 bytes');
    expect(await listing({ path: 'sub-link' })).to.equal('Folder "sub-link": 1 entry.\ndir "deeper"');
  });

  it('caps the entries and says how many were left out', async () => {
    const text = await listing({ path: 'many' }, { maxEntries: 200 });
    const lines = text.split('\n');
    expect(lines[0]).to.equal('Folder "many": 250 entries.');
    expect(lines.filter((line) => line.startsWith('file '))).to.have.length(200);
    expect(lines.at(-1)).to.equal('50 more entries not listed (at most 200 are).');
    expect(lines[1]).to.equal('file "f000.txt" 0 bytes');
  });

  it('`..`, absolute paths outside, sibling-prefix folders, NUL bytes and over-long paths are refused', async () => {
    for (const folder of ['..', '../outside', 'sub/../..', '../root-evil', `${root}-evil`, top, '/', '/etc', path.join(top, 'outside')]) {
      expect(await refusal({ path: folder }), folder).to.match(/^Error: ".*" is outside the folders this tool may list \(.*\); refused\.$/);
    }
    for (const folder of ['sub\0', '\0', '.\0./..']) expect(await refusal({ path: folder })).to.equal('Error: the path contains a NUL byte; refused.');
    expect(await refusal({ path: 'sub/'.repeat(2000) })).to.equal('Error: the path is 8000 characters long, over the 4096 accepted; refused.');
    expect(await refusal({ path: 'n'.repeat(300) })).to.equal(`Error: cannot list "${'n'.repeat(300)}": a name in the path is too long.`);
  });

  it('a folder behind a symlink that escapes is never listed (a folder, a sibling, a dangling link, a path through one)', async () => {
    for (const folder of ['dir-out', 'evil-dir', 'dangling-out', 'dir-out/.', 'sub/../dir-out']) {
      expect(await refusal({ path: folder }), folder).to.include('leads outside the folders this tool may list (through a symbolic link); refused.');
    }
  });

  it('a file, a missing folder and bad inputs get clear errors', async () => {
    expect(await refusal({ path: 'notes.txt' })).to.equal('Error: "notes.txt" is a file, not a folder; read it with read_file.');
    expect(await refusal({ path: 'nope' })).to.equal('Error: cannot list "nope": no such folder.');
    expect(await refusal({ path: 7 })).to.equal('Error: "path" must be a non-empty string.');
    expect(await refusal({ path: '.', show_hidden: 'yes' })).to.equal('Error: "show_hidden" must be true or false.');
    expect(await refusal({ directory_path: '.' })).to.include('unknown input "directory_path"');
  });

  it('no path, whatever it is made of, shows a name outside the root or throws (property)', async () => {
    const pieces = fc.constantFrom('..', '.', '', 'sub', 'deeper', 'many', 'root', 'root-evil', 'outside', 'dir-out', 'file-out', 'dangling-out', 'evil-dir', 'sub-link', 'notes.txt', '\0', '~', ' ');
    const joined = fc.tuple(fc.constantFrom('', '/', `${top}/`, `${root}/`, `${root}-evil/`), fc.array(pieces, { maxLength: 6 })).map(([prefix, parts]) => prefix + parts.join('/'));
    await fc.assert(
      fc.asyncProperty(fc.oneof(joined, joined, fc.anything()), fc.boolean(), async (folder, hidden) => {
        const result = await list({ path: folder, show_hidden: hidden });
        expect(result.content).to.be.a('string');
        expect(result.content).not.to.include(SECRET);
        if (result.isError) expect(result.content).to.match(/^Error: /);
      }),
      { numRuns: 500 },
    );
  });

  it('end to end: escapes are is_error results, the listing of the root reaches the model', async () => {
    const t = await setupTest({ tools: ['list_dir'], baseDir: root });
    try {
      t.server.enqueue(
        toolUseReply([
          { id: 'toolu_up', name: 'list_dir', input: { path: '..' } },
          { id: 'toolu_out', name: 'list_dir', input: { path: 'dir-out' } },
          { id: 'toolu_root', name: 'list_dir', input: {} },
        ]),
        textReply('Listed.'),
      );
      await t.process.run('List.');
      const results = toolResultsOf(t.server.requests[1]);
      expect(results.map((r) => r.is_error ?? false)).to.deep.equal([true, true, false]);
      expect(resultText(results[2])).to.match(/^Folder "\.": 11 entries\./);
      expect(JSON.stringify(t.server.requests.map((request) => request.body))).not.to.include(SECRET);
    } finally {
      await t.close();
    }
  });
});
