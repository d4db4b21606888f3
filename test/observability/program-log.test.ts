import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProgramError, RunLogError } from '../../lib/errors.js';
import { readRunLog } from '../../lib/observability/run-log/read-run-log.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { startFakeAnthropic, textReply, type FakeAnthropicServer } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { SENTINEL_API_KEY } from '../support/setup.js';

describe('the [log] program setting', () => {
  let dir: string;
  let server: FakeAnthropicServer;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-program-log-'));
    server = await startFakeAnthropic();
  });
  afterEach(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const toml = (log: string): string => `[model]\nname = "claude-test"\nprovider = "anthropic"\n\n${log}`;

  it('[log] file, relative to the TOML file, gets every run of the program’s processes until they close', async () => {
    const file = path.join(dir, 'prog.toml');
    writeFileSync(file, toml('[log]\nfile = "no-such-folder/runs.jsonl"\n'));
    const program = LLMProgram.fromToml(file);
    expect(program.log).to.deep.equal({ file: path.join(dir, 'no-such-folder/runs.jsonl') });
    const missingFolder = await rejectionOf(program.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url }));
    expect(missingFolder).to.be.instanceOf(RunLogError);
    expect(missingFolder).to.include({ file: path.join(dir, 'no-such-folder/runs.jsonl') });

    writeFileSync(file, toml('[log]\nfile = "runs.jsonl"\n'));
    const fixed = LLMProgram.fromToml(file);
    server.enqueue(textReply('one'), textReply('two'), textReply('three'));
    const first = await fixed.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url });
    const second = await fixed.start({ apiKey: SENTINEL_API_KEY, baseURL: server.url });
    await first.run('first');
    await second.run('second');
    await first.close();
    // A closed process runs no more (ProcessClosedError), so nothing after close() reaches the log.
    await first.run('after close').catch(() => {});
    await second.close();
    const records = await readRunLog(path.join(dir, 'runs.jsonl'));
    expect(records.filter((r) => r.event === 'run:start').map((r) => [r.processId, (r.data as { input: string }).input])).to.deep.equal([
      [first.id, 'first'],
      [second.id, 'second'],
    ]);
  });

  it('log: { file } in code resolves against baseDir', () => {
    const program = new LLMProgram({ model: 'claude-test', baseDir: dir, log: { file: 'runs.jsonl' } });
    expect(program.log).to.deep.equal({ file: path.join(dir, 'runs.jsonl') });
    expect(new LLMProgram({ model: 'claude-test' }).log).to.equal(undefined);
  });

  it('refuses a [log] without a file, or with an unknown key, by key path', () => {
    const file = path.join(dir, 'bad.toml');
    writeFileSync(file, toml('[log]\nfiel = "runs.jsonl"\n'));
    const error = (() => {
      try {
        LLMProgram.fromToml(file);
      } catch (thrown) {
        return thrown as ProgramError;
      }
      throw new Error('expected a ProgramError');
    })();
    expect(error).to.be.instanceOf(ProgramError);
    expect(error.issues.join('\n')).to.match(/log\.fiel/);
    expect(error.issues.join('\n')).to.match(/log\.file/);
  });
});
