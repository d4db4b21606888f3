/**
 * The start-up section of `npm run bench`: how long a fresh Node process takes to import llmproc
 * (the built `dist/`), to answer `llmproc --help` and to start a program, side by side in the same
 * script with two baselines: an empty `node -e ""` (Node's own start) and
 * `import('@anthropic-ai/sdk')` (the SDK llmproc used to load at import). Samples are interleaved,
 * so a change of machine load hits every case alike.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { fmt, median, table } from './stats.js';

/** One way to start a fresh Node process. */
interface StartCase {
  name: string;
  args: string[];
  /** The target wall time, if there is one. */
  target?: number;
}

/** One sample: wall time from spawn to exit, and the child's own CPU time. */
interface Sample {
  wall: number;
  cpu: number;
}

const esm = (code: string): string[] => ['--input-type=module', '-e', code];

/** Spawns one fresh process running `args` in `root`; returns its wall and CPU time. */
function sample(root: string, args: readonly string[]): Sample {
  const started = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--require', path.join(root, 'bench/cpu-at-exit.cjs'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit', 'pipe'],
  });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  if (child.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${child.status}`);
  return { wall, cpu: Number(String(child.output[3]).trim()) };
}

/**
 * Measures the start-up cases in `root` (which must have a built `dist/`), `repetitions` rounds of
 * every case, and writes the section through `out`.
 */
export function startUpSection(out: (text?: string) => void, root: string, repetitions: number): void {
  const cases: StartCase[] = [
    { name: 'empty: `node -e ""`', args: ['-e', ''] },
    { name: "`import('@anthropic-ai/sdk')`", args: esm("await import('@anthropic-ai/sdk')") },
    { name: "`import('llmproc')`", args: esm("await import('llmproc')"), target: 100 },
    { name: '`llmproc --help`', args: [path.join(root, 'dist/cli/main.js'), '--help'], target: 150 },
    {
      name: '`import` + `fromToml` + `start()` of examples/calculator.toml',
      args: esm("const { LLMProgram } = await import('llmproc'); const p = await LLMProgram.fromToml('examples/calculator.toml').start({ apiKey: 'k' }); await p.close();"),
    },
  ];
  const load = os.loadavg()[0]!;
  for (const entry of cases) sample(root, entry.args); // warm-up: the file system cache
  const samples = cases.map((): Sample[] => []);
  for (let rep = 0; rep < repetitions; rep++) {
    for (let i = 0; i < cases.length; i++) {
      const index = (i + rep) % cases.length;
      samples[index]!.push(sample(root, cases[index]!.args));
    }
  }
  const empty = samples[0]!;
  const rows = cases.map((entry, i) => {
    const own = samples[i]!;
    const paired = (key: keyof Sample, f: (a: number, b: number) => number) => median(own.map((s, rep) => f(s[key], empty[rep]![key])));
    return [
      entry.name,
      fmt(median(own.map((s) => s.wall)), 1),
      fmt(median(own.map((s) => s.cpu)), 1),
      i === 0 ? '—' : fmt(paired('wall', (a, b) => a / b), 2),
      i === 0 ? '—' : fmt(paired('wall', (a, b) => a - b), 1),
      i === 0 ? '—' : fmt(paired('cpu', (a, b) => a - b), 1),
      entry.target === undefined ? '' : `< ${entry.target} ms`,
    ];
  });
  out('## 5. Start-up');
  out();
  out(
    `Fresh Node processes on the built \`dist/\`, ${repetitions} interleaved rounds of every case (load average ${fmt(load, 1)} at the start, ${fmt(os.loadavg()[0]!, 1)} at the end); medians. ` +
      'Wall is spawn to exit, CPU the child’s own user+system time; “over empty” is the median of the paired differences with the empty start of the same round. ' +
      'On a loaded machine every wall time stretches by the same factor as the empty start: read the ratio and the CPU time.',
  );
  out();
  out(table(['case', 'wall ms', 'CPU ms', 'wall / empty', 'wall over empty, ms', 'CPU over empty, ms', 'target (wall, quiet machine)'], rows));
  out();
}
