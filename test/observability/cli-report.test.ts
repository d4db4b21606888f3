/** `llmproc report`, the command run as a child process. */
import { expect } from 'chai';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseReportArgs } from '../../lib/cli/report-command.js';
import { CliUsageError } from '../../lib/cli/usage-error.js';
import { runCli } from '../cli/support.js';

describe('llmproc report', function () {
  this.timeout(60_000);
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-cli-report-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('parses the log and -o, and defaults the page to the log’s name with .html', () => {
    expect(parseReportArgs(['logs/runs.jsonl', '-o', 'out.html'])).to.deep.equal({ logFile: 'logs/runs.jsonl', output: 'out.html' });
    expect(parseReportArgs(['logs/runs.jsonl'])).to.deep.equal({ logFile: 'logs/runs.jsonl', output: path.join('logs', 'runs.html') });
    expect(parseReportArgs(['--output=x.html', 'a.jsonl']).output).to.equal('x.html');
    for (const bad of [[], ['a.jsonl', 'b.jsonl'], ['a.jsonl', '--bogus'], ['a.jsonl', '-o', '']]) {
      expect(() => parseReportArgs(bad), JSON.stringify(bad)).to.throw(CliUsageError);
    }
  });

  it('writes a page that says there are no runs for an empty log', async () => {
    const log = path.join(dir, 'empty.jsonl');
    writeFileSync(log, '');
    const { code, stdout, stderr } = await runCli(['report', log]);
    expect(code, stderr).to.equal(0);
    expect(stdout).to.equal(`Wrote ${path.join(dir, 'empty.html')} (0 runs).\n`);
    expect(readFileSync(path.join(dir, 'empty.html'), 'utf8')).to.include('No runs in this log.');
  });

  it('refuses a log with a bad line, naming the file and line, with exit code 2 and no page', async () => {
    const log = path.join(dir, 'bad.jsonl');
    writeFileSync(log, '\nnot json\n');
    const { code, stdout, stderr } = await runCli(['report', log, '-o', path.join(dir, 'bad.html')]);
    expect(code).to.equal(2);
    expect(stdout).to.equal('');
    expect(stderr).to.match(new RegExp(`^llmproc: ${log.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 2: not JSON \\(`));
    expect(existsSync(path.join(dir, 'bad.html'))).to.equal(false);
  });

  it('refuses a missing log, and no log at all, with exit code 2', async () => {
    const missing = await runCli(['report', path.join(dir, 'missing.jsonl')]);
    expect(missing.code).to.equal(2);
    expect(missing.stderr).to.equal(`llmproc: ${path.join(dir, 'missing.jsonl')}: cannot read the run log: file not found\n`);
    const none = await runCli(['report']);
    expect(none.code).to.equal(2);
    expect(none.stderr).to.include('missing the run log: Usage: llmproc report <runs.jsonl> [-o <report.html>]');
  });
});
