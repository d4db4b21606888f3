/**
 * `npm run mutate`: mutation testing of the core with Stryker, then its scores in
 * bench/MUTATION.md. Not part of `npm test` (the whole scope takes hours on two cores).
 *
 * The npm script runs this on Node 22 (`.ci/with-node 22`; Stryker 10 refuses Node < 22). It starts
 * Stryker with stryker.config.mjs, with bench/mutate/mocha-cjs.cjs preloaded in Stryker and in
 * every process it starts (NODE_OPTIONS), then turns Stryker's JSON report into the markdown
 * report (bench/mutate/report.ts). Arguments go to Stryker: `npm run mutate -- --mutate
 * lib/process/budget.ts` mutates one file, `--incremental` reuses the results of the last run for
 * mutants whose code and tests did not change. A run over part of the scope writes its report to
 * reports/mutation/MUTATION.md, leaving bench/MUTATION.md to whole runs and merges.
 *
 * The whole scope is best run folder by folder, so that each folder's results land on their own:
 *
 * - `--run <name>` (taken out before Stryker sees the arguments) keeps the run: its JSON report,
 *   with how it was run (arguments, minutes, Node), is copied to bench/mutate/runs/<name>.json
 *   (committed, compacted to what the report reads: each file's source and its mutants' status,
 *   without the test lists), and `--incremental` then reads and writes
 *   reports/mutation/runs/<name>.incremental.json (machine-local, not committed), so
 *   the incremental results of one folder are not overwritten by the run of another. Keeping a run
 *   under a name already used replaces its results and adds the earlier run to its history.
 *   `npm run mutate -- --run results --mutate 'lib/results/*.ts,lib/callbacks/*.ts'`.
 * - `--merge [file.json ...]` runs no Stryker: it writes bench/MUTATION.md from the union of kept
 *   runs (all of bench/mutate/runs/*.json when no file is named; for a file in several runs,
 *   the run that finished last wins), with each run's time.
 * - `--report-only` rewrites the report from the last JSON report (reports/mutation/mutation.json)
 *   without running Stryker.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync, readdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compact, renderReport, mergeRuns, type StrykerReport, type KeptRun } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const jsonReport = path.join(root, 'reports/mutation/mutation.json');
/** Kept runs are committed (compacted: what the report reads), so a fresh clone can merge them. */
const runsDir = path.join(root, 'bench/mutate/runs');
/** Stryker's incremental files are large and machine-local: they stay out of the repository. */
const incrementalDir = path.join(root, 'reports/mutation/runs');

/** The value after `flag` in `args`, and `args` without the two. */
function takeOption(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at === -1) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('-')) throw new Error(`npm run mutate: ${flag} needs a value`);
  args.splice(at, 2);
  return value;
}

const args = process.argv.slice(2);
const reportOnly = args.includes('--report-only');
const merge = args.includes('--merge');
const runName = takeOption(args, '--run');
if (runName !== undefined && !/^[\w.-]+$/.test(runName)) throw new Error(`npm run mutate: --run '${runName}' must be a plain file name`);
const strykerArgs = args.filter((arg) => arg !== '--report-only' && arg !== '--merge');
const partial = strykerArgs.some((arg) => arg === '--mutate' || arg === '-m' || arg.startsWith('--mutate='));

async function runStryker(extra: readonly string[]): Promise<number> {
  const preload = path.join(here, 'mocha-cjs.cjs');
  const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
  const nodeOptions = [process.env['NODE_OPTIONS'], `--require=${preload}`].filter(Boolean).join(' ');
  const child = spawn(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs, ...extra], {
    cwd: root,
    stdio: 'inherit',
    // tsx reads its tsconfig once, from the cwd a worker starts in (the project), and applies it
    // only to the files its `include` names; the worker then moves into its sandbox
    // (.stryker-tmp/sandbox-*), whose files tsconfig.json does not include, so they would be
    // compiled without it (no "use strict": assigning to a frozen object fails silently instead
    // of throwing, and a test of that fails only under Stryker). This one includes the sandboxes.
    env: { ...process.env, NODE_OPTIONS: nodeOptions, TSX_TSCONFIG_PATH: path.join(here, 'tsconfig.sandbox.json') },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

function write(target: string, markdown: string): void {
  mkdirSync(path.dirname(target), { recursive: true });
  writeFileSync(target, markdown);
  console.log(`npm run mutate: wrote ${path.relative(root, target)}`);
}

if (merge) {
  const named = strykerArgs;
  const files = named.length > 0
    ? named.map((file) => path.resolve(file))
    : existsSync(runsDir) ? readdirSync(runsDir).filter((f) => f.endsWith('.json') && !f.endsWith('.incremental.json')).map((f) => path.join(runsDir, f)) : [];
  if (files.length === 0) throw new Error('npm run mutate --merge: no kept runs (bench/mutate/runs/*.json); run with --run <name> first');
  const runs = files.map((file) => ({ ...(JSON.parse(readFileSync(file, 'utf8')) as KeptRun), name: path.basename(file, '.json') }));
  write(path.join(root, 'bench/MUTATION.md'), renderReport(mergeRuns(runs), { node: process.version, partial: false, args: [], runs }));
  process.exit(0);
}

const started = Date.now();
if (!reportOnly) {
  const extra = runName !== undefined && strykerArgs.includes('--incremental') && !strykerArgs.includes('--incrementalFile')
    ? ['--incrementalFile', path.join(incrementalDir, `${runName}.incremental.json`)]
    : [];
  const code = await runStryker(extra);
  if (code !== 0) {
    console.error(`npm run mutate: Stryker exited with ${code}; no report written.`);
    process.exit(code);
  }
}
const minutes = reportOnly ? undefined : (Date.now() - started) / 60_000;
const report = JSON.parse(readFileSync(jsonReport, 'utf8')) as StrykerReport;
if (runName !== undefined && !reportOnly) {
  const keptFile = path.join(runsDir, `${runName}.json`);
  // A run kept under a name already used (a folder re-run after new tests) keeps the earlier runs' times.
  const earlier = existsSync(keptFile) ? (JSON.parse(readFileSync(keptFile, 'utf8')) as KeptRun).run : undefined;
  const history = earlier ? [...(earlier.history ?? []), { ...earlier, history: undefined }] : undefined;
  const kept: KeptRun = { ...compact(report), run: { args: strykerArgs, minutes: minutes!, node: process.version, finished: new Date().toISOString(), ...(history ? { history } : {}) } };
  mkdirSync(runsDir, { recursive: true });
  writeFileSync(keptFile, `${JSON.stringify(kept, null, 1)}\n`);
  console.log(`npm run mutate: kept the run as ${path.relative(root, path.join(runsDir, `${runName}.json`))}`);
}
const markdown = renderReport(report, {
  node: process.version,
  minutes,
  partial,
  args: strykerArgs,
});
write(partial ? path.join(root, 'reports/mutation/MUTATION.md') : path.join(root, 'bench/MUTATION.md'), markdown);
