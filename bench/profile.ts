/**
 * One client's loop alone, for `node --cpu-prof`: `node --conditions=llmproc-source --import tsx
 * --cpu-prof --cpu-prof-dir=/tmp/prof bench/profile.ts llmproc 3 200`. Arguments: the client
 * (a name of bench/loops.ts: `llmproc`, `'llmproc per conversation'`, `'raw SDK'`, `'llmproc (openai)'`, `'raw openai SDK'`), tool turns per
 * run, runs. The fake server runs in a child process, so the profile is the client's alone.
 * `node bench/profile-summary.ts FILE.cpuprofile` sums it by package and function.
 */
import { startServerProcess } from './server-process.js';
import { clientByName } from './loops.js';
import { runPrompts } from './run-prompts.js';

const [name = "llmproc", turnsArg = '3', runsArg = '200'] = process.argv.slice(2);
const turns = Number(turnsArg);
const runs = Number(runsArg);
const openai = name.includes('openai');
const server = await startServerProcess(openai ? 'openai-server.ts' : 'fake-server.ts');
try {
  const client = await clientByName(name, server.url, 10);
  const prompt = `turns=${turns} Please use the echo tool.`;
  const all = (count: number) => runPrompts(client, prompt, count);
  await all(runs); // warm-up
  const cpu = process.cpuUsage();
  await all(runs);
  const used = process.cpuUsage(cpu);
  console.log(`${name}: ${((used.user + used.system) / 1000 / (runs * (turns + 1))).toFixed(3)} ms CPU / API call`);
  await client.close();
} finally {
  server.stop();
}
