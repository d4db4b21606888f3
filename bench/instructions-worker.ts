/**
 * One client's measured runs under callgrind (started by bench/instructions.ts): `valgrind
 * --tool=callgrind --instr-atstart=no ... node --expose-gc --import tsx bench/instructions-worker.ts
 * CLIENT TURNS RUNS WARMUP`. Counting is off during the warm-up; after a full GC it is switched on
 * (`callgrind_control -i on`) for RUNS prompts and dumped (`-d`), so the dump holds the measured
 * runs alone. The fake server runs in a child process, which valgrind does not follow.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { clientByName } from './loops.js';
import { runPrompts } from './run-prompts.js';
import { startServerProcess } from './server-process.js';

const control = promisify(execFile);
const [name = 'llmproc', turns = '0', runs = '600', warmUp = '4000'] = process.argv.slice(2);
const server = await startServerProcess();
try {
  const client = await clientByName(name, server.url, 10);
  const prompt = `turns=${turns} Please use the echo tool.`;
  await runPrompts(client, prompt, Number(warmUp));
  (globalThis as { gc?: () => void }).gc?.();
  // Asynchronous on purpose: valgrind answers callgrind_control while this process goes on running.
  await control('callgrind_control', ['-i', 'on', String(process.pid)]);
  await runPrompts(client, prompt, Number(runs));
  await control('callgrind_control', ['-d', String(process.pid)]);
  await control('callgrind_control', ['-i', 'off', String(process.pid)]);
  await client.close();
} finally {
  server.stop();
}
