/**
 * One BullMQ worker process of the queue bench: `node --import tsx bench/queue-worker.ts` with
 * REDIS_URL, QUEUE, CONCURRENCY and the fake server in BASE_URL. Prints `ready` once it takes jobs;
 * answers each `cpu` line on stdin with its CPU time so far (user + system, ms).
 */
import { createInterface } from 'node:readline';
import { createRunWorker } from 'llmproc/bullmq';
import { loadIORedis } from '../test/bullmq/support/redis.js';
import { benchProgram } from './bench-program.js';

const env = process.env as Record<string, string>;
const IORedis = loadIORedis();
const connection = new IORedis(env['REDIS_URL']!, { maxRetriesPerRequest: null });
const worker = createRunWorker({
  connection: connection as never,
  queueName: env['QUEUE'],
  concurrency: Number(env['CONCURRENCY']),
  programs: { bench: benchProgram() },
  // The SDK's default retries: at this load a keep-alive socket the fake server closed can meet a request (a retry is rare).
  startOptions: { apiKey: 'bench-key', baseURL: env['BASE_URL'] },
});
await worker.worker.waitUntilReady();
process.stdout.write('ready\n');
createInterface({ input: process.stdin }).on('line', (line) => {
  if (line !== 'cpu') return;
  const { user, system } = process.cpuUsage();
  process.stdout.write(`${(user + system) / 1000}\n`);
});
process.on('SIGTERM', () => {
  void worker.close().then(() => connection.quit().then(() => process.exit(0)));
});
