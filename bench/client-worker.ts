/**
 * One bench client in a Node process of its own (started by bench/run.ts with an IPC channel), so
 * no client's heap, JIT or garbage is another's. Arguments: client name, server URL, concurrency.
 * Each message `{ runs, turns, concurrency }` runs that workload and answers with its CPU per API
 * call and median wall time per run; `'close'` closes the client and exits.
 */
import { clientByName, type LoopClient } from './loops.js';
import { median } from './stats.js';

/** A workload: `runs` prompts of `turns` tool turns each, `concurrency` at a time. */
export interface Workload {
  runs: number;
  turns: number;
  concurrency: number;
}

/** What one workload measured. */
export interface Measurement {
  cpuPerCall: number;
  wallPerRun: number;
}

async function measure(client: LoopClient, { runs, turns, concurrency }: Workload): Promise<Measurement> {
  const wall: number[] = [];
  let next = 0;
  // Collect the previous workload's garbage first, so a repetition does not pay for the one before.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < runs) {
        next++;
        const t0 = performance.now();
        await client.run(`turns=${turns} Please use the echo tool.`);
        wall.push(performance.now() - t0);
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { cpuPerCall: (used.user + used.system) / 1000 / (runs * (turns + 1)), wallPerRun: median(wall) };
}

const [name, url, concurrency] = process.argv.slice(2);
const client = await clientByName(name!, url!, Number(concurrency));
process.on('message', (message: Workload | 'close') => {
  if (message === 'close') {
    void client.close().then(() => process.exit(0));
    return;
  }
  void measure(client, message).then((result) => process.send!(result));
});
process.send!('ready');
