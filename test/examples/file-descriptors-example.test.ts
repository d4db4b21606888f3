/**
 * examples/file-descriptors.ts, run as users run it, offline on the scripted model: list_dir shows
 * the data folder, a long read_file result is kept as fd:1, read_fd reads page 2, fd_to_file saves
 * it whole, and the RunResult counts what was kept and read.
 */
import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runExample } from './support.js';

const copy = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/fd-data/release-notes-copy.md');

describe('the file descriptors example', function () {
  this.timeout(40_000); // a child process compiling the sources through tsx
  it('file-descriptors.ts: lists, keeps a long result as fd:1, reads page 2, saves the whole and cleans up', async () => {
    const { stdout, stderr } = await runExample('file-descriptors.ts', {});
    expect(stderr).to.include('runs OFFLINE on the built-in scripted model');
    expect(stdout).to.include('⚙️ list_dir {"path":"fd-data"}');
    expect(stdout).to.include('file "release-notes.md" 4740 bytes');
    expect(stdout).to.include("📦 read_file's result (4740 characters) kept as fd:1: 6 pages of 800");
    expect(stdout).to.include('⚙️ read_fd {"fd":"fd:1","page":2}');
    expect(stdout).to.include('📖 read fd:1 page 2: 800 characters');
    expect(stdout).to.include('⚙️ fd_to_file {"fd":"fd:1","path":"fd-data/release-notes-copy.md"}');
    expect(stdout).to.include('Saved copy: 4740 bytes');
    expect(stdout).to.include('File descriptors: 1 kept (4740 bytes), 1 page read');
    expect(stdout).to.include('API calls: 6');
    expect(existsSync(copy), 'the example removes its copy').to.equal(false);
  });
});
