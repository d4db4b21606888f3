/**
 * Sums a `.cpuprofile` (from `node --cpu-prof`) by where the time went: self time per package or
 * llmproc file, and the top functions. `node bench/profile-summary.ts FILE.cpuprofile [top]`.
 */
import { readFileSync } from 'node:fs';

interface ProfileNode { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }
const [file, topArg = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: profile-summary FILE.cpuprofile [top]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const self = new Map<number, number>();
profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
// Idle time is not CPU: it is left out of the total.
const idle = new Set(profile.nodes.filter((node) => node.callFrame.functionName === '(idle)').map((node) => node.id));
for (const id of idle) self.delete(id);
const total = [...self.values()].reduce((a, b) => a + b, 0);

/** Where a frame's code lives: an npm package, an llmproc file, node's internals, or the VM. */
function area(url: string, name: string): string {
  if (!url) return name === '(garbage collector)' || name === '(idle)' || name === '(program)' ? name : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith("node:")) return "node internals";
  if (url.includes("/dist/")) return `llmproc dist/${url.split("/dist/")[1]}`;
  const lib = /\/(lib|bench)\/(.+)$/.exec(url);
  return lib ? `llmproc ${lib[1]}/${lib[2]}` : url;
}
const areas = new Map<string, number>();
const functions = new Map<string, number>();
for (const [id, us] of self) {
  const frame = byId.get(id)!.callFrame;
  const where = area(frame.url, frame.functionName);
  areas.set(where, (areas.get(where) ?? 0) + us);
  const fn = `${frame.functionName || '(anonymous)'} ${where}:${frame.lineNumber + 1}`;
  functions.set(fn, (functions.get(fn) ?? 0) + us);
}
const show = (map: Map<string, number>, top: number) =>
  [...map].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => `${((100 * us) / total).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(6)} ms  ${name}`).join('\n');
console.log(`total ${(total / 1000).toFixed(0)} ms\n\nby area:\n${show(areas, 20)}\n\ntop functions (self time):\n${show(functions, Number(topArg))}`);

// Inclusive time of llmproc's own functions (a function counted once per sample, with all it calls).
const parent = new Map<number, number>();
for (const node of profile.nodes as Array<ProfileNode & { children?: number[] }>) for (const child of node.children ?? []) parent.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, us] of self) {
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const frame = byId.get(at)!.callFrame;
    const where = area(frame.url, frame.functionName);
    if (!where.startsWith('llmproc lib') && !where.startsWith('llmproc dist')) continue;
    const fn = `${frame.functionName || '(anonymous)'} ${where.replace('llmproc ', '')}:${frame.lineNumber + 1}`;
    if (seen.has(fn)) continue;
    seen.add(fn);
    inclusive.set(fn, (inclusive.get(fn) ?? 0) + us);
  }
}
console.log(`\nllmproc functions, inclusive time:\n${show(inclusive, Number(topArg))}`);
