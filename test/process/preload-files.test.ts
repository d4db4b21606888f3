/**
 * `preloadFiles()` changes the system prompt only between runs, and adds to what earlier calls
 * preloaded. A named pipe stands for a slow file: reading it ends when the test writes it.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { RunInProgressError } from '../../lib/errors.js';
import { textReply, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

type Body = { system?: string };

describe('preloadFiles()', () => {
  let t: TestSetup;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-preload-'));
    sinon.stub(process, 'emitWarning');
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const block = (file: string, text: string): string => `<file path="${path.join(dir, file)}">\n${text}\n</file>`;

  it('called before a run and finishing during it, is refused and leaves the prompt of the run unchanged', async () => {
    const fifo = path.join(dir, 'slow.md');
    execFileSync('mkfifo', [fifo]);
    let outcome: Promise<unknown> = Promise.resolve();
    // The tool, in the middle of the run, lets the read finish and waits for preloadFiles to settle.
    const release = stubTool('release', async () => {
      await writeFile(fifo, 'late content');
      await outcome;
      return { content: 'released', isError: false };
    });
    t = await setupTest({ baseDir: dir, systemPrompt: 'Base.', tools: [release] });
    outcome = t.process.preloadFiles(['slow.md']).then(() => 'added', (error: unknown) => error);
    t.server.enqueue(toolUseReply([{ name: 'release', input: {} }]), textReply('done'));
    await t.process.run('go');
    expect(await outcome).to.be.instanceOf(RunInProgressError);
    const systems = t.server.requests.map((request) => (withoutCaching(request.body) as Body).system);
    expect(systems).to.deep.equal(['Base.', 'Base.']);
    expect(t.process.systemPrompt).to.equal('Base.');
  });

  it('a second call keeps the files of the first, also when a file given again cannot be read any more', async () => {
    writeFileSync(path.join(dir, 'a.md'), 'A');
    writeFileSync(path.join(dir, 'b.md'), 'B');
    t = await setupTest({ baseDir: dir, systemPrompt: 'Base.' });
    await t.process.preloadFiles(['a.md']);
    await t.process.preloadFiles(['b.md']);
    expect(t.process.systemPrompt).to.equal(`Base.\n\n<preload>\n${block('a.md', 'A')}\n${block('b.md', 'B')}\n</preload>`);
    rmSync(path.join(dir, 'a.md'));
    await t.process.preloadFiles(['a.md']);
    expect(t.process.systemPrompt).to.equal(`Base.\n\n<preload>\n${block('a.md', 'A')}\n${block('b.md', 'B')}\n</preload>`);
  });

  it('two calls at once keep the files of both', async () => {
    writeFileSync(path.join(dir, 'a.md'), 'A');
    writeFileSync(path.join(dir, 'b.md'), 'B');
    t = await setupTest({ baseDir: dir, systemPrompt: 'Base.' });
    await Promise.all([t.process.preloadFiles(['a.md']), t.process.preloadFiles(['b.md'])]);
    expect(t.process.systemPrompt).to.include(block('a.md', 'A')).and.to.include(block('b.md', 'B'));
  });
});
