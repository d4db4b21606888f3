/**
 * `npm run bench`: what llmproc costs on top of the raw Anthropic SDK, side by side with the Vercel
 * AI SDK, against the test kit's fake server in a separate process. Prints a markdown report and
 * writes it to bench/RESULTS.md. Run with --expose-gc (the npm script does).
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bench } from 'tinybench';
import { EventEmitter } from 'eventemitter3';
import { attachCallbacks, defineTool, LLMProcess, LLMProgram, priceOf, RunResult, type TokenUsage } from 'llmproc';
import { startFakeAnthropic, textReply, toolUseReply } from 'llmproc/testing';
import { ANTHROPIC_CLIENTS, OPENAI_CLIENTS, SHAPE_CLIENTS } from './loops.js';
import type { Measurement, Workload } from './client-worker.js';
import { startServerProcess } from './server-process.js';
import { fmt, median, medianAndRange, table } from './stats.js';
import * as v from 'valibot';
import { memoryAtScaleSection } from './memory.js';
import { instructionsSection } from './instructions.js';
import { queueSection } from './queue.js';
import { startUpSection } from './startup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
/** The heading of the hand-written profile notes, which a run keeps at the end of RESULTS.md. */
const PROFILE_HEADING = '## Where the CPU goes (profiles)';
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 5);
const report: string[] = [];
const out = (text = ''): void => {
  report.push(text);
  console.log(text);
};

/** A client in its own Node process: it runs a workload when asked and answers with what it measured. */
interface ClientProcess {
  name: string;
  measure(workload: Workload): Promise<Measurement>;
  close(): Promise<void>;
}

/** Starts client `name` in a fresh Node process (bench/client-worker.ts) against `url`. */
async function startClientProcess(name: string, url: string, concurrency: number): Promise<ClientProcess> {
  const child = fork(path.join(here, 'client-worker.ts'), [name, url, String(concurrency)], { execArgv: ['--expose-gc', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const next = () =>
    new Promise<unknown>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench client ${name} exited with ${code}`));
      child.once('exit', onExit);
      child.once('message', (message) => {
        child.off('exit', onExit);
        resolve(message);
      });
    });
  await next();
  return {
    name,
    measure: async (workload) => {
      const answer = next();
      child.send(workload);
      return (await answer) as Measurement;
    },
    close: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.send('close');
      await exited;
    },
  };
}

/** BENCH_SCALE shrinks (or grows) the number of runs of each workload, for a quicker look on a busy machine. */
const SCALE = Number(process.env['BENCH_SCALE'] ?? 1);
const WORKLOADS = [
  { runs: Math.round(200 * SCALE), turns: 3, concurrency: 10 },
  { runs: Math.round(2000 * SCALE), turns: 0, concurrency: 50 },
].map((w) => ({ ...w, name: `${w.runs.toLocaleString('en')} runs × ${w.turns === 0 ? '1 turn' : `${w.turns} tool turns`}, concurrency ${w.concurrency}` }));

/**
 * Runs each workload on `clients`, each client in a fresh Node process: a warm-up, then
 * REPETITIONS repetitions, each running every client once in rotating order. Returns, per
 * workload, each client's measurements by repetition.
 */
async function measureClients(url: string, clients: readonly string[]): Promise<Array<{ workload: string; results: Map<string, Measurement[]> }>> {
  const measured = [];
  for (const w of WORKLOADS) {
    const processes: ClientProcess[] = [];
    for (const name of clients) processes.push(await startClientProcess(name, url, w.concurrency));
    try {
      for (const client of processes) await client.measure(w); // warm-up: JIT and connection pools
      const results = new Map<string, Measurement[]>(clients.map((name) => [name, []]));
      for (let rep = 0; rep < REPETITIONS; rep++) {
        for (let i = 0; i < processes.length; i++) {
          const client = processes[(i + rep) % processes.length]!;
          results.get(client.name)!.push(await client.measure(w));
          process.stderr.write(`  ${w.name}: repetition ${rep + 1}/${REPETITIONS}, ${client.name} done\n`);
        }
      }
      measured.push({ workload: w.name, results });
    } finally {
      await Promise.all(processes.map((client) => client.close()));
    }
  }
  return measured;
}

/** One column of a ratio table: its heading, and `a`/`b` of `key`. */
type RatioColumn = [heading: string, a: string, b: string, key: keyof Measurement];

/** A table of paired ratios, one row per workload of `measured`, one column per `columns` entry. */
function ratioTable(measured: Awaited<ReturnType<typeof measureClients>>, columns: readonly RatioColumn[]): string {
  return table(
    ['workload', ...columns.map(([heading]) => heading)],
    measured.map(({ workload, results }) => [workload, ...columns.map(([, a, b, key]) => pairedRatio(results, a, b, key))]),
  );
}

/** `a`/`b` per repetition, as `median (min–max)`. */
function pairedRatio(results: Map<string, Measurement[]>, a: string, b: string, key: keyof Measurement): string {
  const ours = results.get(a)!;
  const theirs = results.get(b)!;
  return medianAndRange(ours.map((x, i) => x[key] / theirs[i]![key]));
}

/** The medians of each client's CPU per call and wall per run. */
function clientRows(measured: Awaited<ReturnType<typeof measureClients>>): Array<Array<string | number>> {
  return measured.flatMap(({ workload, results }) =>
    [...results].map(([name, r]) => [workload, name, fmt(median(r.map((x) => x.cpuPerCall))), fmt(median(r.map((x) => x.wallPerRun)), 2)]),
  );
}

const ROTATION = `each client in a fresh Node process of its own, the fake server in another; a warm-up, then ${REPETITIONS} repetitions, each running every client once in rotating order after a full GC. CPU is the client process's user+system time over the workload. Ratios are computed per repetition and given as median (min–max) over the repetitions`;

async function loopOverhead(url: string): Promise<void> {
  out('## 1. Loop overhead');
  out();
  out(`The same workload five ways: llmproc with processes reused across conversations (\`resetState()\`), llmproc with one process per conversation (\`program.start()\` per run, as a server uses it), the smallest hand-written \`@anthropic-ai/sdk\` loop (one client for all conversations), AI SDK 6 and AI SDK 7 (\`generateText\` with one tool and a step limit); ${ROTATION}.`);
  out();
  const measured = await measureClients(url, ANTHROPIC_CLIENTS);
  out(table(['workload', 'client', 'CPU ms / API call', 'wall ms / run'], clientRows(measured)));
  out();
  out('CPU per API call, ratios (target: llmproc/raw ≤ 1.05 both ways of use):');
  out();
  out(
    ratioTable(measured, [
      ['llmproc/raw', 'llmproc', 'raw SDK', 'cpuPerCall'],
      ['llmproc per conversation/raw', 'llmproc per conversation', 'raw SDK', 'cpuPerCall'],
      ['llmproc/AI SDK 6', 'llmproc', 'AI SDK 6', 'cpuPerCall'],
      ['llmproc/AI SDK 7', 'llmproc', 'AI SDK 7', 'cpuPerCall'],
      ['AI SDK 7/AI SDK 6', 'AI SDK 7', 'AI SDK 6', 'cpuPerCall'],
    ]),
  );
  out();
  out('Wall time per run, ratios:');
  out();
  out(
    ratioTable(measured, [
      ['llmproc/raw', 'llmproc', 'raw SDK', 'wallPerRun'],
      ['llmproc per conversation/raw', 'llmproc per conversation', 'raw SDK', 'wallPerRun'],
      ['llmproc/AI SDK 6', 'llmproc', 'AI SDK 6', 'wallPerRun'],
      ['llmproc/AI SDK 7', 'llmproc', 'AI SDK 7', 'wallPerRun'],
    ]),
  );
  out();
}

/** Where the gap to the raw loop is: llmproc with caching off, and the raw loop sending llmproc's request shape. */
async function requestShape(url: string): Promise<void> {
  out('## 1c. Request shape');
  out();
  out(`How much of llmproc's gap to the raw SDK loop is the request it sends: llmproc as in section 1 (automatic prompt caching on, the default), llmproc with \`promptCaching: false\`, the raw loop of section 1, and the raw loop sending llmproc's request shape (text and tool results as content blocks, the system prompt as a block, caching's \`cache_control\` marks); ${ROTATION}.`);
  out();
  const measured = await measureClients(url, SHAPE_CLIENTS);
  out(table(['workload', 'client', 'CPU ms / API call', 'wall ms / run'], clientRows(measured)));
  out();
  out(
    ratioTable(measured, [
      ['llmproc/raw', 'llmproc', 'raw SDK', 'cpuPerCall'],
      ['llmproc caching off/raw', 'llmproc, caching off', 'raw SDK', 'cpuPerCall'],
      ["raw in llmproc's shape/raw", "raw SDK, llmproc's request shape", 'raw SDK', 'cpuPerCall'],
      ["llmproc/raw in llmproc's shape", 'llmproc', "raw SDK, llmproc's request shape", 'cpuPerCall'],
    ]),
  );
  out();
}

/** The OpenAI loop: llmproc on the openai SDK (both ways of use) against a hand-written openai SDK loop. */
async function openAILoop(): Promise<void> {
  out('## 1b. The OpenAI loop');
  out();
  out(`llmproc on \`provider = "openai"\` (processes reused, and one per conversation) against the smallest hand-written \`openai\` SDK loop (Chat Completions) against the test kit's fake OpenAI server; ${ROTATION}.`);
  out();
  const server = await startServerProcess('openai-server.ts');
  try {
    const measured = await measureClients(server.url, OPENAI_CLIENTS);
    out(table(['workload', 'client', 'CPU ms / API call', 'wall ms / run'], clientRows(measured)));
    out();
    out(
      ratioTable(measured, [
        ['CPU llmproc/raw', 'llmproc (openai)', 'raw openai SDK', 'cpuPerCall'],
        ['CPU llmproc per conversation/raw', 'llmproc per conversation (openai)', 'raw openai SDK', 'cpuPerCall'],
        ['wall llmproc/raw', 'llmproc (openai)', 'raw openai SDK', 'wallPerRun'],
      ]),
    );
    out();
  } finally {
    server.stop();
  }
}

async function eventDispatch(): Promise<void> {
  out('## 2. Event dispatch');
  out();
  const program = new LLMProgram({ model: 'claude-haiku-4-5' });
  const llm = new LLMProcess({ program, provider: { name: 'none', complete: () => Promise.reject(new Error('unused')), describeError: () => ({ message: '' }) }, tools: [], systemPrompt: '' });
  const plain = new EventEmitter<{ response: [{ content: string }] }>();
  const payload = { content: 'hello' };
  const bench = new Bench({ time: 300 });
  for (const listeners of [0, 1, 10]) {
    const fresh = new LLMProcess({ program, provider: { name: 'none', complete: () => Promise.reject(new Error('unused')), describeError: () => ({ message: '' }) }, tools: [], systemPrompt: '' });
    const bare = new EventEmitter<{ response: [{ content: string }] }>();
    for (let i = 0; i < listeners; i++) {
      fresh.on('response', () => {});
      bare.on('response', () => {});
    }
    bench.add(`LLMProcess emit, ${listeners} listener(s)`, () => void fresh.emit('response', payload));
    bench.add(`eventemitter3 emit, ${listeners} listener(s)`, () => void bare.emit('response', payload));
  }
  const apiCall = { model: 'm', usage: {}, tokens: { inputTokens: 1, outputTokens: 1, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, stopReason: 'end_turn', id: 'msg', durationMs: 1, costUsd: 0 };
  const withResult = new LLMProcess({ program, provider: { name: 'none', complete: () => Promise.reject(new Error('unused')), describeError: () => ({ message: '' }) }, tools: [], systemPrompt: '' });
  new RunResult().listen(withResult);
  bench.add('api:call with the RunResult accumulator listening', () => void withResult.emit('api:call', apiCall));
  bench.add('api:call with no listener', () => void llm.emit('api:call', apiCall));
  const callbacks = { on_tool_start: () => {}, on_tool_end: () => {}, on_response: () => {} };
  bench.add('callbacks adapter: attach + detach (once per run)', () => attachCallbacks(llm, callbacks)());
  void plain;
  await bench.run();
  const rows = bench.tasks.map((task) => {
    const result = task.result;
    if (result.state !== 'completed') throw new Error(`benchmark ${task.name} did not complete: ${result.state}`);
    return [task.name, Math.round(result.throughput.mean).toLocaleString('en'), fmt(result.latency.mean * 1e6, 0)];
  });
  out(table(['operation', 'ops/s', 'ns/op'], rows));
  out();
}

async function parallelTools(): Promise<void> {
  out('## 4. Parallel tools');
  out();
  const server = await startFakeAnthropic();
  const tools = Array.from({ length: 5 }, (_, i) => ({
    name: `sleep${i}`,
    description: 'Takes 100 ms.',
    inputSchema: { type: 'object' },
    source: { kind: 'function' as const },
    run: () => new Promise<{ content: string; isError: boolean }>((resolve) => setTimeout(() => resolve({ content: 'ok', isError: false }), 100)),
  }));
  const llm = await new LLMProgram({ model: 'claude-haiku-4-5', tools }).start({ apiKey: 'k', baseURL: server.url });
  server.enqueue(toolUseReply(tools.map((t) => ({ name: t.name, input: {} }))), textReply('done'));
  let first = Infinity;
  let last = 0;
  llm.on('tool:start', () => (first = Math.min(first, performance.now())));
  llm.on('tool:end', () => (last = Math.max(last, performance.now())));
  await llm.run('go');
  const wall = last - first;
  out(`One turn with 5 tools of 100 ms each: ${fmt(wall, 1)} ms from the first start to the last end — ${fmt(wall / 500, 2)}× the sum (500 ms), ${fmt(wall / 100, 2)}× the longest (100 ms).`);
  out();
  await server.close();
}

/** What automatic prompt caching saves on a tool loop, against the fake server's simulated prompt cache. */
async function promptCachingCost(): Promise<void> {
  out('## 6. Prompt caching: cost per run');
  out();
  const turns = 10;
  const model = 'claude-sonnet-4-6';
  // The test kit counts a token per 4 characters: a 5,000-token system prompt, and tool results growing by 300 tokens a turn.
  const systemPrompt = 'Follow the house style guide in every answer you give. '.repeat(Math.ceil((5000 * 4) / 56));
  const page = defineTool({
    name: 'fetch_page',
    description: 'Fetches page n of the report.',
    input: v.object({ n: v.number() }),
    run: ({ n }) => `Page ${n}: ${'The quarterly figures rose again. '.repeat(Math.ceil((300 * 4 * n) / 34))}`,
  });
  const server = await startFakeAnthropic({
    promptCache: true,
    responder: (request) => {
      const done = (request.body as { messages: Array<{ role: string }> }).messages.filter((message) => message.role === 'assistant').length;
      return done < turns
        ? toolUseReply([{ name: 'fetch_page', input: { n: done + 1 }, id: `toolu_page_${done + 1}` }], { text: `Reading page ${done + 1}.`, usage: { output_tokens: 40 } })
        : textReply('The report is read.', { usage: { output_tokens: 60 } });
    },
  });
  const rows: Array<Array<string | number>> = [];
  const runs: Record<string, { usage: TokenUsage; inputCost: number; calls: number }> = {};
  try {
    for (const [name, options] of [
      ['caching off', { promptCaching: false }],
      ['caching on (5m, the default)', {}],
      ['caching on (1h TTL)', { promptCacheTtl: '1h' as const }],
    ] as const) {
      server.promptCache!.clear();
      const process = await new LLMProgram({ model, systemPrompt, tools: [page] }).start({ apiKey: 'bench-key', baseURL: server.url, maxRetries: 0 });
      const result = await process.run('Read the whole report.', { maxIterations: turns + 1, ...options });
      await process.close();
      const { usage } = result;
      const outputCost = (usage.outputTokens * priceOf(model, 'anthropic')!.output) / 1e6;
      const inputCost = result.costUsd! - outputCost;
      runs[name] = { usage, inputCost, calls: result.apiCalls };
      rows.push([
        name,
        result.apiCalls,
        usage.inputTokens.toLocaleString('en'),
        usage.cacheReadInputTokens.toLocaleString('en'),
        usage.cacheCreationInputTokens.toLocaleString('en'),
        `$${fmt(inputCost, 4)}`,
        `$${fmt(result.costUsd!, 4)}`,
      ]);
    }
  } finally {
    await server.close();
  }
  const off = runs['caching off']!;
  const on = runs['caching on (5m, the default)']!;
  const hour = runs['caching on (1h TTL)']!;
  const price = priceOf(model, 'anthropic')!;
  out(
    `One run of ${model} (catalog prices per million tokens: $${price.input} input, $${price.cacheRead} cache read, $${price.cacheWrite} / $${price.cacheWrite1h ?? 2 * price.input} cache write 5m / 1h, $${price.output} output): a ${turns}-turn tool loop (${off.calls} API calls) with a 5,000-token system prompt and tool results growing by 300 tokens a turn, against the fake server's simulated prompt cache (tokens counted as the test kit counts them, about 4 characters each).`,
  );
  out();
  out(table(['run', 'API calls', 'input tokens (uncached)', 'tokens read from cache', 'tokens written to cache', 'billed input cost', 'total cost'], rows));
  out();
  out(`Billed input cost with caching / without: **${fmt(on.inputCost / off.inputCost, 3)}×** (target ≤ 0.35×); with the 1h TTL ${fmt(hour.inputCost / off.inputCost, 3)}×. ${on.usage.cacheReadInputTokens.toLocaleString('en')} of the run's ${(on.usage.inputTokens + on.usage.cacheReadInputTokens + on.usage.cacheCreationInputTokens).toLocaleString('en')} prompt tokens were read from the cache.`);
  out();
}

const versions = (name: string): string => JSON.parse(readFileSync(path.join(root, 'node_modules', name, 'package.json'), 'utf8')).version;
const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
/** The Node majors the suite is tested on, read from package.json's engines (`^20.19.0 || … || >=24`). */
const testedNodes = [...String(pkg.engines.node).matchAll(/(?:\^|>=)(\d+)/g)].map((m) => m[1]).join(', ');
const started = performance.now();
out('# llmproc benchmarks');
out();
out(`${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} · ${os.platform()} ${os.release()} · Node ${process.version} (the suite is tested on Node ${testedNodes}) · llmproc ${pkg.version}, @anthropic-ai/sdk ${versions('@anthropic-ai/sdk')}, openai ${versions('openai')}, AI SDK 6 = ai ${versions('ai')} + @ai-sdk/anthropic ${versions('@ai-sdk/anthropic')}, AI SDK 7 = ai ${versions('ai7')} + @ai-sdk/anthropic ${versions('ai-sdk-anthropic4')} (installed as the aliases ai7 / ai-sdk-anthropic4; they declare Node ≥ 22 and run here), eventemitter3 ${versions('eventemitter3')}`);
out();
const load = (): string => os.loadavg().map((x) => fmt(x, 2)).join(', ');
out(`Load average (1, 5, 15 min) at the start: ${load()}.`);
out();
if (process.env['BENCH_ONLY'] === 'startup') {
  // BENCH_ONLY=startup npm run bench: the start-up section alone (not written to RESULTS.md).
  startUpSection(out, root, REPETITIONS * 3);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'memory') {
  // BENCH_ONLY=memory npm run bench: the memory section alone (not written to RESULTS.md).
  const only = await startServerProcess();
  await memoryAtScaleSection(out, only.url).finally(only.stop);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'queue') {
  // BENCH_ONLY=queue npm run bench: runs on BullMQ (redis-server, worker processes); its report is kept in bench/QUEUE.md.
  const only = await startServerProcess();
  await queueSection(out, only.url, here).finally(only.stop);
  writeFileSync(path.join(here, 'QUEUE.md'), `${report.join('\n')}\n`);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'instructions') {
  // BENCH_ONLY=instructions npm run bench: instructions per API call under callgrind (needs valgrind); kept in bench/INSTRUCTIONS.md.
  await instructionsSection(out, here, Number(process.env['BENCH_REPETITIONS'] ?? 2));
  writeFileSync(path.join(here, 'INSTRUCTIONS.md'), `${report.join('\n')}\n`);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'openai' || process.env['BENCH_ONLY'] === 'anthropic') {
  // A quick look at one section (not written to RESULTS.md): BENCH_ONLY=openai npm run bench.
  if (process.env['BENCH_ONLY'] === 'openai') await openAILoop();
  else {
    const only = await startServerProcess();
    await loopOverhead(only.url).finally(only.stop);
  }
  out(`Load average at the end: ${load()}.`);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'shape') {
  // BENCH_ONLY=shape npm run bench: the request-shape section alone (not written to RESULTS.md).
  const only = await startServerProcess();
  await requestShape(only.url).finally(only.stop);
  out(`Load average at the end: ${load()}.`);
  process.exit(0);
}
if (process.env['BENCH_ONLY'] === 'caching') {
  // BENCH_ONLY=caching npm run bench: the prompt caching section alone (not written to RESULTS.md).
  await promptCachingCost();
  process.exit(0);
}
const server = await startServerProcess();
try {
  await loopOverhead(server.url);
  await requestShape(server.url);
  await openAILoop();
  await eventDispatch();
  await memoryAtScaleSection(out, server.url);
} finally {
  server.stop();
}
await parallelTools();
startUpSection(out, root, REPETITIONS * 3);
await promptCachingCost();
out(`Load average (1, 5, 15 min) at the end: ${load()}.`);
out();
out(`_Total benchmark time: ${fmt((performance.now() - started) / 1000, 1)} s._`);
// The queue and instructions sections run on their own (BENCH_ONLY=queue, =instructions); their last reports are carried over.
for (const [only, file] of [['queue', 'QUEUE.md'], ['instructions', 'INSTRUCTIONS.md']] as const) {
  const kept = path.join(here, file);
  if (existsSync(kept)) report.push('', `_The last \`BENCH_ONLY=${only}\` run (bench/${file}):_`, '', ...readFileSync(kept, 'utf8').trimEnd().split('\n').slice(1));
}
// The profile notes at the end of RESULTS.md are written by hand from bench/profile.ts runs: kept as they are.
const resultsFile = path.join(here, 'RESULTS.md');
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const notes = previous.indexOf(PROFILE_HEADING);
writeFileSync(resultsFile, `${report.join('\n')}\n${notes === -1 ? '' : `\n${previous.slice(notes)}`}`);
