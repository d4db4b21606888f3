/**
 * The attack list of read_fd and fd_to_file (R18 for writes, R20): descriptor ids out of range,
 * pages, offsets and lengths that are negative, fractional or huge, huge outputs, page sizes the
 * loader must refuse, and for fd_to_file every escape read_file refuses (`..`, absolute paths,
 * symlinks out, NUL bytes, over-long names, sibling-prefix folders) plus writing through a
 * symlink, replacing a file unasked, and replacing a hard-linked one.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { linkSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as v from 'valibot';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { createFdToFileTool } from '../../lib/tools/builtin/fd-to-file.js';
import { readFdTool } from '../../lib/tools/builtin/read-fd.js';
import { FileDescriptorStore } from '../../lib/tools/file-descriptors/store.js';
import { MAX_DESCRIPTOR_CHARS } from '../../lib/tools/file-descriptors/settings.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { expectValidRequests, setupTest } from '../support/setup.js';
import { resultText, toolResultsOf } from './mcp-support.js';

const SECRET = 'FD-OUTSIDE-SECRET';
const KEPT = 'k'.repeat(25);

function newStore(): FileDescriptorStore {
  const store = new FileDescriptorStore({ maxDirectOutputChars: 10, defaultPageSize: 10, canWrite: true });
  store.keep(KEPT, { toolName: 'big', toolUseId: 'toolu_big' });
  return store;
}

const context = (store: FileDescriptorStore | undefined) => ({ signal: new AbortController().signal, toolUseId: 'toolu_attack', fileDescriptors: store });

describe('reliability: read_fd', () => {
  const read = async (input: Record<string, unknown>, store: FileDescriptorStore | undefined = newStore()): Promise<ToolResult> => readFdTool.run(input, context(store));

  async function refusal(input: Record<string, unknown>): Promise<string> {
    const result = await read(input);
    expect(result.isError, `${JSON.stringify(input)} should be refused, got ${String(result.content)}`).to.equal(true);
    return String(result.content);
  }

  it('ids that are malformed, never made, of another type or out of range are refused', async () => {
    for (const fd of ['fd:0', 'fd:-1', 'fd:2', 'fd:9007199254740993', 'fd:1e3', 'fd:1.0', '1', '', 'fd:1 ', 'fd:1\0', 'ref:x', 'x'.repeat(10_000)]) {
      expect(await refusal({ fd }), JSON.stringify(fd.slice(0, 30))).to.match(/^Error: (".*" is not a descriptor id|fd:\d+ does not exist)/);
    }
    for (const fd of [1, null, true, ['fd:1'], { fd: 'fd:1' }, undefined]) expect(await refusal({ fd }), String(fd)).to.match(/^Error: "fd" must be a descriptor id/);
    expect((await refusal({ fd: 'x'.repeat(10_000) })).length, 'a long id is not echoed whole').to.be.lessThan(200);
  });

  it('pages that are 0, negative, fractional, not numbers, past the end or huge are refused', async () => {
    for (const page of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '2', null, true]) {
      expect(await refusal({ fd: 'fd:1', page }), String(page)).to.match(/^Error: "page" must be an integer of at least 1, received /);
    }
    for (const page of [4, 1e15, Number.MAX_SAFE_INTEGER]) expect(await refusal({ fd: 'fd:1', page }), String(page)).to.match(/^Error: fd:1 has 3 pages; there is no page \d+\.$/);
    expect(await refusal({ fd: 'fd:1', page: 1e300 })).to.match(/^Error: "page" must be an integer of at least 1, received 1e\+300\.$/);
  });

  it('offsets and lengths that are negative, fractional, huge or past the end are refused; page and offset do not mix', async () => {
    for (const offset of [-1, 0.5, 1e300, '0', Number.NaN]) expect(await refusal({ fd: 'fd:1', offset, length: 5 }), String(offset)).to.match(/^Error: "offset" must be an integer of at least 0/);
    for (const length of [0, -5, 2.5, '5', 1e300]) expect(await refusal({ fd: 'fd:1', offset: 0, length }), String(length)).to.match(/^Error: "length" must be an integer of at least 1/);
    expect(await refusal({ fd: 'fd:1', offset: 25, length: 1 })).to.equal('Error: fd:1 has 25 characters (offsets 0 to 24); offset 25 is past its end.');
    expect(await refusal({ fd: 'fd:1', offset: Number.MAX_SAFE_INTEGER, length: 1 })).to.match(/offset \d+ is past its end\.$/);
    expect(await refusal({ fd: 'fd:1', offset: 0, length: 11 })).to.equal('Error: "length" may be at most 10 (the most shown at once); read fd:1 in parts of up to 10 characters.');
    expect(await refusal({ fd: 'fd:1', offset: 0, length: Number.MAX_SAFE_INTEGER })).to.include('"length" may be at most 10');
    expect(await refusal({ fd: 'fd:1', page: 1, offset: 0 })).to.equal('Error: give "page", or "offset" (with "length"), not both.');
    expect(await refusal({ fd: 'fd:1', length: 3 })).to.equal('Error: "length" goes with "offset": give both, or "page" alone.');
    expect(await refusal({ fd: 'fd:1', read_all: true })).to.match(/^Error: unknown input "read_all"; read_fd takes fd, and page or offset \(with length\)\.$/);
  });

  it('a process that keeps no descriptors says so', async () => {
    const result = await readFdTool.run({ fd: 'fd:1' }, context(undefined));
    expect(result).to.deep.equal({ content: 'Error: this process keeps no file descriptors (its program does not enable them), so there is nothing to read.', isError: true });
  });

  it('no input, whatever it is made of, throws or returns more than a page of the descriptor (property)', async () => {
    const value = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(0, -1, 1, 2, 3, 25, 1e300, Number.MAX_SAFE_INTEGER), fc.string({ maxLength: 12 }), fc.constant(undefined), fc.anything());
    const input = fc.record({ fd: fc.oneof(fc.constantFrom('fd:1', 'fd:2', 'fd:0'), fc.string({ maxLength: 8 }), fc.anything()), page: value, offset: value, length: value }, { requiredKeys: [] });
    await fc.assert(
      fc.asyncProperty(input, async (given) => {
        const result = await read(given as Record<string, unknown>);
        expect(result.content).to.be.a('string');
        const text = result.content as string;
        if (result.isError) expect(text).to.match(/^Error: /);
        else expect(text.split('\n')[1]!.length).to.be.at.most(10);
      }),
      { numRuns: 500 },
    );
  });
});

describe('reliability: huge outputs and page sizes', () => {
  it('a tool output of 20 million characters is cut to what one descriptor holds; the model sees one page and a note saying so', async () => {
    const huge = 'h'.repeat(20_000_000);
    const flood = defineTool({ name: 'flood', description: 'Returns a huge text.', input: v.object({}), run: () => huge });
    const t = await setupTest({ tools: ['read_fd', flood], fileDescriptor: { maxDirectOutputChars: 1000, defaultPageSize: 1000 } });
    try {
      t.server.enqueue(toolUseReply([{ id: 'toolu_flood', name: 'flood', input: {} }]), textReply('ok'));
      const result = await t.process.run('Flood.');
      const sent = resultText(toolResultsOf(t.server.requests[1])[0]);
      expect(sent.length).to.be.lessThan(2000);
      expect(sent).to.match(new RegExp(`^<fd_result fd="fd:1" pages="${Math.ceil(MAX_DESCRIPTOR_CHARS / 1000)}" page_size="1000" chars="${MAX_DESCRIPTOR_CHARS}" bytes="${MAX_DESCRIPTOR_CHARS}" truncated="true" original_chars="20000000">`));
      expect(sent).to.include(`Only its first ${MAX_DESCRIPTOR_CHARS} characters were kept`);
      expect(result.fileDescriptors).to.deep.equal({ created: 1, bytesKept: MAX_DESCRIPTOR_CHARS, pagesRead: 0 });
      expect(JSON.stringify(t.server.requests.map((request) => request.body)).length, 'no request carries the flood').to.be.lessThan(20_000);
      expectValidRequests(t);
    } finally {
      await t.close();
    }
  });

  it('TOML: a page size or threshold that is 0, negative, fractional, a string or huge is refused at load, naming the key', () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'llmproc-fd-toml-'));
    try {
      const load = (section: string): string => {
        const file = path.join(folder, 'program.toml');
        writeFileSync(file, `[model]\nname = "claude-haiku-4-5"\nprovider = "anthropic"\n\n[tools]\nenabled = ["read_fd"]\n\n[file_descriptor]\n${section}\n`);
        try {
          LLMProgram.fromToml(file);
        } catch (error) {
          return (error as Error).message;
        }
        return 'loaded';
      };
      for (const key of ['default_page_size', 'max_direct_output_chars']) {
        for (const value of ['0', '-1', '-4000', '1.5', '"4000"', '1000001', '1e300', 'inf', 'nan']) {
          expect(load(`${key} = ${value}`), `${key} = ${value}`).to.match(new RegExp(`file_descriptor\\.${key}: `));
        }
        // Past int64 the TOML parser itself refuses, pointing at the line of the key.
        expect(load(`${key} = 9223372036854775808`)).to.match(new RegExp(`line 9, column \\d+: invalid TOML: [^\\n]*\\n[\\s\\S]*${key} = 9223372036854775808`));
      }
      expect(load('default_page_size = 9000\nmax_direct_output_chars = 8000')).to.include('file_descriptor.default_page_size: 9000 is longer than max_direct_output_chars (8000)');
      expect(load('enabled = false')).to.include('file_descriptor.enabled: is false, but read_fd is in [tools] enabled');
      expect(load('max_input_chars = 10')).to.include('file_descriptor.max_input_chars: unknown key');
      expect(load('default_page_size = 1\nmax_direct_output_chars = 1')).to.equal('loaded');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});

describe('reliability: fd_to_file (R18 for writes)', () => {
  let top: string;
  let root: string;

  before(() => {
    top = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-fd-write-')));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    mkdirSync(path.join(top, 'root-evil'));
    mkdirSync(path.join(top, 'outside'));
    writeFileSync(path.join(top, 'outside', 'target.txt'), SECRET);
    writeFileSync(path.join(root, 'existing.txt'), 'keep me');
    writeFileSync(path.join(root, 'inside-target.txt'), 'inside');
    symlinkSync(path.join(top, 'outside', 'target.txt'), path.join(root, 'link-out'));
    symlinkSync(path.join(top, 'outside', 'new.txt'), path.join(root, 'dangling-out'));
    symlinkSync(path.join(top, 'outside'), path.join(root, 'dir-out'));
    symlinkSync(path.join(root, 'inside-target.txt'), path.join(root, 'link-in'));
    symlinkSync(path.join(top, 'root-evil'), path.join(root, 'evil-dir'));
    linkSync(path.join(top, 'outside', 'target.txt'), path.join(root, 'hardlink.txt'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const write = async (input: Record<string, unknown>, store: FileDescriptorStore | undefined = newStore()): Promise<ToolResult> =>
    createFdToFileTool({ baseDir: root, allowedRoots: [root] }).run(input, context(store));

  /** Every file outside the root, with its content: no call may change it. */
  const outsideState = (): string =>
    ['outside', 'root-evil', '.'].map((folder) => readdirSync(path.join(top, folder)).sort().map((name) => `${folder}/${name}`).join(',')).join('|') + readFileSync(path.join(top, 'outside', 'target.txt'), 'utf8');

  async function refusal(input: Record<string, unknown>): Promise<string> {
    const before = outsideState();
    const result = await write(input);
    expect(result.isError, `${JSON.stringify(input)} should be refused, got ${String(result.content)}`).to.equal(true);
    expect(outsideState(), 'nothing outside changed').to.equal(before);
    return String(result.content);
  }

  it('`..`, absolute paths outside, sibling-prefix folders and NUL bytes are refused', async () => {
    for (const file of ['../x.txt', 'sub/../../x.txt', '../root-evil/x.txt', `${root}-evil/x.txt`, path.join(top, 'outside', 'x.txt'), '/tmp/llmproc-fd-x.txt', '/etc/passwd']) {
      expect(await refusal({ fd: 'fd:1', path: file }), file).to.match(/^Error: ".*" is outside the folders this tool may write to \(.*\); refused\.$/);
    }
    for (const file of ['x.txt\0', '\0', 'sub/\0/x.txt']) expect(await refusal({ fd: 'fd:1', path: file })).to.equal('Error: the path contains a NUL byte; refused.');
  });

  it('symlinks are never written through: out of the roots (to a file, a dangling one, a folder, a sibling) or inside', async () => {
    for (const file of ['dir-out/x.txt', 'evil-dir/x.txt']) expect(await refusal({ fd: 'fd:1', path: file }), file).to.include('leads outside the folders this tool may write to (through a symbolic link)');
    for (const file of ['link-out', 'dangling-out']) {
      expect(await refusal({ fd: 'fd:1', path: file, overwrite: true }), file).to.match(/^Error: ".*" (leads outside the folders this tool may write to|is a symbolic link)/);
    }
    expect(await refusal({ fd: 'fd:1', path: 'link-in', overwrite: true })).to.equal('Error: "link-in" is a symbolic link; fd_to_file never writes through one.');
    expect(readFileSync(path.join(root, 'inside-target.txt'), 'utf8')).to.equal('inside');
    expect(readdirSync(path.join(top, 'outside'))).to.deep.equal(['target.txt']);
  });

  it('an existing file is replaced only with overwrite: true; a hard-linked one never; folders are not created', async () => {
    expect(await refusal({ fd: 'fd:1', path: 'existing.txt' })).to.equal('Error: "existing.txt" already exists; give "overwrite": true to replace it.');
    expect(readFileSync(path.join(root, 'existing.txt'), 'utf8')).to.equal('keep me');
    expect(await refusal({ fd: 'fd:1', path: 'hardlink.txt', overwrite: true })).to.equal('Error: "hardlink.txt" has other hard links (one may be outside the allowed folders); refused.');
    expect(await refusal({ fd: 'fd:1', path: 'missing/x.txt' })).to.equal('Error: the folder of "missing/x.txt" does not exist; fd_to_file does not create folders.');
    expect(await refusal({ fd: 'fd:1', path: 'sub' })).to.equal('Error: "sub" is a folder; give the path of a file in it.');
    expect(await refusal({ fd: 'fd:1', path: 'x.txt', overwrite: 'yes' })).to.equal('Error: "overwrite" must be true or false.');
    expect(await refusal({ fd: 'fd:1', path: 'x.txt', mode: 'append' })).to.include('unknown input "mode"');
    const replaced = await write({ fd: 'fd:1', path: 'existing.txt', overwrite: true });
    expect(replaced.isError).to.equal(false);
    expect(readFileSync(path.join(root, 'existing.txt'), 'utf8')).to.equal(KEPT);
  });

  it('over-long paths and names are refused without writing anything', async () => {
    expect(await refusal({ fd: 'fd:1', path: 'a/'.repeat(3000) })).to.match(/^Error: the path is 6000 characters long, over the 4096 accepted; refused\.$/);
    expect(await refusal({ fd: 'fd:1', path: `${'n'.repeat(300)}.txt` })).to.match(/^Error: cannot write "n+\.txt": a name in the path is too long\.$/);
  });

  it('unknown or malformed descriptor ids are refused before the file system is touched', async () => {
    expect(await refusal({ fd: 'fd:9', path: 'new.txt' })).to.equal('Error: fd:9 does not exist. This process has fd:1.');
    expect(await refusal({ fd: '../fd:1', path: 'new.txt' })).to.include('is not a descriptor id');
    expect(readdirSync(root)).not.to.include('new.txt');
  });

  it('a new file inside is written whole, and the result says where and how much', async () => {
    const result = await write({ fd: 'fd:1', path: 'sub/out.txt' });
    expect(result).to.deep.equal({
      content: `<fd_file_result fd="fd:1" path="sub/out.txt" chars="25" bytes="25">\nWrote fd:1 (25 characters, 25 bytes) to "sub/out.txt".\n</fd_file_result>`,
      isError: false,
    });
    expect(readFileSync(path.join(root, 'sub', 'out.txt'), 'utf8')).to.equal(KEPT);
  });

  it('no path, whatever it is made of, writes outside the root or throws (property)', async () => {
    const pieces = fc.constantFrom('..', '.', '', 'sub', 'x.txt', 'root', 'root-evil', 'outside', 'target.txt', 'link-out', 'dangling-out', 'dir-out', 'link-in', 'evil-dir', 'hardlink.txt', '\0', '~', '\\', ' ');
    const joined = fc.tuple(fc.constantFrom('', '/', `${top}/`, `${root}/`, `${root}-evil/`), fc.array(pieces, { maxLength: 6 })).map(([prefix, parts]) => prefix + parts.join('/'));
    const before = outsideState();
    await fc.assert(
      fc.asyncProperty(joined, fc.boolean(), async (file, overwrite) => {
        const result = await write({ fd: 'fd:1', path: file, overwrite });
        expect(result.content).to.be.a('string');
        if (result.isError) expect(result.content).to.match(/^Error: /);
        expect(outsideState()).to.equal(before);
      }),
      { numRuns: 400 },
    );
  });
});
