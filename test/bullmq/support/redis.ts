/**
 * A real `redis-server` for the BullMQ tests: started on a free port with its own temporary data
 * directory (no persistence, or every write fsynced for the crash tests), crashed and restarted on
 * the same port, stopped after. And the ioredis client BullMQ needs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** A running redis-server. */
export interface RedisServer {
  port: number;
  /** `redis://127.0.0.1:PORT`. */
  url: string;
  /** Kills the server with SIGKILL (no chance to save anything) and resolves once it is gone. */
  crash(): Promise<void>;
  /** Starts the server again on the same port and data directory; resolves once it accepts connections. */
  restart(): Promise<void>;
  /** Stops the server and removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@link startRedis}. */
export interface RedisOptions {
  /**
   * Keep the data on disk, every write fsynced before it is acknowledged (`appendonly yes`,
   * `appendfsync always`), so a crash loses nothing that was acknowledged. Default: no persistence.
   */
  durable?: boolean | undefined;
}

/** A free TCP port on 127.0.0.1. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Spawns redis-server; resolves with the child once it accepts connections. */
async function spawnRedis(port: number, dir: string, durable: boolean): Promise<ChildProcess> {
  const persistence = durable ? ['--save', '', '--appendonly', 'yes', '--appendfsync', 'always'] : ['--save', '', '--appendonly', 'no'];
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...persistence], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${output}`)));
  });
  return child;
}

/** Starts `redis-server` on a free port with its own data directory; resolves once it accepts connections. */
export async function startRedis(options: RedisOptions = {}): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-redis-'));
  const durable = options.durable === true;
  let child = await spawnRedis(port, dir, durable);
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    crash: () => end('SIGKILL'),
    async restart() {
      await end('SIGTERM');
      child = await spawnRedis(port, dir, durable);
    },
    async stop() {
      await end('SIGTERM');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

type IORedisConstructor = new (url: string, options?: Record<string, unknown>) => { quit(): Promise<unknown>; disconnect(): void };

/**
 * The ioredis constructor (a devDependency: BullMQ's ESM build cannot load it by itself, it takes a
 * client instance). Throws when it is missing: the suite fails rather than skips.
 */
export function loadIORedis(): IORedisConstructor {
  const mod = createRequire(import.meta.url)('ioredis') as IORedisConstructor & { default?: IORedisConstructor };
  return mod.default ?? mod;
}
