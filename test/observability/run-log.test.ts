import { expect } from 'chai';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sinon from 'sinon';
import { RunLogError } from '../../lib/errors.js';
import { readRunLog } from '../../lib/observability/run-log/read-run-log.js';
import type { RunLogRecord, RunLogRecordOf } from '../../lib/observability/run-log/run-log-schema.js';
import { writeRunLog } from '../../lib/observability/run-log/write-run-log.js';
import type { LLMProcessEventName } from '../../lib/process/events.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { errorReply, textReply, toolUseReply } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { SENTINEL_API_KEY, setupTest, type TestSetup } from '../support/setup.js';
import { echoTool, stubTool } from '../support/tools.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const LOGGED: LLMProcessEventName[] = ['run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'rewind', 'child:start', 'run:end'];
const of = <E extends RunLogRecord['event']>(records: RunLogRecord[], event: E) => records.filter((r): r is RunLogRecordOf<E> => r.event === event);

describe('run logs (writeRunLog, readRunLog)', () => {
  let t: TestSetup | undefined;
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-runlog-'));
    file = path.join(dir, 'runs.jsonl');
  });
  afterEach(async () => {
    sinon.restore();
    await t?.close();
    t = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  describe('when a run rewinds (the goto tool)', () => {
    it('writes a rewind record after the goto call ends and before the next model call, with what the rewind event says', async () => {
      t = await setupTest({ tools: ['goto'] });
      t.server.enqueue(textReply('A done'));
      await t.process.run('task A');
      const detach = writeRunLog(t.process, file);
      t.server.enqueue(toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'Only do C.' }, id: 'toolu_goto' }]), textReply('C done'));
      const result = await t.process.run('task B');
      detach();

      const records = await readRunLog(file);
      expect(records.map((r) => r.event)).to.deep.equal(['run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'rewind', 'api:start', 'api:call', 'run:end']);
      const [rewind] = of(records, 'rewind');
      expect(rewind!.data).to.deep.include({ from: 'msg_4', to: 'msg_0', messageId: 'msg_5', removed: 5, via: 'goto', toolUseId: 'toolu_goto' });
      expect(rewind!.data.instruction).to.match(/Only do C\.$/);
      expect(rewind!.data.at).to.equal(result.rewinds[0]!.at);
      expect(of(records, 'run:end')[0]!.data.runResult['rewinds'], 'the RunResult in run:end has it too').to.deep.equal(result.toJSON().rewinds);
    });
  });

  describe('when a run with parallel tools is logged', () => {
    it('writes one typed line per event, in order, each with the time, OS process, process and run id; run:end has the RunResult', async () => {
      t = await setupTest({ tools: [echoTool('alpha'), echoTool('beta')] });
      t.server.enqueue(
        toolUseReply([{ name: 'alpha', input: { value: 'a' }, id: 'toolu_a' }, { name: 'beta', input: { value: 'b' }, id: 'toolu_b' }], {
          usage: { input_tokens: 40, output_tokens: 12, cache_read_input_tokens: 7 },
        }),
        textReply('Both done.'),
      );
      const runStart = sinon.spy();
      t.process.on('run:start', runStart);
      const detach = writeRunLog(t.process, file);
      const result = await t.process.run('use both');
      detach();

      const text = readFileSync(file, 'utf8');
      expect(text.endsWith('\n')).to.equal(true);
      expect(text.split('\n').slice(0, -1).map((line) => JSON.parse(line).event)).to.deep.equal([
        'run:start', 'api:start', 'api:call', 'tool:start', 'tool:start', 'tool:end', 'tool:end', 'api:start', 'api:call', 'run:end',
      ]);
      const records = await readRunLog(file);
      expect(records).to.have.length(10);
      const runId = runStart.firstCall.args[0].runId as string;
      for (const record of records) {
        expect(record).to.include({ v: 1, pid: process.pid, processId: t.process.id, runId });
      }
      const times = records.map((r) => r.time);
      expect(times).to.deep.equal([...times].sort((a, b) => a - b));
      expect(times[0]).to.be.within(result.startTime - 1, result.endTime! + 1);
      expect(of(records, 'run:start')[0]!.data).to.deep.equal({ input: 'use both', program: 'anthropic claude-test', model: 'claude-test', provider: 'anthropic' });
      const [call] = of(records, 'api:call');
      expect(call!.data).to.deep.include({ model: 'claude-test', stopReason: 'tool_use', costUsd: result.apiCallInfos[0]!.costUsd });
      expect(call!.data.tokens).to.deep.equal({ inputTokens: 40, outputTokens: 12, cacheReadInputTokens: 7, cacheCreationInputTokens: 0 });
      expect(call!.data.id).to.equal(result.apiCallInfos[0]!.id);
      expect(of(records, 'tool:start').map((r) => [r.data.toolName, r.data.toolUseId, r.data.args])).to.deep.equal([
        ['alpha', 'toolu_a', { value: 'a' }],
        ['beta', 'toolu_b', { value: 'b' }],
      ]);
      expect(of(records, 'tool:end')[1]!.data).to.deep.include({ toolName: 'beta', isError: false, result: { content: 'beta:b', isError: false }, source: 'function' });
      const end = of(records, 'run:end')[0]!;
      expect(end.data.runResult).to.deep.equal(JSON.parse(JSON.stringify(result)));
      expect(end.data.error).to.equal(undefined);
    });

    it('gives every run its own run id, and stops writing (and closes the file) when detached', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('one'), textReply('two'), textReply('three'));
      const detach = writeRunLog(t.process, file);
      const before = LOGGED.map((event) => t!.process.listenerCount(event));
      await t.process.run('first');
      await t.process.run('second');
      detach();
      detach();
      expect(LOGGED.map((event) => t!.process.listenerCount(event))).to.deep.equal(before.map((n) => n - 1));
      await t.process.run('third');
      const records = await readRunLog(file);
      expect(records).to.have.length(8);
      const runIds = [...new Set(records.map((r) => r.runId))];
      expect(runIds).to.have.length(2);
      expect(of(records, 'run:start').map((r) => r.data.input)).to.deep.equal(['first', 'second']);
    });
  });

  describe('when a run fails', () => {
    it('records the error by name, message and status in run:end, and never the key', async () => {
      t = await setupTest();
      t.server.enqueue(errorReply(500, { message: `boom with ${SENTINEL_API_KEY}` }));
      const detach = writeRunLog(t.process, file);
      await rejectionOf(t.process.run('fail'));
      detach();
      const records = await readRunLog(file);
      expect(records.map((r) => r.event)).to.deep.equal(['run:start', 'api:start', 'run:end']);
      const end = of(records, 'run:end')[0]!;
      expect(end.data.error).to.deep.include({ name: 'ApiCallError', status: 500 });
      expect(end.data.error!.message).to.include('500');
      expect(end.data.runResult.stopReason).to.equal('error');
      expect(readFileSync(file, 'utf8')).not.to.include(SENTINEL_API_KEY);
    });
  });

  describe('when a tool returns an image', () => {
    it('logs the image by media type and size, not its bytes', async () => {
      const data = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.alloc(292, 7)]).toString('base64');
      const camera = stubTool('camera', async () => ({ content: [{ type: 'text', text: 'a photo' }, { type: 'image', mediaType: 'image/png', data }], isError: false }));
      t = await setupTest({ tools: [camera] });
      t.server.enqueue(toolUseReply([{ name: 'camera', input: {} }]), textReply('nice'));
      const detach = writeRunLog(t.process, file);
      await t.process.run('snap');
      detach();
      expect(readFileSync(file, 'utf8')).not.to.include(data);
      const end = of(await readRunLog(file), 'tool:end')[0]!;
      expect(end.data.result.content).to.deep.equal([{ type: 'text', text: 'a photo' }, { type: 'image', mediaType: 'image/png', bytes: 300 }]);
    });
  });

  describe('when a child is spawned', () => {
    it('records child:start with the spawn call and the child, and the child’s calls tagged with it', async () => {
      const expert = new LLMProgram({ model: 'claude-expert', displayName: 'Expert' });
      t = await setupTest({ tools: ['spawn'], linkedPrograms: { expert } });
      t.server.enqueue(
        toolUseReply([{ name: 'spawn', input: { program_name: 'expert', query: 'q' }, id: 'toolu_spawn' }]),
        textReply('child answer'),
        textReply('done'),
      );
      const detach = writeRunLog(t.process, file);
      await t.process.run('ask');
      detach();
      const records = await readRunLog(file);
      const childStart = of(records, 'child:start');
      expect(childStart).to.have.length(1);
      expect(childStart[0]!.data).to.deep.include({ toolUseId: 'toolu_spawn' });
      expect(childStart[0]!.data.origin).to.deep.include({ program: 'Expert', via: 'spawn' });
      expect(childStart[0]!.data).not.to.have.property('process');
      const calls = of(records, 'api:call');
      expect(calls.map((r) => r.data.child?.processId)).to.deep.equal([undefined, childStart[0]!.data.origin.processId, undefined]);
      expect(records.map((r) => r.event)).to.deep.equal([
        'run:start', 'api:start', 'api:call', 'tool:start', 'child:start', 'api:call', 'tool:end', 'api:start', 'api:call', 'run:end',
      ]);
    });
  });

  describe('when two OS processes append to one file at once', () => {
    it('keeps every line whole: each parses, and each run is complete and in order', async function () {
      this.timeout(60_000);
      const RUNS = 6;
      const CALLS = 25;
      const script = path.join(here, 'fixtures/append-runs.ts');
      const start = (label: string): { child: ChildProcessWithoutNullStreams; ready: Promise<void>; done: Promise<number | null> } => {
        const child = spawn(process.execPath, ['--import', 'tsx', script, file, String(RUNS), String(CALLS), '20000', label], { stdio: ['pipe', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
        const ready = new Promise<void>((resolve, reject) => {
          child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
            out += chunk;
            if (out.includes('ready')) resolve();
          });
          child.once('exit', (code) => reject(new Error(`the ${label} writer exited (${code}) before it was ready: ${err}`)));
        });
        const done = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
        void done.then((code) => code === 0 || process.stderr.write(`writer ${label}: ${err}\n`));
        return { child, ready, done };
      };
      const writers = [start('left'), start('right')];
      await Promise.all(writers.map((w) => w.ready));
      for (const writer of writers) writer.child.stdin.end('go\n');
      expect(await Promise.all(writers.map((w) => w.done))).to.deep.equal([0, 0]);

      const records = await readRunLog(file);
      expect(records).to.have.length(2 * RUNS * (6 + 2 * CALLS));
      const pids = new Set(records.map((r) => r.pid));
      expect(pids.size).to.equal(2);
      const runs = new Map<string, RunLogRecord[]>();
      for (const record of records) runs.set(record.runId, [...(runs.get(record.runId) ?? []), record]);
      expect(runs.size).to.equal(2 * RUNS);
      for (const run of runs.values()) {
        const tools = [...Array(CALLS).fill('tool:start'), ...Array(CALLS).fill('tool:end')];
        expect(run.map((r) => r.event)).to.deep.equal(['run:start', 'api:start', 'api:call', ...tools, 'api:start', 'api:call', 'run:end']);
        expect(new Set(run.map((r) => r.pid)).size).to.equal(1);
      }
      const interleaved = records.some((r, i) => i > 0 && r.pid !== records[i - 1]!.pid && r.event !== 'run:start');
      expect(interleaved, 'the two writers wrote at the same time').to.equal(true);
      expect(readFileSync(file, 'utf8')).not.to.include(SENTINEL_API_KEY);
    });
  });

  describe('when the file is wrong', () => {
    it('refuses to open a log in a folder that does not exist, naming the file', () => {
      t = undefined;
      const missing = path.join(dir, 'no-such-folder', 'runs.jsonl');
      const fake = { on: sinon.spy(), id: 'proc-x' } as never;
      const error = (() => {
        try {
          writeRunLog(fake, missing);
        } catch (thrown) {
          return thrown;
        }
        return undefined;
      })();
      expect(error).to.be.instanceOf(RunLogError);
      expect(error).to.include({ file: missing, line: undefined });
      expect((error as Error).message).to.equal(`${missing}: cannot open the run log for appending: its folder does not exist`);
    });

    it('refuses a line that is not JSON, naming the file and the line', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('ok'));
      const detach = writeRunLog(t.process, file);
      await t.process.run('hi');
      detach();
      const lines = readFileSync(file, 'utf8').split('\n');
      lines.splice(2, 0, '{"v":1,"time":');
      writeFileSync(file, lines.join('\n'));
      const error = await rejectionOf(readRunLog(file));
      expect(error).to.be.instanceOf(RunLogError);
      expect(error).to.include({ file, line: 3 });
      expect((error as Error).message).to.match(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: line 3: not JSON \\(`));
    });

    it('refuses a JSON line that is not a record, saying which field is wrong', async () => {
      const good = { v: 1, time: 1, pid: 1, processId: 'proc-1', runId: 'r', event: 'api:start', data: { model: 'm', iteration: 1 } };
      writeFileSync(file, `${JSON.stringify(good)}\n\n${JSON.stringify({ ...good, data: { model: 'm', iteration: 'one' } })}\n`);
      const error = await rejectionOf(readRunLog(file));
      expect(error).to.be.instanceOf(RunLogError);
      expect(error).to.include({ line: 3 });
      expect((error as Error).message).to.include(': line 3: not a run-log record: data.iteration:');
      writeFileSync(file, `${JSON.stringify({ ...good, event: 'api:begin' })}\n`);
      expect(((await rejectionOf(readRunLog(file))) as Error).message).to.include('line 1: not a run-log record: event:');
    });

    it('refuses a file that does not exist', async () => {
      const error = await rejectionOf(readRunLog(path.join(dir, 'missing.jsonl')));
      expect(error).to.be.instanceOf(RunLogError);
      expect((error as Error).message).to.equal(`${path.join(dir, 'missing.jsonl')}: cannot read the run log: file not found`);
    });
  });
});
