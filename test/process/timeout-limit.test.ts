/**
 * Node's timers hold at most 2^31 − 1 ms; a longer `setTimeout` fires after 1 ms. A `timeoutMs`
 * above that is refused, in `run()` options and in a program's `[run] timeout_ms`.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InvalidArgumentError, ProgramError } from '../../lib/errors.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply } from '../../lib/testing/index.js';
import { MAX_TIMEOUT_MS } from '../../lib/timer-limit.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { thrownBy } from '../support/thrown-by.js';

describe('timeoutMs above the longest timer Node can set', () => {
  let t: TestSetup | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-timeout-'));
  });
  afterEach(async () => {
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('is 2^31 − 1 ms', () => {
    expect(MAX_TIMEOUT_MS).to.equal(2_147_483_647);
  });

  it('run() refuses it with an InvalidArgumentError naming options.timeoutMs and the maximum, before any request', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('ok'), textReply('ok'));
    const error = await t.process.run('hi', { timeoutMs: 2 ** 31 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'options.timeoutMs');
    expect((error as Error).message).to.include('2147483647');
    expect(t.server.requests).to.have.length(0);
    const atTheLimit = await t.process.run('hi', { timeoutMs: MAX_TIMEOUT_MS });
    expect(atTheLimit.stopReason).to.equal('end_turn');
  });

  it('a program refuses it at load: [run] timeout_ms with a ProgramError naming the key, and run.timeoutMs in code', () => {
    const file = path.join(dir, 'slow.toml');
    writeFileSync(file, '[model]\nname = "m"\nprovider = "anthropic"\n[run]\ntimeout_ms = 3000000000\n');
    const error = thrownBy(() => LLMProgram.fromToml(file), ProgramError, '[run] timeout_ms = 3000000000');
    expect(error.keyPath).to.equal('run.timeout_ms');
    expect(error.message).to.include('run.timeout_ms').and.to.include('2147483647');
    const inCode = thrownBy(() => new LLMProgram({ model: 'm', run: { timeoutMs: 3e9 } }), ProgramError, 'run.timeoutMs = 3e9');
    expect(inCode.keyPath).to.equal('run.timeoutMs');
    writeFileSync(file, `[model]\nname = "m"\nprovider = "anthropic"\n[run]\ntimeout_ms = ${MAX_TIMEOUT_MS}\n`);
    expect(LLMProgram.fromToml(file).runDefaults.timeoutMs).to.equal(MAX_TIMEOUT_MS);
  });
});
