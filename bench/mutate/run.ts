/**
 * `npm run mutate`: mutation testing of the core with Stryker, then its scores in
 * bench/MUTATION.md. Not part of `npm test` (a whole run takes an hour or more on two cores).
 *
 * The npm script runs this on Node 22 (`.ci/with-node 22`; Stryker 10 refuses Node < 22). It starts
 * Stryker with stryker.config.mjs, with bench/mutate/mocha-cjs.cjs preloaded in Stryker and in
 * every process it starts (NODE_OPTIONS), then turns Stryker's JSON report into the markdown
 * report (bench/mutate/report.ts). Arguments go to Stryker: `npm run mutate -- --mutate
 * lib/process/budget.ts` mutates one file, `--incremental` reuses the results of the last run for
 * mutants whose code and tests did not change. A run over part of the scope writes its report to
 * reports/mutation/MUTATION.md, leaving bench/MUTATION.md to whole runs.
 *
 * `node --import tsx bench/mutate/run.ts --report-only` rewrites the report from the last JSON
 * report without running Stryker.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderReport, type StrykerReport } from './report.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const jsonReport = path.join(root, 'reports/mutation/mutation.json');

const args = process.argv.slice(2);
const reportOnly = args.includes('--report-only');
const strykerArgs = args.filter((arg) => arg !== '--report-only');
const partial = strykerArgs.some((arg) => arg === '--mutate' || arg === '-m' || arg.startsWith('--mutate='));

async function runStryker(): Promise<number> {
  const preload = path.join(here, 'mocha-cjs.cjs');
  const stryker = path.join(root, 'node_modules/@stryker-mutator/core/bin/stryker.js');
  const nodeOptions = [process.env['NODE_OPTIONS'], `--require=${preload}`].filter(Boolean).join(' ');
  const child = spawn(process.execPath, [stryker, 'run', 'stryker.config.mjs', ...strykerArgs], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_OPTIONS: nodeOptions },
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const started = Date.now();
if (!reportOnly) {
  const code = await runStryker();
  if (code !== 0) {
    console.error(`npm run mutate: Stryker exited with ${code}; no report written.`);
    process.exit(code);
  }
}
const minutes = reportOnly ? undefined : (Date.now() - started) / 60_000;
const report = JSON.parse(readFileSync(jsonReport, 'utf8')) as StrykerReport;
const markdown = renderReport(report, {
  node: process.version,
  minutes,
  partial,
  args: strykerArgs,
});
const target = partial ? path.join(root, 'reports/mutation/MUTATION.md') : path.join(root, 'bench/MUTATION.md');
mkdirSync(path.dirname(target), { recursive: true });
writeFileSync(target, markdown);
console.log(`npm run mutate: wrote ${path.relative(root, target)}`);
