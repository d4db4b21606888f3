/**
 * Loop overhead in instructions (`BENCH_ONLY=instructions npm run bench`): each client's measured
 * runs counted by valgrind's callgrind (bench/instructions-worker.ts), which counts instructions
 * executed, not time, so what the rest of the machine does moves it little. The main thread (the
 * JavaScript, the SDK, undici, and the GC work done there) is told apart from V8's background
 * threads (the optimizing compiler and concurrent GC), which finish what the code started and
 * whose share moves with the JIT's timing more than with the code.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fmt, median, medianAndRange, table } from './stats.js';

const run = promisify(execFile);

/** The clients compared, the raw SDK loop first (the ratios' denominator). */
const CLIENTS = ['raw SDK', 'llmproc', 'llmproc per conversation'] as const;

/** A workload: prompts of `turns` tool turns; `runs` counted after `warmUp` not counted. */
interface CountedWorkload {
  label: string;
  turns: number;
  runs: number;
  warmUp: number;
}

const WORKLOADS: readonly CountedWorkload[] = [
  { label: '1 turn', turns: 0, runs: 600, warmUp: 4000 },
  { label: '3 tool turns', turns: 3, runs: 150, warmUp: 1000 },
];

/** Instructions per API call of one counted run: the main thread's (and of them, its GC's), and all threads'. */
interface Count {
  main: number;
  mainGc: number;
  all: number;
}

/**
 * V8's garbage collector, by the C++ names callgrind reports: scavenges, marking, sweeping,
 * evacuation and the visitors they use. The GC's share of a window of runs moves with where the
 * window falls between collections, so it is reported apart.
 */
const GC_FUNCTION = /Scaveng|Marking|Sweep|Heap::|heap::|Evacuat|MarkCompact|GCTracer|Compactor|MemoryAllocator|RememberedSet|SlotSet|PagedSpace|NewSpace|SemiSpace|LargeObject|MinorMC|Worklist|WorkList|BodyDescriptor|SizeFromMap/;

/** The instructions of `dump` spent in the GC's functions ({@link GC_FUNCTION}), from `callgrind_annotate`. */
async function gcInstructions(dump: string): Promise<number> {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', dump], { maxBuffer: 1 << 28 });
  let total = 0;
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \([ \d.]+%\)\s+(.*)$/.exec(line);
    if (match && !match[2]!.includes('PROGRAM TOTALS') && GC_FUNCTION.test(match[2]!)) total += Number(match[1]!.replaceAll(',', ''));
  }
  return total;
}

/** Whether valgrind (with callgrind_control) is installed. */
async function hasValgrind(): Promise<boolean> {
  try {
    await run('valgrind', ['--version']);
    await run('which', ['callgrind_control']);
    return true;
  } catch {
    return false;
  }
}

/** Counts one client's measured runs of `workload` under callgrind, one dump per thread. */
async function count(here: string, client: string, workload: CountedWorkload): Promise<Count> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'llmproc-callgrind-'));
  try {
    await run(
      'valgrind',
      [
        '--tool=callgrind',
        '--separate-threads=yes',
        '--instr-atstart=no',
        // V8 writes the code it runs: valgrind must check every write for code it has translated.
        '--smc-check=all-non-file',
        `--callgrind-out-file=${path.join(dir, 'cg.%p')}`,
        process.execPath,
        '--expose-gc',
        '--import',
        'tsx',
        path.join(here, 'instructions-worker.ts'),
        client,
        String(workload.turns),
        String(workload.runs),
        String(workload.warmUp),
      ],
      { cwd: path.resolve(here, '..'), maxBuffer: 1 << 26 },
    );
    // The dump the worker asked for is part 1, one file per thread (`cg.PID.1-TID`); thread 1 is the main thread.
    const dumps = readdirSync(dir).filter((file) => /\.1-\d+$/.test(file));
    if (dumps.length === 0) throw new Error(`callgrind wrote no dump for ${client} (files: ${readdirSync(dir).join(', ')})`);
    let main = 0;
    let mainGc = 0;
    let all = 0;
    for (const file of dumps) {
      const summary = /^summary: (\d+)$/m.exec(readFileSync(path.join(dir, file), 'utf8'));
      if (!summary) throw new Error(`callgrind's dump ${file} for ${client} has no summary line`);
      const instructions = Number(summary[1]);
      all += instructions;
      if (file.endsWith('-01')) {
        main = instructions;
        mainGc = await gcInstructions(path.join(dir, file));
      }
    }
    if (main === 0) throw new Error(`callgrind wrote no dump of the main thread for ${client} (files: ${dumps.join(', ')})`);
    const calls = workload.runs * (workload.turns + 1);
    return { main: main / calls, mainGc: mainGc / calls, all: all / calls };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs `jobs`, `limit` at a time (counts do not depend on load: both cores are used). */
async function pooled<T>(jobs: Array<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < jobs.length) {
        const i = next++;
        results[i] = await jobs[i]!();
      }
    }),
  );
  return results;
}

/** Writes the instructions section through `out`; `repetitions` counted runs of each client and workload. */
export async function instructionsSection(out: (text?: string) => void, here: string, repetitions: number): Promise<void> {
  out('## 1d. Loop overhead in instructions');
  out();
  if (!(await hasValgrind())) {
    out('Not measured: this section needs valgrind (with `callgrind_control`), which is not installed here (`apt-get install valgrind`).');
    return;
  }
  out(
    `The workloads of section 1 at concurrency 10, each client in a Node process of its own under valgrind's callgrind (\`bench/instructions-worker.ts\`), the fake server in another process that valgrind does not follow. Counting is off during a warm-up (${WORKLOADS.map((w) => `${w.warmUp} runs of ${w.label}`).join(', ')}), then on for the measured runs after a full GC. Callgrind counts instructions executed, not time, so load barely moves it: the main thread's ratios of one build land within a few percent of each other, where CPU time spreads by ±10 % on this machine; all threads' move more, as the compiler's and the concurrent GC's work depends on timing. The main thread is the JavaScript with the SDK and undici, and the GC work done there, which is also given apart (V8's collector by its C++ function names): how many collections fall in a window of runs moves it by a factor of two between counts of one build, so the main thread without GC is the steadiest figure. All threads add V8's optimizing compiler and concurrent GC. ${repetitions} counted runs of each client; ratios are paired by repetition, median (min–max).`,
  );
  out();
  const jobs: Array<() => Promise<{ workload: string; client: string; rep: number } & Count>> = [];
  for (let rep = 0; rep < repetitions; rep++) {
    for (const workload of WORKLOADS) {
      for (const client of CLIENTS) {
        jobs.push(async () => {
          const counted = await count(here, client, workload);
          console.error(`  instructions: ${workload.label}, ${client}, repetition ${rep + 1}/${repetitions} done`);
          return { workload: workload.label, client, rep, ...counted };
        });
      }
    }
  }
  const counts = await pooled(jobs, Math.max(1, Math.min(2, os.availableParallelism())));
  const of = (workload: string, client: string) => counts.filter((c) => c.workload === workload && c.client === client).sort((a, b) => a.rep - b.rep);
  const rows: Array<Array<string | number>> = [];
  const ratios: Array<Array<string | number>> = [];
  for (const workload of WORKLOADS) {
    const raw = of(workload.label, 'raw SDK');
    for (const client of CLIENTS) {
      const mine = of(workload.label, client);
      const mega = (pick: (c: Count) => number) => fmt(median(mine.map(pick)) / 1e6);
      rows.push([workload.label, client, mega((c) => c.main - c.mainGc), mega((c) => c.mainGc), mega((c) => c.main), mega((c) => c.all)]);
      if (client === 'raw SDK') continue;
      const ratio = (pick: (c: Count) => number) => medianAndRange(mine.map((c, i) => pick(c) / pick(raw[i]!)), 3);
      ratios.push([workload.label, `${client}/raw`, ratio((c) => c.main - c.mainGc), ratio((c) => c.main), ratio((c) => c.all)]);
    }
  }
  out('M instructions per API call (medians):');
  out();
  out(table(['workload', 'client', 'main thread without GC', 'main thread GC', 'main thread', 'all threads'], rows));
  out();
  out(table(['workload', 'ratio', 'main thread without GC', 'main thread', 'all threads'], ratios));
  out();
}
