/**
 * R18: read_file checks the real path against the allowed roots by path segment. Named escapes
 * (`..`, absolute paths, NUL bytes, symlinks, sibling-prefix folders, the size cap), a property
 * over generated paths, and one run end to end through an LLMProcess.
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createReadFileTool, type ReadFileToolOptions } from '../../lib/tools/builtin/read-file.js';
import type { ToolResult } from '../../lib/tools/tool.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest } from '../support/setup.js';
import { resultText, toolResultsOf } from './mcp-support.js';

/** What every file outside the root holds: no successful read may ever return it. */
const SECRET = 'R18-OUTSIDE-SECRET';
const MAX_BYTES = 512;

describe('reliability: read_file (R18)', () => {
  let top: string;
  let root: string;
  /** Every text a successful read may return: the files inside the root. */
  const insideContents = new Set(['inside notes', 'deep inside', 'c'.repeat(MAX_BYTES)]);

  before(() => {
    // realpath: on some systems the temp folder is itself behind a symlink.
    top = realpathSync(mkdtempSync(path.join(tmpdir(), 'llmproc-r18-')));
    root = path.join(top, 'root');
    mkdirSync(path.join(root, 'sub'), { recursive: true });
    mkdirSync(path.join(top, 'root-evil'));
    mkdirSync(path.join(top, 'outside'));
    writeFileSync(path.join(root, 'notes.txt'), 'inside notes');
    writeFileSync(path.join(root, 'sub', 'deep.txt'), 'deep inside');
    writeFileSync(path.join(root, 'cap.txt'), 'c'.repeat(MAX_BYTES));
    writeFileSync(path.join(root, 'over.txt'), 'o'.repeat(MAX_BYTES + 1));
    writeFileSync(path.join(top, 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'root-evil', 'secret.txt'), SECRET);
    writeFileSync(path.join(top, 'outside', 'secret.txt'), SECRET);
    symlinkSync(path.join(top, 'outside', 'secret.txt'), path.join(root, 'escape-file'));
    symlinkSync(path.join(top, 'outside'), path.join(root, 'escape-dir'));
    symlinkSync(path.join(top, 'outside', 'missing.txt'), path.join(root, 'escape-missing'));
    symlinkSync(path.join(top, 'secret.txt'), path.join(root, 'hop'));
    symlinkSync(path.join(root, 'hop'), path.join(root, 'chain'));
    symlinkSync(path.join(top, 'root-evil'), path.join(root, 'evil-dir'));
    symlinkSync(path.join(top, 'outside', 'no-folder'), path.join(root, 'escape-missing-dir'));
    symlinkSync(path.join(root, 'escape-missing'), path.join(root, 'escape-missing-chain'));
    symlinkSync(path.join(root, 'notes.txt'), path.join(root, 'alias.txt'));
  });
  after(() => rmSync(top, { recursive: true, force: true }));

  const read = async (file: unknown, options: Partial<ReadFileToolOptions> = {}): Promise<ToolResult> =>
    createReadFileTool({ baseDir: root, allowedRoots: [root], maxBytes: MAX_BYTES, ...options }).run(
      { path: file },
      { signal: new AbortController().signal, toolUseId: 'toolu_r18' },
    );

  /** The refusal text for `file`; fails if the read succeeds or leaks the secret. */
  async function refusal(file: unknown, options: Partial<ReadFileToolOptions> = {}): Promise<string> {
    const result = await read(file, options);
    expect(result.isError, `${JSON.stringify(file)} should be refused, got ${String(result.content)}`).to.equal(true);
    expect(String(result.content)).not.to.include(SECRET);
    return String(result.content);
  }

  it('R18: `..` in any position is refused when it leaves the root', async () => {
    const outside = /^Error: ".*" is outside the folders this tool may read \(.*\); refused\.$/;
    for (const file of ['../secret.txt', 'sub/../../secret.txt', './../outside/secret.txt', 'sub/../../root-evil/secret.txt', '..', '../root-evil']) {
      expect(await refusal(file), file).to.match(outside);
    }
    expect(await read('sub/../notes.txt')).to.deep.equal({ content: 'inside notes', isError: false });
  });

  it('R18: absolute paths outside the roots are refused, including /etc/passwd and the root’s parent', async () => {
    for (const file of ['/etc/passwd', path.join(top, 'secret.txt'), top, path.join(top, 'outside', 'secret.txt'), '/']) {
      expect(await refusal(file), file).to.include('is outside the folders this tool may read');
    }
    expect(await read(path.join(root, 'sub', 'deep.txt'))).to.deep.equal({ content: 'deep inside', isError: false });
  });

  it('R18: a sibling-prefix folder (/root-evil next to /root) is outside, however the root is spelled', async () => {
    for (const rootSpelling of [root, `${root}/`, `${root}/.`, `${path.join(root, 'sub')}/..`]) {
      for (const file of [`${root}-evil/secret.txt`, '../root-evil/secret.txt', path.join(top, 'root-evil', 'secret.txt')]) {
        expect(await refusal(file, { allowedRoots: [rootSpelling] }), `${file} with root ${rootSpelling}`).to.include('is outside the folders');
      }
      expect(await read('notes.txt', { allowedRoots: [rootSpelling] })).to.deep.equal({ content: 'inside notes', isError: false });
    }
  });

  it('R18: NUL bytes are refused before the file system sees the path', async () => {
    for (const file of ['notes.txt\0', 'notes.txt\0.png', '\0', `${top}/secret.txt\0`, '../\0secret.txt']) {
      expect(await refusal(file), JSON.stringify(file)).to.equal('Error: the path contains a NUL byte; refused.');
    }
  });

  it('R18: symlinks that escape are refused (to a file, a folder, a missing file, a chain, a sibling folder); one that stays inside is read', async () => {
    const leads = (file: string) => `Error: ${JSON.stringify(file)} leads outside the folders this tool may read (through a symbolic link); refused.`;
    for (const file of ['escape-file', 'escape-dir/secret.txt', 'escape-missing', 'escape-missing-chain', 'escape-missing-dir/x.txt', 'escape-dir/none.txt', 'chain', 'hop', 'evil-dir/secret.txt']) {
      expect(await refusal(file), file).to.equal(leads(file));
    }
    expect(await read('alias.txt')).to.deep.equal({ content: 'inside notes', isError: false });
    expect(await refusal('sub/none.txt'), 'a missing file inside is just missing').to.equal('Error: cannot read "sub/none.txt": no such file.');
  });

  it('R18: files over the size cap are refused; a file of exactly the cap is read', async () => {
    expect(await refusal('over.txt')).to.equal(`Error: "over.txt" is ${MAX_BYTES + 1} bytes, over the ${MAX_BYTES}-byte limit of this tool; refused.`);
    expect(await read('cap.txt')).to.deep.equal({ content: 'c'.repeat(MAX_BYTES), isError: false });
  });

  it('R18: no path, whatever it is made of, reads a file outside the root or throws (property)', async () => {
    const pieces = fc.constantFrom('..', '.', '', 'sub', 'notes.txt', 'deep.txt', 'secret.txt', 'root', 'root-evil', 'outside', 'escape-file', 'escape-dir', 'escape-missing', 'escape-missing-dir', 'chain', 'evil-dir', 'alias.txt', 'cap.txt', '\0', '%2e%2e', '~', '\\', '..\\..', '\u202e', ' ');
    const joined = fc.tuple(fc.constantFrom('', '/', `${top}/`, `${root}/`, `${root}-evil/`), fc.array(pieces, { maxLength: 7 })).map(([prefix, parts]) => prefix + parts.join('/'));
    const paths = fc.oneof(joined, joined, fc.string({ maxLength: 40 }), fc.anything());
    await fc.assert(
      fc.asyncProperty(paths, async (file) => {
        const result = await read(file);
        expect(result.isError).to.be.a('boolean');
        expect(result.content).to.be.a('string');
        const content = result.content as string;
        expect(content, JSON.stringify(file)).not.to.include(SECRET);
        if (result.isError) expect(content).to.match(/^Error: /);
        else expect(insideContents.has(content), `${JSON.stringify(file)} read ${content.slice(0, 40)}`).to.equal(true);
      }),
      { numRuns: 800 },
    );
  });

  it('R18: end to end, the model’s escapes come back as is_error tool results and an allowed read succeeds', async () => {
    const t = await setupTest({ tools: ['read_file'], baseDir: root, readFile: { allowedRoots: [root], maxBytes: MAX_BYTES } });
    try {
      const escapes = ['../secret.txt', `${root}-evil/secret.txt`, 'escape-file', 'notes.txt\0', 'over.txt'];
      // Twelve parallel reads: more than the 10 listeners after which Node warns of a leak on the run's signal.
      const files = [...escapes, 'notes.txt', ...escapes, 'notes.txt'];
      t.server.enqueue(
        toolUseReply(files.map((file, i) => ({ id: `toolu_read_${i}`, name: 'read_file', input: { path: file } }))),
        textReply('Only notes.txt could be read.'),
      );
      const warnings: Error[] = [];
      const onWarning = (warning: Error): void => void warnings.push(warning);
      process.on('warning', onWarning);
      const result = await t.process.run('Read these files.').finally(() => process.off('warning', onWarning));
      expect(result.stopReason).to.equal('end_turn');
      expect(warnings.map(String), 'twelve parallel reads raise no listener warning').to.deep.equal([]);
      const results = toolResultsOf(t.server.requests[1]);
      expect(results.map((r) => r.is_error ?? false)).to.deep.equal([true, true, true, true, true, false, true, true, true, true, true, false]);
      expect(results.map(resultText).at(-1)).to.equal('inside notes');
      for (const text of results.map(resultText)) expect(text).not.to.include(SECRET);
      expect(JSON.stringify(t.server.requests.map((request) => request.body))).not.to.include(SECRET);
    } finally {
      await t.close();
    }
  });
});
