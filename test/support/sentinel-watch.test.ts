/**
 * The secret watch (sentinel-watch.ts) itself: run under it in a mocha of its own, each test of
 * test/fixtures/sentinel-watch/leaks.fixture.ts that leaks a sentinel key fails, naming where it
 * leaked, and the one that does not leak passes.
 */
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const mocha = path.join(path.dirname(createRequire(import.meta.url).resolve('mocha/package.json')), 'bin/mocha.js');

interface MochaJson {
  passes: Array<{ title: string }>;
  failures: Array<{ title: string; err: { message: string } }>;
}

/** Runs the fixture under the watch; resolves with mocha's JSON report. */
function runFixture(): Promise<MochaJson> {
  const dir = mkdtempSync(path.join(tmpdir(), 'llmproc-watch-'));
  const output = path.join(dir, 'report.json');
  const args = [
    '--import', 'tsx', '--conditions', 'llmproc-source', mocha,
    '--no-config', '--extension', 'ts', '--timeout', '15000',
    '--require', 'test/support/sentinel-watch.ts',
    '--reporter', 'json', '--reporter-option', `output=${output}`,
    'test/fixtures/sentinel-watch/leaks.fixture.ts',
  ];
  return new Promise((resolve, reject) => {
    // The leaking tests fail, so mocha exits non-zero: the report says what happened.
    execFile(process.execPath, args, { cwd: root, timeout: 60_000 }, (error) => {
      try {
        resolve(JSON.parse(readFileSync(output, 'utf8')) as MochaJson);
      } catch {
        reject(error ?? new Error('mocha wrote no report'));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

describe('the secret watch (R19 across every test)', () => {
  it('fails each test that leaks a sentinel key, through an event (its own or a child\'s, heard or not), stdout, stderr or a warning, and only those', async () => {
    const report = await runFixture();
    const failed = Object.fromEntries(report.failures.map((f) => [f.title, f.err.message]));
    expect(Object.keys(failed)).to.have.members([
      'leaks through an event payload nobody listens to',
      'leaks through an event of a forked child nobody listens to',
      'leaks through stdout',
      'leaks through stderr',
      'leaks through a process warning',
    ]);
    // A leaking test passes its own body, then the watch's afterEach fails it: mocha lists it in both.
    expect(report.passes.map((p) => p.title).filter((title) => !(title in failed))).to.deep.equal(['does not leak']);
    for (const message of Object.values(failed)) expect(message).to.match(/^R19: a sentinel API key leaked during "leaks /);
    expect(failed['leaks through an event payload nobody listens to']).to.include('the payload of "response"');
    expect(failed['leaks through an event of a forked child nobody listens to']).to.include('the payload of "response"');
    expect(failed['leaks through stdout']).to.include('stdout: key: ');
    expect(failed['leaks through stderr']).to.include('stderr: key: ');
    expect(failed['leaks through a process warning']).to.include('a process warning');
  });
});
