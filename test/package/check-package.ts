/**
 * `npm run check:package`: the package as users get it. It packs this checkout (`npm pack`, which
 * builds `dist/`), installs the tarball into a fresh project in a temporary folder (from npm's
 * cache first: `--prefer-offline`), and checks there that
 *
 * - `import 'llmproc'` and `import 'llmproc/testing'` type-check under `moduleResolution` node16,
 *   nodenext and bundler, with a client made by the project's own `@anthropic-ai/sdk`, and run;
 * - the README's quick start runs as pasted, offline without a key;
 * - every source map and declaration map points at files the package ships, with `sourcesContent`;
 * - the `llmproc-source` export condition resolves to a file the package ships.
 *
 * Too slow for `npm test` (a minute or so: the install dominates); `test/package/manifest.test.ts`
 * checks the manifest itself there. `--keep` leaves the temporary folder for a look.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readmeQuickStart } from '../examples/support.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
const keep = process.argv.includes('--keep');
const failures: string[] = [];

/** Runs a command, returning its stdout; throws with its output when it fails. */
function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(command, args, { cwd, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} ${args.join(' ')} failed in ${cwd}:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}

/** Records the outcome of one check. */
function check(what: string, run: () => void): void {
  const started = performance.now();
  try {
    run();
    console.log(`ok    ${what} (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  } catch (error) {
    failures.push(what);
    console.log(`FAIL  ${what}\n${(error as Error).message.replace(/^/gm, '      ')}`);
  }
}

/** A consumer's code: both entry points, a tool, a stream, and a client of the project's own SDK. */
const CONSUMER = `import Anthropic from '@anthropic-ai/sdk';
import { defineTool, jsonSchema, LLMProgram, type RunResult, type RunStreamEvent, type StartOptions } from 'llmproc';
import { startFakeAnthropic, textReply } from 'llmproc/testing';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes its text.',
  input: jsonSchema<{ text: string }>({ type: 'object', properties: { text: { type: 'string' } }, required: ['text'] }),
  run: ({ text }) => text.toUpperCase(),
});
const server = await startFakeAnthropic();
server.enqueue(textReply('Hello from the fake server.'));
const options: StartOptions = { client: new Anthropic({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 }), defaultHeaders: { 'x-tenant': 'a' } };
const llm = await new LLMProgram({ model: 'claude-haiku-4-5', tools: [echo] }).start(options);
const seen: Array<RunStreamEvent['type']> = [];
let result: RunResult | undefined;
for await (const event of llm.stream('Hello')) {
  seen.push(event.type);
  if (event.type === 'result') result = event.runResult;
}
await llm.close();
await server.close();
console.log(JSON.stringify({ seen, lastMessage: result?.lastMessage, apiCalls: result?.apiCalls }));
`;

/** tsconfig of the consumer for one module resolution. */
function tsconfigFor(resolution: 'node16' | 'nodenext' | 'bundler', emit: boolean): object {
  return {
    compilerOptions: {
      target: 'ES2022',
      module: resolution === 'bundler' ? 'esnext' : resolution,
      moduleResolution: resolution,
      strict: true,
      skipLibCheck: false,
      types: ['node'],
      ...(emit ? { outDir: 'out' } : { noEmit: true }),
    },
    files: ['consumer.ts'],
  };
}

/** Every `.map` file under `folder`. */
function mapsUnder(folder: string): string[] {
  return readdirSync(folder, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.map')).map((file) => path.join(folder, file));
}

const work = mkdtempSync(path.join(tmpdir(), 'llmproc-package-'));
const app = path.join(work, 'app');
const tsc = path.join(root, 'node_modules', '.bin', 'tsc');
const env = { ...process.env, ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '', ANTHROPIC_BASE_URL: '' };
try {
  let tarball = '';
  check('npm pack builds the package and ships dist/, lib/, LICENSE, README.md, examples/ and nothing of test/ or bench/', () => {
    const packed = JSON.parse(sh('npm', ['pack', '--pack-destination', work, '--json'], root)) as Array<{ filename: string; files: Array<{ path: string }> }>;
    tarball = path.join(work, packed[0]!.filename);
    const files = packed[0]!.files.map((file) => file.path);
    for (const needed of ['dist/index.js', 'dist/index.d.ts', 'dist/index.js.map', 'dist/testing/index.js', 'lib/index.ts', 'lib/testing/index.ts', 'LICENSE', 'README.md', 'examples/minimal.toml']) {
      if (!files.includes(needed)) throw new Error(`missing from the tarball: ${needed}`);
    }
    const stray = files.filter((file) => /^(test|bench|node_modules)\//.test(file));
    if (stray.length > 0) throw new Error(`should not be shipped: ${stray.slice(0, 5).join(', ')}`);
  });
  if (!tarball) throw new Error('no tarball, nothing more to check');

  check('the tarball installs into a fresh project (npm install --prefer-offline)', () => {
    sh('mkdir', ['-p', app], work);
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }, null, 2));
    sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball, `@types/node@${manifest.devDependencies['@types/node']}`, `@anthropic-ai/sdk@${manifest.dependencies['@anthropic-ai/sdk']}`], app);
  });
  writeFileSync(path.join(app, 'consumer.ts'), CONSUMER);

  for (const resolution of ['node16', 'nodenext', 'bundler'] as const) {
    check(`llmproc and llmproc/testing type-check with moduleResolution ${resolution} (skipLibCheck off)`, () => {
      writeFileSync(path.join(app, `tsconfig.${resolution}.json`), JSON.stringify(tsconfigFor(resolution, false), null, 2));
      sh(tsc, ['-p', `tsconfig.${resolution}.json`], app);
    });
  }

  check('the consumer, compiled, runs: a client of its own SDK, a stream, the test kit', () => {
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify(tsconfigFor('nodenext', true), null, 2));
    sh(tsc, ['-p', 'tsconfig.json'], app);
    const out = JSON.parse(sh(process.execPath, ['out/consumer.js'], app, env)) as { seen: string[]; lastMessage: string; apiCalls: number };
    if (out.lastMessage !== 'Hello from the fake server.' || out.apiCalls !== 1 || out.seen.at(-1) !== 'result' || out.seen[0] !== 'run:start') {
      throw new Error(`unexpected run: ${JSON.stringify(out)}`);
    }
  });

  check('the README quick start runs as pasted, offline without a key', () => {
    const { toml, script } = readmeQuickStart();
    writeFileSync(path.join(app, 'minimal.toml'), toml);
    writeFileSync(path.join(app, 'quickstart.mjs'), script);
    const stdout = sh(process.execPath, ['quickstart.mjs'], app, env);
    if (!stdout.includes('[offline scripted model] You said: "Hello, how are you?"') || !/Run completed in \d+ms using 1 API calls/.test(stdout)) {
      throw new Error(`unexpected output:\n${stdout}`);
    }
  });

  const installed = path.join(app, 'node_modules', 'llmproc');
  check('every source map and declaration map points at shipped files, with sourcesContent', () => {
    const maps = mapsUnder(path.join(installed, 'dist'));
    if (maps.length === 0) throw new Error('no source maps in dist/');
    for (const map of maps) {
      const { sources, sourcesContent } = JSON.parse(readFileSync(map, 'utf8')) as { sources: string[]; sourcesContent?: string[] };
      for (const source of sources) {
        const file = path.resolve(path.dirname(map), source);
        if (!existsSync(file)) throw new Error(`${path.relative(installed, map)} points at ${source}, which is not shipped`);
      }
      if (map.endsWith('.js.map') && (sourcesContent?.length !== sources.length || sourcesContent.some((content) => typeof content !== 'string'))) {
        throw new Error(`${path.relative(installed, map)} has no sourcesContent`);
      }
    }
  });

  check('the llmproc-source condition resolves to shipped TypeScript sources', () => {
    for (const specifier of ['llmproc', 'llmproc/testing']) {
      const resolved = sh(process.execPath, ['--conditions=llmproc-source', '--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], app).trim();
      const file = fileURLToPath(resolved);
      if (!file.endsWith('.ts') || !existsSync(file)) throw new Error(`${specifier} resolves to ${resolved}, which is not a shipped .ts file`);
    }
  });
} finally {
  if (keep) console.log(`left in ${work}`);
  else rmSync(work, { recursive: true, force: true });
}

if (failures.length > 0) {
  console.log(`\n${failures.length} check(s) failed.`);
  process.exitCode = 1;
} else {
  console.log('\nThe package works as installed.');
}
