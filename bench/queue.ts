/**
 * The queue section of `npm run bench` (BENCH_ONLY=queue, not part of the default run: it starts
 * redis-server and worker processes): 1,000 runs of 3 tool turns each, queued with `enqueueRun()`
 * and carried out by 2 worker processes × concurrency 50 on BullMQ (`llmproc/bullmq`), against the
 * same 1,000 runs in one process at concurrency 100. Throughput, and CPU per API call: the workers'
 * own CPU, redis-server's (its `INFO cpu`) and the producer's.
 */
import { type ChildProcessByStdio, spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import path from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { Queue, QueueEvents } from 'bullmq';
import type { LLMProcess } from 'llmproc';
import { enqueueRun, type RunQueue } from 'llmproc/bullmq';
import { loadIORedis, startRedis } from '../test/bullmq/support/redis.js';
import { benchProgram } from './bench-program.js';
import { fmt, table } from './stats.js';

const RUNS = 1000;
const TURNS = 3;
const WORKERS = 2;
const CONCURRENCY = 50;
const API_CALLS = RUNS * (TURNS + 1);
const PROMPT = `turns=${TURNS} Please use the echo tool.`;

/** A worker process of bench/queue-worker.ts, and a way to ask its CPU time. */
interface WorkerProcess {
  child: ChildProcessByStdio<Writable, Readable, null>;
  cpu(): Promise<number>;
}

async function startWorker(here: string, env: Record<string, string>): Promise<WorkerProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, 'queue-worker.ts')], { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'inherit'] });
  const lines: Interface = createInterface({ input: child.stdout });
  const next = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const onExit = (code: number | null): void => reject(new Error(`queue worker exited with ${code}`));
      child.once('exit', onExit);
      lines.once('line', (line) => {
        child.off('exit', onExit);
        resolve(line);
      });
    });
  const ready = await next();
  if (ready !== 'ready') throw new Error(`queue worker said ${ready}`);
  return {
    child,
    async cpu() {
      const answer = next();
      child.stdin.write('cpu\n');
      return Number(await answer);
    },
  };
}

/** redis-server's CPU time so far (user + system, ms), from `INFO cpu`. */
async function redisCpu(client: { info(section: string): Promise<string> }): Promise<number> {
  const info = await client.info('cpu');
  const field = (name: string): number => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? NaN);
  return (field('used_cpu_user') + field('used_cpu_sys')) * 1000;
}

/** The same runs in this process: a pool of `concurrency` processes, resetState() before each run. */
async function inProcess(url: string, concurrency: number): Promise<{ ms: number; cpu: number }> {
  const program = benchProgram();
  const pool: LLMProcess[] = await Promise.all(Array.from({ length: concurrency }, () => program.start({ apiKey: 'bench-key', baseURL: url })));
  const drive = async (runs: number): Promise<void> => {
    let next = 0;
    await Promise.all(
      pool.map(async (llm) => {
        while (next < runs) {
          next++;
          llm.resetState();
          await llm.run(PROMPT);
        }
      }),
    );
  };
  await drive(concurrency * 2); // warm-up: JIT and connections
  const cpu = process.cpuUsage();
  const started = performance.now();
  await drive(RUNS);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  await Promise.all(pool.map((llm) => llm.close()));
  return { ms, cpu: (used.user + used.system) / 1000 };
}

/** Queues `runs` runs and resolves when every one has completed (rejects on the first failure). */
async function queueRuns(queue: RunQueue, events: QueueEvents, runs: number): Promise<void> {
  let done = 0;
  const finished = new Promise<void>((resolve, reject) => {
    const onCompleted = (): void => {
      if (++done === runs) {
        events.off('completed', onCompleted);
        events.off('failed', onFailed);
        resolve();
      }
    };
    const onFailed = ({ failedReason }: { failedReason: string }): void => reject(new Error(`a queued run failed: ${failedReason}`));
    events.on('completed', onCompleted);
    events.on('failed', onFailed);
  });
  for (let i = 0; i < runs; i++) await enqueueRun(queue, { program: 'bench', prompt: PROMPT });
  await finished;
}

/** Measures and writes the section through `out`; `url` is the fake server's, `here` the bench folder. */
export async function queueSection(out: (text?: string) => void, url: string, here: string): Promise<void> {
  const redis = await startRedis();
  const IORedis = loadIORedis();
  const connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
  const admin = new IORedis(redis.url) as unknown as { info(section: string): Promise<string>; quit(): Promise<unknown> };
  const queueName = 'bench-runs';
  const queue: RunQueue = new Queue(queueName, { connection: connection as never });
  const events = new QueueEvents(queueName, { connection: new IORedis(redis.url, { maxRetriesPerRequest: null }) as never });
  const workers: WorkerProcess[] = [];
  try {
    await events.waitUntilReady();
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(here, { REDIS_URL: redis.url, QUEUE: queueName, CONCURRENCY: String(CONCURRENCY), BASE_URL: url }));
    await queueRuns(queue, events, WORKERS * CONCURRENCY * 2); // warm-up: JIT and connections, in every worker
    const workerCpu0 = await Promise.all(workers.map((w) => w.cpu()));
    const redisCpu0 = await redisCpu(admin);
    const producer = process.cpuUsage();
    const started = performance.now();
    await queueRuns(queue, events, RUNS);
    const queuedMs = performance.now() - started;
    const producerUsage = process.cpuUsage(producer);
    const producerCpu = (producerUsage.user + producerUsage.system) / 1000;
    const workerCpu = (await Promise.all(workers.map((w) => w.cpu()))).reduce((sum, cpu, i) => sum + cpu - workerCpu0[i]!, 0);
    const redisUsed = (await redisCpu(admin)) - redisCpu0;

    const local = await inProcess(url, WORKERS * CONCURRENCY);
    const perCall = (ms: number): string => fmt(ms / API_CALLS, 3);
    out('## 6. Runs on a queue (BullMQ)');
    out();
    out(
      `${RUNS.toLocaleString('en')} runs of ${TURNS} tool turns each (${API_CALLS.toLocaleString('en')} API calls), queued with \`enqueueRun()\` (a new conversation each) and carried out by ${WORKERS} worker processes × concurrency ${CONCURRENCY} ` +
        `(\`createRunWorker()\`: each job restores or starts its conversation and checkpoints to Redis after every model call and tool batch), against the same runs in one process at concurrency ${WORKERS * CONCURRENCY} (a pool of processes, resetState() before each run). ` +
        'The fake server runs in its own process (not counted); redis-server is local. One repetition after a warm-up.',
    );
    out();
    out(
      table(
        ['how', 'wall s', 'runs / s', 'API calls / s', 'CPU ms / API call (llmproc processes)', 'CPU ms / API call (redis-server)', 'CPU ms / API call (producer)'],
        [
          [`queue: ${WORKERS} workers × ${CONCURRENCY}`, fmt(queuedMs / 1000, 1), fmt(RUNS / (queuedMs / 1000), 1), fmt(API_CALLS / (queuedMs / 1000), 0), perCall(workerCpu), perCall(redisUsed), perCall(producerCpu)],
          [`one process × ${WORKERS * CONCURRENCY}`, fmt(local.ms / 1000, 1), fmt(RUNS / (local.ms / 1000), 1), fmt(API_CALLS / (local.ms / 1000), 0), perCall(local.cpu), '—', '—'],
        ],
      ),
    );
    out();
    out(`The queue costs ${fmt(workerCpu / local.cpu, 2)}× the CPU per API call of the same runs in one process in the workers, ${fmt((workerCpu + redisUsed + producerCpu) / local.cpu, 2)}× counting redis-server and the producer.`);
    out();
  } finally {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.child.exitCode === null ? w.child.once('exit', resolve) : resolve(undefined)))));
    await events.close();
    await queue.close();
    await connection.quit();
    await admin.quit();
    await redis.stop();
  }
}
