/**
 * `npm run bench`: what llmproc costs on top of the raw Anthropic SDK, side by side with the Vercel
 * AI SDK, against the test kit's fake server in a separate process. Prints a markdown report and
 * writes it to bench/RESULTS.md. Run with --expose-gc (the npm script does).
 */
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { Bench } from 'tinybench';
import { EventEmitter } from 'eventemitter3';
import { attachCallbacks, defineTool, LLMProcess, LLMProgram, priceOf, RunResult, type TokenUsage } from 'llmproc';
import { startFakeAnthropic, textReply, toolUseReply } from 'llmproc/testing';
import * as v from 'valibot';
import { aiSdkClient, llmprocClient, rawClient, rawOpenAIClient, type LoopClient } from './loops.js';
import { fmt, median, table } from './stats.js';
import { memoryAtScaleSection } from './memory.js';
import { queueSection } from './queue.js';
import { startUpSection } from './startup.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const REPETITIONS = Number(process.env['BENCH_REPETITIONS'] ?? 7);
const report: string[] = [];
const out = (text = ''): void => {
  report.push(text);
  console.log(text);
};

/** Starts a fake server script of bench/ (default fake-server.ts) in its own process; resolves with its URL. */
async function startServerProcess(script = 'fake-server.ts'): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, script)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`fake server exited with ${code}`)));
  });
  return { url, stop: () => child.kill('SIGTERM') };
}

/** Runs `runs` prompts through `client`, `concurrency` at a time. */
async function workload(client: LoopClient, runs: number, turns: number, concurrency: number) {
  const wall: number[] = [];
  let next = 0;
  // Collect the previous workload's garbage first, so no client pays for another's.
  (globalThis as { gc?: () => void }).gc?.();
  const cpu = process.cpuUsage();
  const started = performance.now();
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
  const apiCalls = runs * (turns + 1);
  return { cpuPerCall: (used.user + used.system) / 1000 / apiCalls, wallPerRun: median(wall), totalMs: performance.now() - started };
}

async function loopOverhead(url: string): Promise<void> {
  out('## 1. Loop overhead');
  out();
  out(`The same workload three ways, ${REPETITIONS} alternating repetitions, each after a full GC; medians, and ratios paired by repetition. CPU is this process's user+system time (the fake server runs in another process).`);
  out();
  const workloads = [
    { name: '200 runs × 3 tool turns, concurrency 10', runs: 200, turns: 3, concurrency: 10 },
    { name: '2,000 runs × 1 turn, concurrency 50', runs: 2000, turns: 0, concurrency: 50 },
  ];
  const rows: Array<Array<string | number>> = [];
  const ratioRows: Array<Array<string | number>> = [];
  for (const w of workloads) {
    const clients = [await llmprocClient(url, w.concurrency), rawClient(url), aiSdkClient(url)];
    for (const client of clients) await workload(client, w.runs, w.turns, w.concurrency); // warm-up: JIT and connection pools
    const results = new Map<string, Array<{ cpuPerCall: number; wallPerRun: number }>>(clients.map((c) => [c.name, []]));
    for (let rep = 0; rep < REPETITIONS; rep++) {
      const order = clients.map((_, i) => clients[(i + rep) % clients.length]!);
      for (const client of order) results.get(client.name)!.push(await workload(client, w.runs, w.turns, w.concurrency));
    }
    for (const client of clients) {
      const r = results.get(client.name)!;
      rows.push([w.name, client.name, fmt(median(r.map((x) => x.cpuPerCall))), fmt(median(r.map((x) => x.wallPerRun)), 2)]);
    }
    const paired = (a: string, b: string, key: 'cpuPerCall' | 'wallPerRun') =>
      median(results.get(a)!.map((x, i) => x[key] / results.get(b)![i]![key]));
    ratioRows.push([w.name, fmt(paired('llmproc', 'raw SDK', 'cpuPerCall'), 2), fmt(paired('llmproc', 'AI SDK', 'cpuPerCall'), 2), fmt(paired('llmproc', 'raw SDK', 'wallPerRun'), 2), fmt(paired('llmproc', 'AI SDK', 'wallPerRun'), 2)]);
    await Promise.all(clients.map((client) => client.close()));
  }
  out(table(['workload', 'client', 'CPU ms / API call', 'wall ms / run'], rows));
  out();
  out('Ratios (median of per-repetition ratios; targets: llmproc/raw ≤ 1.10 CPU per call, llmproc/AI SDK ≤ 0.80):');
  out();
  out(table(['workload', 'CPU llmproc/raw', 'CPU llmproc/AI SDK', 'wall llmproc/raw', 'wall llmproc/AI SDK'], ratioRows));
  out();
}

/** The OpenAI loop: llmproc on the openai SDK against a hand-written openai SDK loop, CPU per API call. */
async function openAILoop(): Promise<void> {
  out('## 1b. The OpenAI loop');
  out();
  out(`llmproc on \`provider = "openai"\` against the smallest hand-written \`openai\` SDK loop (Chat Completions), the fake OpenAI server in another process; ${REPETITIONS} alternating repetitions after a full GC; ratios paired by repetition.`);
  out();
  const server = await startServerProcess('openai-server.ts');
  const rows: Array<Array<string | number>> = [];
  try {
    for (const w of [
      { name: '200 runs × 3 tool turns, concurrency 10', runs: 200, turns: 3, concurrency: 10 },
      { name: '2,000 runs × 1 turn, concurrency 50', runs: 2000, turns: 0, concurrency: 50 },
    ]) {
      const clients = [await llmprocClient(server.url, w.concurrency, 'openai'), rawOpenAIClient(server.url)];
      for (const client of clients) await workload(client, w.runs, w.turns, w.concurrency);
      const cpu = new Map<string, number[]>(clients.map((c) => [c.name, []]));
      for (let rep = 0; rep < REPETITIONS; rep++) {
        for (const client of rep % 2 === 0 ? clients : [...clients].reverse()) cpu.get(client.name)!.push((await workload(client, w.runs, w.turns, w.concurrency)).cpuPerCall);
      }
      const ours = cpu.get('llmproc')!;
      const raw = cpu.get('raw SDK')!;
      rows.push([w.name, fmt(median(ours)), fmt(median(raw)), fmt(median(ours.map((x, i) => x / raw[i]!)), 2)]);
      await Promise.all(clients.map((client) => client.close()));
    }
  } finally {
    server.stop();
  }
  out(table(['workload', 'llmproc CPU ms / call', 'raw openai SDK CPU ms / call', 'CPU llmproc/raw (target ≤ 1.10)'], rows));
  out();
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
out(`${new Date().toISOString().slice(0, 10)} · ${os.cpus()[0]?.model ?? 'unknown CPU'} × ${os.cpus().length} · ${os.platform()} ${os.release()} · Node ${process.version} (the suite is tested on Node ${testedNodes}) · llmproc ${pkg.version}, @anthropic-ai/sdk ${versions('@anthropic-ai/sdk')}, openai ${versions('openai')}, ai ${versions('ai')}, @ai-sdk/anthropic ${versions('@ai-sdk/anthropic')}, eventemitter3 ${versions('eventemitter3')}`);
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
if (process.env['BENCH_ONLY'] === 'openai') {
  // A quick look at one section (not written to RESULTS.md): BENCH_ONLY=openai npm run bench.
  await openAILoop();
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
  await openAILoop();
  await eventDispatch();
  await memoryAtScaleSection(out, server.url);
} finally {
  server.stop();
}
await parallelTools();
startUpSection(out, root, REPETITIONS * 3);
await promptCachingCost();
out(`_Total benchmark time: ${fmt((performance.now() - started) / 1000, 1)} s._`);
// The queue section runs on its own (BENCH_ONLY=queue); its last report is carried over.
const queueReport = path.join(here, 'QUEUE.md');
if (existsSync(queueReport)) report.push('', `_The last \`BENCH_ONLY=queue\` run (bench/QUEUE.md):_`, '', ...readFileSync(queueReport, 'utf8').trimEnd().split('\n').slice(1));
writeFileSync(path.join(here, 'RESULTS.md'), `${report.join('\n')}\n`);
