/**
 * Fenced checkpoint writes: a worker writes a conversation's record only while it holds its job's
 * BullMQ lock. BullMQ keeps the lock at `bull:{queue}:{jobId}:lock` holding the token of the worker
 * that processes the job; a worker that stalled (paused, cut off from Redis past `lockDuration`)
 * loses it, and the job is handed to another worker with a new token. One Lua script compares the
 * token and writes the whole record with a single SET, atomically: a stale worker can never
 * overwrite the newer worker's checkpoint, and no reader ever sees a record written in part.
 *
 * @module
 */

/** The Redis command name the script is registered under on a client. */
export const FENCED_SET = 'llmprocFencedSet';

/** KEYS[1] the job's lock, KEYS[2] the record; ARGV[1] the token, ARGV[2] the record. 1: written, 0: the lock is not ours. */
const SCRIPT = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[2], ARGV[2])
return 1
`;

/** The little of BullMQ's Redis client (`IRedisClient`) the fence needs. */
export interface ScriptingClient {
  defineCommand(name: string, definition: { numberOfKeys: number; lua: string }): void;
  runCommand(name: string, args: unknown[]): Promise<unknown>;
}

const defined = new WeakSet<object>();

/** Who may write: the job's lock key and the token the worker holds it with. */
export interface CheckpointFence {
  lockKey: string;
  token: string;
}

/**
 * Writes `value` at `key` when `fence.lockKey` holds `fence.token`, in one atomic script.
 * @returns whether it was written (`false`: the lock is another worker's, or gone).
 */
export async function fencedSet(client: ScriptingClient, fence: CheckpointFence, key: string, value: string): Promise<boolean> {
  if (!defined.has(client)) {
    client.defineCommand(FENCED_SET, { numberOfKeys: 2, lua: SCRIPT });
    defined.add(client);
  }
  return (await client.runCommand(FENCED_SET, [fence.lockKey, key, fence.token, value])) === 1;
}
