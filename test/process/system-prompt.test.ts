import { expect } from 'chai';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os, { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { composeSystemPrompt, envBlock, preloadBlock, readPreloadFiles, warnMissingPreload } from '../../lib/process/system-prompt.js';

describe('the system prompt', () => {
  afterEach(() => sinon.restore());

  describe('envBlock', () => {
    it('lists the variables asked for, in the order asked, one "name: value" line each', () => {
      const today = new Date().toISOString().slice(0, 10);
      expect(envBlock({ variables: ['platform', 'working_directory', 'date'] })).to.equal(
        `<env>\nplatform: ${process.platform}\nworking_directory: ${process.cwd()}\ndate: ${today}\n</env>`,
      );
      expect(envBlock({ variables: ['node_version', 'hostname'] })).to.equal(`<env>\nnode_version: ${process.version}\nhostname: ${os.hostname()}\n</env>`);
    });

    it('gives every variable it knows for "all", skipping those without a value here (python_version)', () => {
      const block = envBlock({ variables: 'all' });
      const names = block.split('\n').slice(1, -1).map((line) => line.slice(0, line.indexOf(':')));
      expect(names).to.deep.equal(['working_directory', 'platform', 'date', 'node_version', 'hostname', 'username']);
      expect(block).to.include(`username: ${os.userInfo().username}`);
    });

    it('skips a username the system cannot tell, and gives no block when nothing is left', () => {
      sinon.stub(os, 'userInfo').throws(new Error('no passwd entry'));
      expect(envBlock({ variables: ['username', 'platform'] })).to.equal(`<env>\nplatform: ${process.platform}\n</env>`);
      expect(envBlock({ variables: ['username', 'python_version'] })).to.equal('');
      expect(envBlock({ variables: [] })).to.equal('');
      expect(envBlock({ variables: ['no_such_variable', 'platform'] as never }), 'a name it does not know').to.equal(`<env>\nplatform: ${process.platform}\n</env>`);
    });
  });

  describe('preloadBlock and composeSystemPrompt', () => {
    const files = [
      { path: '/a/notes.txt', content: 'Remember.' },
      { path: '/a/b.md', content: '# B' },
    ];

    it('wraps each file in a <file> element inside one <preload> block, or gives nothing for no files', () => {
      expect(preloadBlock(files)).to.equal('<preload>\n<file path="/a/notes.txt">\nRemember.\n</file>\n<file path="/a/b.md">\n# B\n</file>\n</preload>');
      expect(preloadBlock([])).to.equal('');
    });

    it('joins the prompt, the env block and the preload block with a blank line, leaving out the empty ones', () => {
      expect(composeSystemPrompt('Base.', '<env>\nx: 1\n</env>', files)).to.equal(`Base.\n\n<env>\nx: 1\n</env>\n\n${preloadBlock(files)}`);
      expect(composeSystemPrompt('Base.', '', files)).to.equal(`Base.\n\n${preloadBlock(files)}`);
      expect(composeSystemPrompt('', '<env>\nx: 1\n</env>', [])).to.equal('<env>\nx: 1\n</env>');
      expect(composeSystemPrompt('Base.', '', [])).to.equal('Base.');
      expect(composeSystemPrompt('', '', [])).to.equal('');
    });
  });

  describe('readPreloadFiles', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(path.join(tmpdir(), 'llmproc-preload-'));
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('reads the files in the order given, and skips the ones it cannot read, saying why', async () => {
      writeFileSync(path.join(dir, 'a.txt'), 'A');
      writeFileSync(path.join(dir, 'b.txt'), 'B');
      mkdirSync(path.join(dir, 'folder'));
      const onMissing = sinon.spy();
      const paths = [path.join(dir, 'b.txt'), path.join(dir, 'gone.txt'), path.join(dir, 'folder'), path.join(dir, 'a.txt'), `${dir}/bad\0name`];
      const files = await readPreloadFiles(paths, onMissing);
      expect(files).to.deep.equal([
        { path: path.join(dir, 'b.txt'), content: 'B' },
        { path: path.join(dir, 'a.txt'), content: 'A' },
      ]);
      expect(onMissing.getCalls().map((call) => call.args.slice(0, 2))).to.deep.include.members([
        [path.join(dir, 'gone.txt'), 'file not found'],
        [path.join(dir, 'folder'), 'is a folder, not a file'],
      ]);
      const odd = onMissing.getCalls().find((call) => String(call.args[0]).includes('bad'))!;
      expect(odd.args[1]).to.match(/null bytes/);
      expect(onMissing.callCount).to.equal(3);
    });

    it('warns through a process warning of its own type', () => {
      const emitWarning = sinon.stub(process, 'emitWarning');
      warnMissingPreload('/x/gone.txt', 'file not found');
      expect(emitWarning.calledOnceWithExactly('preload file skipped: /x/gone.txt (file not found)', { type: 'LLMProcPreloadWarning' })).to.equal(true);
    });
  });
});
