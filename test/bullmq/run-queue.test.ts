/**
 * Issue 17: llmproc runs as BullMQ jobs on a real redis-server (started here on a free port),
 * against the fake Anthropic server. Conversations continue across jobs, progress reaches
 * QueueEvents, approvals pause and resume through the queue, and a worker process killed with
 * SIGKILL in the middle of a tool loop is replaced by another that resumes from the checkpoint.
 */
import { expect } from 'chai';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue, QueueEvents } from 'bullmq';
import { approveRun, createRunWorker, enqueueRun, type LLMProcJobData, type RunJobResult, type RunProgress } from '../../lib/bullmq/index.js';
import { checkMessagesRequest, type FakeAnthropicServer, type RecordedRequest, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { gatedProgram } from './fixtures/programs.js';
import { loadIORedis, type RedisServer, startRedis } from './support/redis.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const IORedis = loadIORedis();

type Body = { messages: Array<{ role: string; content: unknown }> };
/** The model: "loop" → note, gate, answer; "compute" → calculator (needs approval), answer; else a reply naming how many messages it saw. */
function responder(request: RecordedRequest) {
  const { messages } = withoutCaching(request.body) as Body;
  const last = messages.at(-1)!;
  const answering = Array.isArray(last.content) && (last.content as Array<{ type: string }>).some((part) => part.type === 'tool_result');
  const text = JSON.stringify(messages);
  if (text.includes('loop')) {
    if (!answering) return toolUseReply([{ name: 'note', input: { text: 'one' }, id: 'toolu_note' }], { usage: { input_tokens: 100, output_tokens: 10 } });
    if (!text.includes('toolu_gate')) return toolUseReply([{ name: 'gate', input: {}, id: 'toolu_gate' }], { usage: { input_tokens: 200, output_tokens: 10 } });
    return textReply('Through.', { usage: { input_tokens: 300, output_tokens: 5 } });
  }
  if (messages.length === 1 && text.includes('compute')) return toolUseReply([{ name: 'calculator', input: { expression: '6*7' }, id: 'toolu_calc' }]);
  if (answering) return textReply('It is 42.');
  return textReply(`I saw ${messages.length} messages.`);
}

function expectValid(server: FakeAnthropicServer): void {
  for (const request of server.requests) {
    const problem = checkMessagesRequest(request.body);
    if (problem !== undefined) throw new Error(`invalid request: ${problem}\n${JSON.stringify(request.body)}`);
  }
}

describe('llmproc/bullmq on a real Redis', function () {
  this.timeout(60_000);
  let redis: RedisServer;
  let server: FakeAnthropicServer;
  let dir: string;
  let queueName: string;
  const connections: Array<{ quit(): Promise<unknown> }> = [];
  const connect = () => {
    const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
    connections.push(connection);
    return connection as never;
  };
  let queue: Queue<LLMProcJobData, RunJobResult>;
  let events: QueueEvents;

  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    await redis?.stop();
  });
  beforeEach(async function () {
    server = await startFakeAnthropic({ responder });
    dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-bullmq-'));
    queueName = `runs-${this.currentTest!.title.length}-${Math.random().toString(36).slice(2, 8)}`;
    queue = new Queue(queueName, { connection: connect() });
    events = new QueueEvents(queueName, { connection: connect() });
    await events.waitUntilReady();
  });
  afterEach(async () => {
    await events.close();
    await queue.close();
    await Promise.all(connections.splice(0).map((connection) => connection.quit()));
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const startOptions = () => ({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });

  it('continues a conversation across jobs, runs conversations side by side, and reports progress', async () => {
    const log = path.join(dir, 'log');
    const worker = createRunWorker({ connection: connect(), queueName, concurrency: 3, programs: { gated: gatedProgram(log, 'open') }, startOptions: startOptions() });
    const progress: RunProgress[] = [];
    events.on('progress', ({ data }) => progress.push(data as RunProgress));
    try {
      const a1 = await enqueueRun(queue, { program: 'gated', prompt: 'hello', conversationId: 'a' });
      const a2 = await enqueueRun(queue, { program: 'gated', prompt: 'hello again', conversationId: 'a' });
      const b1 = await enqueueRun(queue, { program: 'gated', prompt: 'hello', conversationId: 'b', runOptions: { stream: true } });
      const [r1, r2, r3] = await Promise.all([a1.waitUntilFinished(events), a2.waitUntilFinished(events), b1.waitUntilFinished(events)]);
      expect(r1.runResult.lastMessage).to.equal('I saw 1 messages.');
      expect(r2.runResult.lastMessage).to.equal('I saw 3 messages.'); // the second prompt of "a" came after the first's answer
      expect(r3.runResult.lastMessage).to.equal('I saw 1 messages.');
      expect(r2.stopReason).to.equal('end_turn');
      expect(progress.filter((p) => p.event === 'api:call')).to.have.length(3);
      expect(progress.filter((p) => p.event === 'text').map((p) => (p as { delta: string }).delta).join('')).to.equal('I saw 1 messages.');
      expectValid(server);
      const stored = await queue.getBackend().client.then((client) => client.get(`llmproc:${queueName}:conversation:a:checkpoint`));
      expect(stored).to.be.a('string').and.not.include(SENTINEL_API_KEY);
      expect(JSON.stringify(progress) + JSON.stringify([r1, r2, r3])).not.to.include(SENTINEL_API_KEY);
    } finally {
      await worker.close();
    }
  });

  it('ends a job paused for approval with its pending calls, and approveRun() resumes it', async () => {
    const worker = createRunWorker({ connection: connect(), queueName, programs: { gated: gatedProgram(path.join(dir, 'log'), 'open') }, startOptions: startOptions() });
    try {
      const job = await enqueueRun(queue, { program: 'gated', prompt: 'compute 6*7', conversationId: 'c' });
      const paused = await job.waitUntilFinished(events);
      expect(paused.stopReason).to.equal('awaiting_approval');
      expect(paused.pendingApprovals).to.deep.equal([{ id: 'toolu_calc', toolName: 'calculator', args: { expression: '6*7' } }]);
      const resumed = await (await approveRun(queue, 'c', [{ id: 'toolu_calc', approve: true }])).waitUntilFinished(events);
      expect(resumed.stopReason).to.equal('end_turn');
      expect(resumed.runResult.lastMessage).to.equal('It is 42.');
      expect(resumed.runResult.apiCalls).to.equal(2);
      expect(resumed.runResult.toolCalls.map((call) => [call.toolName, call.decision])).to.deep.equal([['calculator', 'approved']]);
      expectValid(server);
    } finally {
      await worker.close();
    }
  });

  it('hands the job of a worker killed with SIGKILL mid tool loop to another worker process, which resumes from the checkpoint', async function () {
    this.timeout(120_000);
    const log = path.join(dir, 'log');
    writeFileSync(log, '');
    const children: ChildProcess[] = [];
    const startWorker = async (gate: 'open' | 'block'): Promise<ChildProcess> => {
      const { ANTHROPIC_API_KEY: _k, ANTHROPIC_AUTH_TOKEN: _t, ANTHROPIC_BASE_URL: _u, ...clean } = process.env;
      const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=llmproc-source', path.join(here, 'fixtures/worker.ts')], {
        cwd: root,
        env: { ...clean, REDIS_URL: redis.url, QUEUE: queueName, LOG_FILE: log, GATE: gate, ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url },
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      children.push(child);
      await new Promise<void>((resolve, reject) => {
        child.stdout!.on('data', (chunk: Buffer) => chunk.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`the worker exited (${code}) before it was ready`)));
      });
      return child;
    };
    try {
      const first = await startWorker('block');
      const atGate = new Promise<void>((resolve) =>
        events.on('progress', ({ data }) => (data as RunProgress).event === 'tool:start' && (data as { toolName: string }).toolName === 'gate' && resolve()),
      );
      const job = await enqueueRun(queue, { program: 'gated', prompt: 'loop', conversationId: 'd' });
      await atGate;
      const died = new Promise<void>((resolve) => first.once('exit', () => resolve()));
      first.kill('SIGKILL');
      await died;
      expect(server.requests).to.have.length(2);

      await startWorker('open');
      const result = await job.waitUntilFinished(events);
      expect(result.stopReason).to.equal('end_turn');
      expect(result.runResult.lastMessage).to.equal('Through.');
      expect(server.requests).to.have.length(3);
      expect(result.runResult.apiCalls).to.equal(3); // both workers' calls, each once
      expect(result.runResult.usage.inputTokens).to.equal(600);
      expect(readFileSync(log, 'utf8')).to.equal('note one\ngate\ngate\n'); // the checkpointed note ran once; the gate, cut short, twice
      expect(result.runResult.toolCalls.map((call) => call.toolName)).to.deep.equal(['note', 'gate']);
      expectValid(server);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
  });
});
