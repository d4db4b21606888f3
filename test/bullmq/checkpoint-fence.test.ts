/** Checkpoint writes are fenced by the job's lock, on a real redis-server through BullMQ's client. */
import { expect } from 'chai';
import { Queue } from 'bullmq';
import { CheckpointFencedError, type ConversationRecord, conversationKey } from '../../lib/bullmq/index.js';
import { ConversationStore, type RedisCommands } from '../../lib/bullmq/conversation-store.js';
import { rejectionOf } from '../support/promises.js';
import { loadIORedis, type RedisServer, startRedis } from './support/redis.js';

const IORedis = loadIORedis();
const record = (text: string): ConversationRecord => ({ jobId: 'job-1', program: 'p', step: 'model_call', snapshot: { note: text } as never });

describe('fenced checkpoint writes (ConversationStore.save)', function () {
  this.timeout(30_000);
  let redis: RedisServer;
  let queue: Queue;
  let client: RedisCommands & { set(key: string, value: string): Promise<unknown> };
  let connection: { disconnect(): void };
  const lockKey = 'bull:q:job-1:lock';
  const key = conversationKey('q', 'c', 'checkpoint');

  beforeEach(async () => {
    redis = await startRedis();
    connection = new IORedis(redis.url, { maxRetriesPerRequest: null });
    queue = new Queue('q', { connection: connection as never });
    client = (await queue.getBackend().client) as unknown as typeof client;
  });
  afterEach(async () => {
    await queue.close();
    connection.disconnect();
    await redis.stop();
  });

  it('writes the whole record while the lock holds the token; refuses another token or no lock, leaving the record as it was', async () => {
    const store = new ConversationStore(client, 'q');
    await client.set(lockKey, 'token-a');
    await store.save('c', record('first'), { lockKey, token: 'token-a' });
    expect(await store.load('c')).to.deep.equal(record('first'));

    await client.set(lockKey, 'token-b'); // the job went to another worker
    const error = await rejectionOf(store.save('c', record('stale'), { lockKey, token: 'token-a' }));
    expect(error).to.be.instanceOf(CheckpointFencedError).and.include({ conversationId: 'c', jobId: 'job-1' });
    expect(await client.get(key)).to.equal(JSON.stringify(record('first')));

    await client.runCommand('del', [lockKey]); // the lock expired
    expect(await rejectionOf(store.save('c', record('late'), { lockKey, token: 'token-a' }))).to.be.instanceOf(CheckpointFencedError);
    expect(await store.load('c')).to.deep.equal(record('first'));
  });
});
