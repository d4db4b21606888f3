/**
 * The "memory at scale" section of `npm run bench`: the heap of 10,000 idle processes and of 1,000
 * concurrent runs (each with a tool turn) in one Node process, and whether 10,000 runs leave
 * anything behind (heap, listeners, timers, handles). The fake server runs in another process, so
 * its memory is not counted. Needs --expose-gc (the npm script passes it).
 */
import type { LLMProcess } from 'llmproc';
import { benchProgram } from './bench-program.js';
import { fmt, table } from './stats.js';

const gc = (): void => {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run with --expose-gc');
  collect();
  collect();
};

/** The heap in use after a full collection, in bytes (after pending callbacks, so that their garbage is collectable). */
async function heapAfterGc(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
  return process.memoryUsage().heapUsed;
}

/** Node's active resources (timers, sockets, ...) by type: what a leak of handles would grow. */
function activeResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}

const describeResources = (counts: Record<string, number>): string =>
  Object.entries(counts)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ') || 'none';

/** Every listener on `emitter`, all events together. */
const listenersOn = (emitter: { eventNames(): Array<string | symbol>; listenerCount(name: string | symbol): number }): number =>
  emitter.eventNames().reduce((sum, name) => sum + emitter.listenerCount(name), 0);

const KB = 1024;
const MB = 1024 * 1024;

/** Runs `runs` prompts, `concurrency` at a time, through `runOne`. */
async function runMany(runs: number, concurrency: number, runOne: (worker: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < runs) {
        next++;
        await runOne(worker);
      }
    }),
  );
}

/** What the leak check found for one way of running. */
interface LeakCheck {
  pattern: string;
  warmHeap: number;
  finalHeap: number;
  resourcesBefore: Record<string, number>;
  resourcesAfter: Record<string, number>;
  listenersBefore: number;
  listenersAfter: number;
}

/** Heap, handles and listeners after `warmup` runs and again after `runs` more. */
async function leakCheck(pattern: string, warmup: number, runs: number, concurrency: number, runOne: (worker: number) => Promise<void>, listeners: () => number): Promise<LeakCheck> {
  await runMany(warmup, concurrency, runOne);
  const warmHeap = await heapAfterGc();
  const resourcesBefore = activeResources();
  const listenersBefore = listeners();
  await runMany(runs, concurrency, runOne);
  const finalHeap = await heapAfterGc();
  return { pattern, warmHeap, finalHeap, resourcesBefore, resourcesAfter: activeResources(), listenersBefore, listenersAfter: listeners() };
}

/** Measures and writes the section through `out`; `url` is the fake server's. */
export async function memoryAtScaleSection(out: (text?: string) => void, url: string): Promise<void> {
  const options = { apiKey: 'bench-key', baseURL: url, maxRetries: 0 };
  out('## 3b. Memory at scale');
  out();
  out('One Node process, the fake server in another; heap is `heapUsed` after a full GC (`global.gc()`, twice). RSS is left out: it moves with what the allocator hands back to the OS.');
  out();

  // No leak over 10,000 runs (one tool turn each, 10 at a time): a pool of processes reused with
  // resetState(), as a server does, and a fresh process per run, closed after it.
  const WARMUP = 1000;
  const LEAK_RUNS = 10_000;
  const CONCURRENCY = 10;
  const program = benchProgram();
  const pool = await Promise.all(Array.from({ length: CONCURRENCY }, () => program.start(options)));
  const pooled = await leakCheck(
    `a pool of ${CONCURRENCY} processes, resetState() before each run`,
    WARMUP,
    LEAK_RUNS,
    CONCURRENCY,
    async (worker) => {
      const process = pool[worker]!;
      process.resetState();
      await process.run('turns=1 Please use the echo tool.', { callbacks: { on_tool_start: () => {}, on_response: () => {} } });
    },
    () => pool.reduce((sum, process) => sum + listenersOn(process), 0) + listenersOn(process),
  );
  await Promise.all(pool.map((process) => process.close()));
  const fresh = await leakCheck(
    'a fresh process per run: start(), run(), close()',
    WARMUP,
    LEAK_RUNS,
    CONCURRENCY,
    async () => {
      const llm = await program.start(options);
      try {
        await llm.run('turns=1 Please use the echo tool.');
      } finally {
        await llm.close();
      }
    },
    () => listenersOn(process),
  );
  const TOLERANCE = 1 * MB;
  const rows = [pooled, fresh].map((check) => {
    const growth = check.finalHeap - check.warmHeap;
    return [
      check.pattern,
      `${fmt(check.warmHeap / MB, 1)} MB`,
      `${fmt(check.finalHeap / MB, 1)} MB`,
      `${growth >= 0 ? '+' : ''}${fmt(growth / KB, 0)} KB (${fmt(growth / LEAK_RUNS, 1)} B/run) — ${growth <= TOLERANCE ? 'no growth beyond 1 MB' : 'GROWS beyond 1 MB'}`,
      `${check.listenersBefore} → ${check.listenersAfter}`,
      `${describeResources(check.resourcesBefore)} → ${describeResources(check.resourcesAfter)}`,
    ];
  });
  out(`Leak check: ${WARMUP.toLocaleString('en')} warm-up runs, then ${LEAK_RUNS.toLocaleString('en')} more, ${CONCURRENCY} at a time, one tool turn each. Tolerance: the heap may grow by at most 1 MB (100 bytes a run; it may shrink, as what the warm-up left is collected later); listeners and active handles must not grow.`);
  out();
  out(table(['pattern', 'heap after warm-up', 'after 10,000 more', 'growth', 'listeners (processes + Node `process`)', 'active resources (Node)'], rows));
  out();

  // 10,000 idle processes of one program, kept alive.
  // Twice: the first round warms up (JIT, and the tables that grow once to hold 10,000 processes).
  const idleProgram = benchProgram();
  const startAndClose = async (): Promise<{ base: number; idleHeap: number; afterIdle: number; startMs: number }> => {
    const base = await heapAfterGc();
    const startedAt = performance.now();
    let idle: LLMProcess[] = [];
    for (let i = 0; i < 10_000; i++) idle.push(await idleProgram.start(options));
    const startMs = (performance.now() - startedAt) / 10_000;
    const idleHeap = await heapAfterGc();
    await Promise.all(idle.map((process) => process.close()));
    idle = [];
    return { base, idleHeap, afterIdle: await heapAfterGc(), startMs };
  };
  await startAndClose();
  const { base, idleHeap, afterIdle, startMs } = await startAndClose();

  // 1,000 concurrent runs, each with one tool turn: every run's tool waits until all 1,000 are in
  // flight, so the heap is measured with 1,000 runs between their two API calls.
  const RUNS = 1000;
  let arrived = 0;
  let inFlightHeap = 0;
  let release: () => void = () => {};
  const allArrived = new Promise<void>((resolve) => (release = resolve));
  const barrierProgram = benchProgram(async (text) => {
    if (++arrived === RUNS) {
      gc();
      inFlightHeap = process.memoryUsage().heapUsed;
      release();
    }
    await allArrived;
    return text;
  });
  const burst: LLMProcess[] = [];
  for (let i = 0; i < RUNS; i++) burst.push(await barrierProgram.start(options));
  const beforeRuns = await heapAfterGc();
  const burstStarted = performance.now();
  await Promise.all(burst.map((process) => process.run('turns=1 Please use the echo tool.')));
  const burstMs = performance.now() - burstStarted;
  const afterRuns = await heapAfterGc();
  await Promise.all(burst.map((process) => process.close()));
  burst.length = 0;

  out(
    table(
      ['what', 'heap', 'per process / run'],
      [
        ['10,000 idle processes (`program.start()`, kept alive)', `${fmt((idleHeap - base) / MB, 1)} MB`, `${fmt((idleHeap - base) / 10_000 / KB, 2)} KB per process`],
        ['… after closing them (the second round of 10,000; the first warmed up)', `${afterIdle >= base ? '+' : ''}${fmt((afterIdle - base) / KB, 0)} KB over the heap before the round`, ''],
        ['1,000 runs in flight at once (all between the tool turn and the next API call)', `${fmt((inFlightHeap - beforeRuns) / MB, 1)} MB`, `${fmt((inFlightHeap - beforeRuns) / RUNS / KB, 1)} KB per run in flight`],
        ['… when all 1,000 have ended (each process keeps its 4-message conversation)', `${fmt((afterRuns - beforeRuns) / MB, 1)} MB`, `${fmt((afterRuns - beforeRuns) / RUNS / KB, 1)} KB per finished run`],
      ],
    ),
  );
  out();
  out(`Starting the 10,000 processes took ${fmt(startMs, 3)} ms each; the 1,000 concurrent runs (2 API calls each) took ${fmt(burstMs, 0)} ms in all.`);
  out();
}
