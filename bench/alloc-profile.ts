/**
 * Where a client allocates: V8's sampling heap profiler over one client's loop, counting the objects
 * collected since (what `--heap-prof` leaves out), summed by the nearest llmproc/package frame.
 * `node --conditions=llmproc-source --import tsx bench/alloc-profile.ts <client> [turns] [runs]`.
 */
import { Session } from 'node:inspector/promises';
import { startServerProcess } from './server-process.js';
import { clientByName } from './loops.js';
import { runPrompts } from './run-prompts.js';

const [name = 'llmproc', turnsArg = '0', runsArg = '2000'] = process.argv.slice(2);
const turns = Number(turnsArg);
const runs = Number(runsArg);
const server = await startServerProcess();
interface Node { callFrame: { functionName: string; url: string }; selfSize: number; children: Node[] }
try {
  const client = await clientByName(name, server.url, 10);
  const prompt = `turns=${turns} Please use the echo tool.`;
  const all = (count: number) => runPrompts(client, prompt, count);
  await all(runs);
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  await all(runs);
  const { profile } = (await session.post('HeapProfiler.stopSampling')) as unknown as { profile: { head: Node } };
  const calls = runs * (turns + 1);
  const byArea = new Map<string, number>();
  const byFn = new Map<string, number>();
  const area = (url: string) => /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (url.startsWith('node:') ? 'node' : /\/(lib|bench)\/(.+)$/.exec(url)?.slice(1).join('/') ?? (url || '(vm)'));
  const walk = (node: Node, owner: string, ownerFn: string) => {
    const here = node.callFrame.url ? area(node.callFrame.url) : owner;
    const fn = node.callFrame.url ? `${node.callFrame.functionName || '(anon)'} ${here}` : ownerFn;
    byArea.set(here, (byArea.get(here) ?? 0) + node.selfSize);
    byFn.set(fn, (byFn.get(fn) ?? 0) + node.selfSize);
    for (const child of node.children) walk(child, here, fn);
  };
  walk(profile.head, '(root)', '(root)');
  const total = [...byArea.values()].reduce((a, b) => a + b, 0);
  const show = (map: Map<string, number>, top: number) => [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, v]) => `${(v / calls).toFixed(0).padStart(7)} B  ${k}`).join('\n');
  console.log(`${name}: ${(total / calls / 1024).toFixed(1)} KiB allocated per API call\n${show(byArea, 15)}\n\n${show(byFn, Number(process.env.TOP ?? 40))}`);
  await client.close();
} finally {
  server.stop();
}
