/**
 * Stryker's JSON report (mutation-testing-report-schema) → bench/MUTATION.md: the score of each
 * folder and file, and every mutant that was not killed, with the reason when it is equivalent
 * (bench/mutate/equivalent.ts).
 *
 * @module
 */
import { EQUIVALENT, HARNESS_LIMITED, type EquivalentMutant } from './equivalent.js';

/** The part of a mutant in Stryker's JSON report that the report uses. */
export interface StrykerMutant {
  id: string;
  mutatorName: string;
  replacement?: string;
  location: { start: { line: number; column: number }; end: { line: number; column: number } };
  status: 'Killed' | 'Survived' | 'NoCoverage' | 'Timeout' | 'CompileError' | 'RuntimeError' | 'Ignored' | 'Pending';
  static?: boolean;
  statusReason?: string;
}

/** Stryker's JSON report, as far as the report reads it. */
export interface StrykerReport {
  files: Record<string, { source: string; mutants: StrykerMutant[] }>;
}

/** A run kept by `npm run mutate -- --run <name>`: Stryker's JSON report and how it was made. */
export interface KeptRun extends StrykerReport {
  /** The file name the run was kept under (set when read back). */
  name?: string;
  run: RunInfo;
}

/** How a kept run was made; `history`: the earlier runs kept under the same name, oldest first. */
export interface RunInfo {
  args: readonly string[];
  minutes: number;
  node: string;
  finished: string;
  history?: readonly RunInfo[] | undefined;
}

/**
 * `report` with only what the report reads: each file's source, and each mutant's fields of
 * {@link StrykerMutant} (Stryker's test lists, `coveredBy` and `killedBy`, are most of its size).
 */
export function compact(report: StrykerReport): StrykerReport {
  const files: StrykerReport['files'] = {};
  for (const [file, { source, mutants }] of Object.entries(report.files)) {
    files[file] = {
      source,
      mutants: mutants.map(({ id, mutatorName, replacement, location, status, static: isStatic, statusReason }) => ({
        id, mutatorName, replacement, location, status, ...(isStatic === undefined ? {} : { static: isStatic }), ...(statusReason === undefined ? {} : { statusReason }),
      })),
    };
  }
  return { files };
}

/**
 * The union of kept runs, as one report: each file's mutants come from the run that finished
 * last among those that mutated it (a folder re-run after new tests replaces its first run).
 */
export function mergeRuns(runs: readonly KeptRun[]): StrykerReport {
  const files: StrykerReport['files'] = {};
  for (const run of [...runs].sort((a, b) => a.run.finished.localeCompare(b.run.finished))) Object.assign(files, run.files);
  return { files };
}

/** The folders whose scores the report gives, in this order (a file goes to the first that holds it). */
export const FOLDERS: readonly { name: string; holds: (file: string) => boolean }[] = [
  { name: 'lib/process', holds: (file) => file.startsWith('lib/process/') },
  { name: 'lib/results + lib/callbacks', holds: (file) => file.startsWith('lib/results/') || file.startsWith('lib/callbacks/') },
  { name: 'lib/tools/builtin', holds: (file) => file.startsWith('lib/tools/builtin/') },
  { name: 'lib/providers/*/mapping.ts', holds: (file) => /^lib\/providers\/[^/]+\/mapping\.ts$/.test(file) },
];

interface Tally {
  killed: number;
  timeout: number;
  survived: number;
  noCoverage: number;
  errors: number;
  ignored: number;
}

function tally(mutants: readonly StrykerMutant[]): Tally {
  const count = (...statuses: StrykerMutant['status'][]): number => mutants.filter((m) => statuses.includes(m.status)).length;
  return {
    killed: count('Killed'),
    timeout: count('Timeout'),
    survived: count('Survived'),
    noCoverage: count('NoCoverage'),
    errors: count('CompileError', 'RuntimeError'),
    ignored: count('Ignored', 'Pending'),
  };
}

/** Stryker's mutation score: detected (killed, timed out) over valid mutants (not errors, not ignored). */
export function score(t: Tally): number | undefined {
  const valid = t.killed + t.timeout + t.survived + t.noCoverage;
  return valid === 0 ? undefined : (100 * (t.killed + t.timeout)) / valid;
}

function row(name: string, t: Tally): string {
  const s = score(t);
  return `| ${name} | ${s === undefined ? 'n/a' : `${s.toFixed(1)}%`} | ${t.killed} | ${t.timeout} | ${t.survived} | ${t.noCoverage} | ${t.errors} | ${t.ignored} |`;
}

/** The source text a mutant replaces. */
export function originalText(source: string, mutant: StrykerMutant): string {
  const lines = source.split('\n');
  const { start, end } = mutant.location;
  if (start.line === end.line) return lines[start.line - 1]!.slice(start.column - 1, end.column - 1);
  const first = lines[start.line - 1]!.slice(start.column - 1);
  const middle = lines.slice(start.line, end.line - 1);
  const last = lines[end.line - 1]!.slice(0, end.column - 1);
  return [first, ...middle, last].join('\n');
}

/** One line of code for the report: whitespace squeezed, cut when long. */
function short(text: string, limit = 90): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > limit ? `${flat.slice(0, limit - 1)}…` : flat;
}

/** The explanation of an equivalent mutant, when bench/mutate/equivalent.ts has one. */
export function equivalenceOf(file: string, source: string, mutant: StrykerMutant, known: readonly EquivalentMutant[] = EQUIVALENT): EquivalentMutant | undefined {
  const original = short(originalText(source, mutant), 10_000);
  const replacement = short(mutant.replacement ?? '', 10_000);
  return known.find(
    (entry) =>
      entry.file === file &&
      entry.mutator === mutant.mutatorName &&
      short(entry.original, 10_000) === original &&
      (entry.replacement === undefined || short(entry.replacement, 10_000) === replacement),
  );
}

/** Options of {@link renderReport}: how the run was made. */
export interface RenderOptions {
  node: string;
  minutes?: number | undefined;
  partial: boolean;
  args: readonly string[];
  /** The kept runs the report was merged from (`--merge`), each with its time. */
  runs?: readonly KeptRun[] | undefined;
}

/** The markdown report. */
export function renderReport(report: StrykerReport, options: RenderOptions): string {
  const files = Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b));
  const all = files.flatMap(([, file]) => file.mutants);
  const out: string[] = [];
  out.push('# Mutation testing');
  out.push('');
  if (options.runs) {
    const minutes = options.runs.reduce((sum, run) => sum + run.run.minutes + (run.run.history ?? []).reduce((earlier, before) => earlier + before.minutes, 0), 0);
    out.push(
      `Stryker 10.1 (mocha runner, tests under tsx, "perTest" coverage), ${all.length} mutants in ${files.length} files, ` +
        `merged from ${options.runs.length} run${options.runs.length === 1 ? "" : "s"} (\`npm run mutate -- --merge\`; for a file in several runs the last one counts) ` +
        `that took ${minutes.toFixed(0)} minutes in all on two shared cores, written ${new Date().toISOString().slice(0, 10)}:`,
    );
    out.push('', '| run | arguments | Node | minutes | finished | mutants |', '|---|---|---|---:|---|---:|');
    for (const run of [...options.runs].sort((a, b) => a.run.finished.localeCompare(b.run.finished))) {
      const mutants = Object.values(run.files).reduce((sum, file) => sum + file.mutants.length, 0);
      for (const before of run.run.history ?? []) {
        out.push(`| ${run.name ?? ''} (earlier) | \`${before.args.join(' ')}\` | ${before.node} | ${before.minutes.toFixed(1)} | ${before.finished.slice(0, 16).replace('T', ' ')} UTC | |`);
      }
      out.push(`| ${run.name ?? ''} | \`${run.run.args.join(' ')}\` | ${run.run.node} | ${run.run.minutes.toFixed(1)} | ${run.run.finished.slice(0, 16).replace('T', ' ')} UTC | ${mutants} |`);
    }
  } else out.push(
    `\`npm run mutate${options.args.length ? ` -- ${options.args.join(' ')}` : ''}\`: Stryker 10.1 (mocha runner, tests under tsx, ` +
      `"perTest" coverage) on Node ${options.node}, ${all.length} mutants in ${files.length} files` +
      `${options.minutes === undefined ? '' : `, ${options.minutes.toFixed(0)} minutes`}, written ${new Date().toISOString().slice(0, 10)}.` +
      `${options.partial ? ' **A partial run** (not the whole scope).' : ''}`,
  );
  out.push('');
  out.push('The score is Stryker\'s: killed and timed-out mutants over all valid ones (survivors and mutants no test reaches ');
  out.push('count against it; mutants that do not compile or crash at load are left out). The scope and how it runs are in ');
  out.push('stryker.config.mjs; CLI, example and soak tests are not run. *Ignored* mutants are static ones left out by ');
  out.push('`--ignoreStatic` (a mutant of code that runs when a module loads; each runs the whole suite), outside the score.');
  out.push('');
  const header = ['| | score | killed | timeout | survived | no coverage | errors | ignored |', '|---|---:|---:|---:|---:|---:|---:|---:|'];
  out.push('## Per folder', '', ...header);
  for (const folder of FOLDERS) {
    const held = files.filter(([name]) => folder.holds(name));
    const mutants = held.flatMap(([, file]) => file.mutants);
    if (mutants.length > 0) out.push(row(`${folder.name} (${held.length} file${held.length === 1 ? '' : 's'})`, tally(mutants)));
    else if (options.runs) out.push(`| ${folder.name} | not run | | | | | | |`);
  }
  out.push(row('**all**', tally(all)));
  out.push('', '## Per file', '', ...header);
  for (const [name, file] of files) out.push(row(name, tally(file.mutants)));

  out.push('', '## Mutants not killed', '');
  out.push('Each survivor (or mutant no test reaches) with its line. An *equivalent* one behaves like the original in every way a ');
  out.push('test could see; the reason is given (bench/mutate/equivalent.ts). The others are test debt.');
  let equivalent = 0;
  let harness = 0;
  let open = 0;
  for (const [name, file] of files) {
    const alive = file.mutants.filter((m) => m.status === 'Survived' || m.status === 'NoCoverage').sort((a, b) => a.location.start.line - b.location.start.line);
    if (alive.length === 0) continue;
    out.push('', `### ${name}`, '');
    for (const mutant of alive) {
      const known = equivalenceOf(name, file.source, mutant);
      const limited = known ? undefined : equivalenceOf(name, file.source, mutant, HARNESS_LIMITED);
      if (known) equivalent++;
      else if (limited) harness++;
      else open++;
      const what = `L${mutant.location.start.line} ${mutant.mutatorName}${mutant.static ? ' (static)' : ''}${mutant.status === 'NoCoverage' ? ' (no coverage)' : ''}: ` +
        `\`${short(originalText(file.source, mutant))}\` → \`${short(mutant.replacement ?? '')}\``;
      out.push(known ? `- ${what}. *Equivalent*: ${known.reason}` : limited ? `- ${what}. *Not killable under Stryker's runner*: ${limited.reason}` : `- ${what}.`);
    }
  }
  out.push('', `Of the mutants not killed, ${equivalent} are explained as equivalent, ${harness} as not killable under Stryker's runner (module state ` +
    `shared by the mutants of one worker: bench/mutate/equivalent.ts, HARNESS_LIMITED), and ${open} are test debt.`, '');
  return out.join('\n');
}
