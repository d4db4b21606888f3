// @ts-check
/**
 * Stryker's configuration for `npm run mutate` (bench/mutate/run.ts starts Stryker with it, on
 * Node 22 through .ci/with-node: Stryker 10 refuses older Nodes). It mutates the core (the process
 * loop, results, callbacks, builtin tools, provider mappings) and runs the mocha suite in-process,
 * TypeScript through tsx; CLI, example, soak and MCP-server tests are left out (they run code in
 * child processes, where no mutant is active, or run for long; see `ignore`).
 *
 * What each setting works around is said next to it. Pass `--mutate <glob>` to `npm run mutate`
 * to mutate one file. Start it through `npm run mutate`, not `npx stryker run` (see run.ts).
 */
/** The folders of the mutation score (bench/MUTATION.md reports each). */
export const MUTATED = [
  'lib/process/**/*.ts',
  'lib/results/**/*.ts',
  'lib/callbacks/**/*.ts',
  'lib/tools/builtin/**/*.ts',
  'lib/providers/*/mapping.ts',
];

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
const config = {
  testRunner: 'mocha',
  plugins: ['@stryker-mutator/mocha-runner'],
  mutate: MUTATED,
  mochaOptions: {
    // .mocharc.json's `node-option`s are for mocha's CLI, which Stryker does not use: the same
    // flags are in testRunnerNodeArgs. Its `require` (the secret watch) and `extension` are read.
    config: '.mocharc.json',
    spec: ['test/**/*.test.ts'],
    ignore: [
      'test/cli/**',
      'test/examples/**',
      'test/reliability/soak.test.ts',
      'test/reliability/secrets-cli.test.ts',
      // The secret watch's own test runs mocha in a child process.
      'test/support/sentinel-watch.test.ts',
      // The MCP layer (not mutated) against real server processes: seconds per test, and what
      // they check of the process loop the process tests check too.
      'test/tools/mcp/**',
      'test/reliability/mcp-servers.test.ts',
      // What a fresh process loads, recorded in child processes (no mutant is active there); one
      // of its tests reads the built dist/, which `ignorePatterns` keeps out of the sandbox.
      'test/lazy-loading.test.ts',
    ],
  },
  // bench/mutate/mocha-cjs.cjs, which lets the mocha runner find mocha 12's `.cjs` CLI files, is
  // preloaded through NODE_OPTIONS by bench/mutate/run.ts, in Stryker and in these workers.
  // run.ts also sets TSX_TSCONFIG_PATH (bench/mutate/tsconfig.sandbox.json): tsx applies a tsconfig
  // only to the files it includes, and the workers run the sandbox's copies.
  testRunnerNodeArgs: ['--import', 'tsx', '--conditions', 'llmproc-source'],
  // TypeScript 7's compiler is native and has no JS API: Stryker's tsconfig rewriting (which calls
  // `ts.parseConfigFileTextToJson`) is pointed at a file that does not exist, so it does nothing
  // (tsconfig.json has no `extends` or `references` to rewrite), and no TypeScript checker runs:
  // a mutant that does not type-check still runs under tsx, which strips types.
  tsconfigFile: 'stryker-no-tsconfig.json',
  checkers: [],
  disableTypeChecks: 'lib/**/*.ts',
  // Each mutant runs only the tests that reached it. Module state is reset per test by
  // test/support/fresh-state.ts (the price lookups), so a mutant is not hidden behind what an
  // earlier mutant's run left in a cache.
  coverageAnalysis: 'perTest',
  // Two cores, shared with other work.
  concurrency: 2,
  timeoutMS: 20_000,
  timeoutFactor: 2,
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress', 'json'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportMutants: false, reportScoreTable: true },
  tempDirName: '.stryker-tmp',
  ignorePatterns: ['dist', 'reports', '.ci/node', 'bench/RESULTS.md'],
  cleanTempDir: true,
};

export default config;
