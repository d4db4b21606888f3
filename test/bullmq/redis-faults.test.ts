/**
 * Issue 17: llmproc/bullmq when Redis or a worker misbehaves mid-run, with real redis-server and
 * worker processes against the fake Anthropic server. Redis crashing (SIGKILL) and coming back on
 * the same port: the worker reconnects and the run finishes, its checkpoint a whole record; Redis
 * coming back empty: the run stops with a clear error and writes nothing. A worker that stalls
 * (SIGSTOP) past its job lock while another worker finishes the job must not overwrite the newer
 * checkpoint when it wakes: checkpoint writes are fenced by the job's lock.
 */
import { expect } from 'chai';
import { once } from 'node:events';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { type ConversationRecord, conversationKey, enqueueRun, type LLMProcJobData, type RunJobResult } from '../../lib/bullmq/index.js';
import { readSnapshot } from '../../lib/snapshot/read-snapshot.js';
import { type FakeAnthropicServer, type RecordedRequest, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { loadIORedis, type RedisServer, startRedis } from './support/redis.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const IORedis = loadIORedis();

type Reply = ReturnType<typeof textReply>;
type Body = { messages: Array<{ role: string; content: unknown }> };

/** A worker process and the lines it printed. */
interface WorkerProcess {
  child: ChildProcess;
  /** Resolves with the first line (printed so far or later) that matches `pattern`. */
  line(pattern: RegExp): Promise<string>;
}

/** A deferred value: the test decides when a held model reply goes out. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

describe('llmproc/bullmq when Redis or a worker fails mid-run', function () {
  this.timeout(120_000);
  let redis: RedisServer;
  let server: FakeAnthropicServer;
  let dir: string;
  let log: string;
  let queueName: string;
  let queue: Queue<LLMProcJobData, RunJobResult>;
  let events: QueueEvents;
  const connections: Array<{ quit(): Promise<unknown>; disconnect(): void }> = [];
  const children: ChildProcess[] = [];
  /** The model's answers after the note's result, one per request, in order; each may be held. */
  let answers: Array<Promise<Reply>>;
  /** Resolves (with the request) as each request after the note's result arrives. */
  let answering: Array<{ promise: Promise<RecordedRequest>; resolve: (request: RecordedRequest) => void }>;

  const connect = () => {
    const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
    // Redis is down on purpose for a while: the test's own clients reconnect; their errors are expected.
    (connection as unknown as { on(event: 'error', listener: () => void): void }).on('error', () => {});
    connections.push(connection);
    return connection as never;
  };

  /** "note" first; then, for each request that answers a tool result, the next of `answers`. */
  function responder(request: RecordedRequest): Reply | Promise<Reply> {
    const last = (request.body as Body).messages.at(-1)!;
    const answeringResult = Array.isArray(last.content) && (last.content as Array<{ type: string }>).some((part) => part.type === 'tool_result');
    if (!answeringResult) return toolUseReply([{ name: 'note', input: { text: 'one' }, id: 'toolu_note' }], { usage: { input_tokens: 100, output_tokens: 10 } });
    const k = answering.findIndex((slot) => !(slot as { taken?: boolean }).taken);
    (answering[k] as { taken?: boolean }).taken = true;
    answering[k]!.resolve(request);
    return answers[k]!;
  }

  async function startWorker(env: Record<string, string> = {}): Promise<WorkerProcess> {
    const { ANTHROPIC_API_KEY: _k, ANTHROPIC_AUTH_TOKEN: _t, ANTHROPIC_BASE_URL: _u, ...clean } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', path.join(here, 'fixtures/worker.ts')], {
      cwd: root,
      env: { ...clean, REDIS_URL: redis.url, QUEUE: queueName, LOG_FILE: log, GATE: 'open', ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(child);
    const lines: string[] = [];
    const waiting: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];
    let buffered = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        for (const wait of waiting.filter((w) => w.pattern.test(line))) {
          waiting.splice(waiting.indexOf(wait), 1);
          wait.resolve(line);
        }
      }
    });
    child.stderr!.resume();
    const worker: WorkerProcess = {
      child,
      line: (pattern) => {
        const seen = lines.find((line) => pattern.test(line));
        return seen !== undefined ? Promise.resolve(seen) : new Promise((resolve) => waiting.push({ pattern, resolve }));
      },
    };
    await Promise.race([worker.line(/^ready$/), new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`))))]);
    return worker;
  }

  async function storedRecord(): Promise<string | null> {
    const client = await queue.getBackend().client;
    return client.get(conversationKey(queueName, 'c', 'checkpoint'));
  }

  async function setup(options: { durable: boolean; answers: number }): Promise<void> {
    redis = await startRedis({ durable: options.durable });
    answering = Array.from({ length: options.answers }, () => deferred<RecordedRequest>());
    server = await startFakeAnthropic({ responder });
    queue = new Queue(queueName, { connection: connect() });
    events = new QueueEvents(queueName, { connection: connect() });
    await events.waitUntilReady();
  }

  beforeEach(function () {
    dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-redis-faults-'));
    log = path.join(dir, 'log');
    writeFileSync(log, '');
    queueName = `faults-${Math.random().toString(36).slice(2, 8)}`;
  });
  afterEach(async () => {
    // Each worker is killed and gone before the connections and servers it used are closed.
    await Promise.all(
      children.splice(0).map(async (child) => {
        if (child.exitCode !== null || (child.signalCode !== null && child.signalCode !== 'SIGSTOP')) return;
        const exited = once(child, 'exit');
        child.kill('SIGKILL');
        await exited;
      }),
    );
    // Forcefully: after a Redis restart a graceful close may wait on commands that never complete.
    await events?.close();
    await queue?.disconnect();
    for (const connection of connections.splice(0)) connection.disconnect();
    await server?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('Redis killed (SIGKILL) and restarted during a model call: the worker reconnects, the run finishes, and the checkpoint is a whole record', async () => {
    const through = deferred<Reply>();
    answers = [through.promise];
    await setup({ durable: true, answers: 1 });
    // The lock must outlast Redis being down: a worker that loses it stops its run (see the fencing test).
    await startWorker({ LOCK_MS: '20000' });
    const job = await enqueueRun(queue, { program: 'gated', prompt: 'take a note', conversationId: 'c' });
    await answering[0]!.promise; // the note ran; the second model call is waiting for its answer
    await redis.crash();
    await redis.restart();
    through.resolve(textReply('Noted.', { usage: { input_tokens: 200, output_tokens: 5 } }));
    const result = await job.waitUntilFinished(events);
    expect(result.stopReason).to.equal('end_turn');
    expect(result.runResult.lastMessage).to.equal('Noted.');
    expect(result.runResult.apiCalls).to.equal(2);
    expect(readFileSync(log, 'utf8')).to.equal('note one\n');
    const record = JSON.parse((await storedRecord())!) as ConversationRecord;
    expect(record).to.include({ jobId: job.id, step: 'final' });
    // A whole, valid snapshot (readSnapshot throws a SnapshotError for anything else), ending with the answer.
    expect(readSnapshot(record.snapshot).messages.at(-1)).to.deep.equal({ role: 'assistant', content: [{ type: 'text', text: 'Noted.' }] });
  });

  it('Redis restarted empty during a run (no persistence): the run stops with a clear error and writes no checkpoint', async () => {
    const held = deferred<Reply>();
    answers = [held.promise];
    await setup({ durable: false, answers: 1 });
    const worker = await startWorker({ LOCK_MS: '20000' });
    await enqueueRun(queue, { program: 'gated', prompt: 'take a note', conversationId: 'c' });
    await answering[0]!.promise;
    await redis.crash();
    await redis.restart();
    held.resolve(textReply('Noted.'));
    const line = await worker.line(/^error the checkpoint/);
    expect(line).to.equal(
      'error the checkpoint of conversation "c" was not written: this worker no longer holds the lock of job ' +
        `${line.match(/lock of job (\S+) /)![1]} (it stalled longer than lockDuration and the job went to another worker), so it stopped its run and left the newer checkpoint alone`,
    );
    expect(await storedRecord()).to.equal(null);
    expect(server.requests).to.have.length(2); // the stopped run made no call after the refused checkpoint
  });

  it('a worker that stalls (SIGSTOP) past its lock while another finishes the job cannot overwrite the newer checkpoint when it wakes', async () => {
    const stale = deferred<Reply>();
    answers = [stale.promise, Promise.resolve(textReply('Through.', { usage: { input_tokens: 300, output_tokens: 5 } }))];
    await setup({ durable: false, answers: 2 });
    const first = await startWorker({ LOCK_MS: '3000' });
    const job = await enqueueRun(queue, { program: 'gated', prompt: 'take a note', conversationId: 'c' });
    await answering[0]!.promise; // the first worker waits for its second model call
    first.child.kill('SIGSTOP');
    await startWorker({ LOCK_MS: '3000' });
    const result = await job.waitUntilFinished(events); // the second worker took the job over, from the checkpoint
    expect(result.runResult.lastMessage).to.equal('Through.');
    const newer = await storedRecord();
    expect((JSON.parse(newer!) as ConversationRecord).step).to.equal('final');

    const requests = server.requests.length;
    stale.resolve(textReply('Stale.'));
    first.child.kill('SIGCONT');
    const line = await first.line(/^error the checkpoint/);
    expect(line).to.include('no longer holds the lock of job');
    expect(await storedRecord()).to.equal(newer);
    expect(newer).not.to.include('Stale.');
    expect(server.requests).to.have.length(requests); // the stale worker stopped: no model call after its refused checkpoint
  });
});
