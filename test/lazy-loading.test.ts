/**
 * `import('llmproc')` and `llmproc --help` load no provider SDK and no optional integration: each
 * is loaded when a program uses it (a fresh Node process, its loaded modules recorded by a module
 * hook). How fast that is goes in `npm run bench`, not here.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { expect } from 'chai';
import { cleanEnv, mainTs, root } from './cli/support.js';

const run = promisify(execFile);
const recorder = path.join(root, 'test/fixtures/module-recorder/register.mjs');

/** What must not be loaded before a program needs it. */
const LAZY_PACKAGES = [
  '@anthropic-ai/sdk',
  '@anthropic-ai/vertex-sdk',
  '@modelcontextprotocol/sdk',
  'openai',
  '@google/genai',
  'bullmq',
  'ioredis',
  '@opentelemetry/*',
  '@pydantic/genai-prices',
  '@valibot/to-json-schema',
  'smol-toml',
  'zod',
];

/** The package a module URL belongs to (`@scope/name` or `name`), or `undefined` outside node_modules. */
function packageOf(url: string): string | undefined {
  const match = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(url);
  return match?.[1];
}

/** Whether `name` is one of `patterns` (`@scope/*` matches the whole scope). */
function matches(name: string, patterns: readonly string[]): boolean {
  return patterns.some((pattern) => (pattern.endsWith('/*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

/**
 * The module URLs a fresh Node process loads running `args`: from the TypeScript sources (tsx and
 * the source condition, as mocha runs), or from the built `dist/`, as an installed package runs.
 */
async function modulesLoadedBy(args: readonly string[], from: 'sources' | 'dist' = 'sources'): Promise<string[]> {
  const folder = mkdtempSync(path.join(tmpdir(), 'llmproc-modules-'));
  const list = path.join(folder, 'modules.txt');
  const loader = from === 'sources' ? ['--import', 'tsx', '--conditions=llmproc-source'] : [];
  try {
    await run(process.execPath, [...loader, '--import', recorder, ...args], {
      cwd: root,
      env: cleanEnv({ LLMPROC_MODULE_LIST: list }),
    });
    return readFileSync(list, 'utf8').split('\n').filter(Boolean);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/** The packages a fresh Node process loads running `args`. */
async function packagesLoadedBy(args: readonly string[]): Promise<Set<string>> {
  const urls = await modulesLoadedBy(args);
  return new Set(urls.map(packageOf).filter((name): name is string => name !== undefined));
}

/** Evaluates `code` as an ES module in a fresh process. */
const moduleCode = (code: string): string[] => ['--input-type=module', '-e', code];

describe('what llmproc loads, and when', function () {
  // Two fresh Node processes with tsx on a shared machine.
  this.timeout(60_000);

  it("import('llmproc') loads no provider SDK, no MCP SDK, no price catalog and no optional integration", async () => {
    const loaded = await packagesLoadedBy(moduleCode("await import('llmproc');"));
    expect(loaded, 'the recorder saw the packages llmproc does load').to.include('valibot');
    expect([...loaded].filter((name) => matches(name, LAZY_PACKAGES))).to.deep.equal([]);
  });

  it("import('llmproc') of the built package (dist/, built by npm install) loads a few bundled files and no lazy package", async () => {
    if (!existsSync(path.join(root, 'dist/index.js'))) expect.fail('dist/ is missing: npm install (or npm run build) builds it');
    const urls = await modulesLoadedBy(moduleCode("await import('llmproc');"), 'dist');
    const ours = [...new Set(urls.filter((url) => url.startsWith(`file://${root}/dist/`)))];
    expect(ours, 'the recorder saw the entry point').to.include(`file://${root}/dist/index.js`);
    // One bundle and its shared chunks, not one file per module of lib/ (about 440 files before
    // the build bundled them): each file costs Node a resolve, a read and a compile at start-up.
    expect(ours.length, ours.join('\n')).to.be.at.most(8);
    const packages = urls.map(packageOf).filter((name): name is string => name !== undefined);
    expect(packages.filter((name) => matches(name, LAZY_PACKAGES))).to.deep.equal([]);
  });

  it('llmproc --help loads no program, process or provider module, and no package', async () => {
    const urls = await modulesLoadedBy([mainTs, '--help']);
    const ours = urls.filter((url) => url.startsWith(`file://${root}/lib/`)).map((url) => url.slice(`file://${root}/`.length));
    expect(ours, 'the recorder saw the command itself').to.include('lib/cli/main.ts');
    expect(ours.filter((file) => /^lib\/(program|process|providers)\//.test(file))).to.deep.equal([]);
    const packages = urls.map(packageOf).filter((name): name is string => name !== undefined);
    expect(packages.filter((name) => matches(name, [...LAZY_PACKAGES, 'valibot', 'eventemitter3']))).to.deep.equal([]);
  });

  it('starting an Anthropic program with MCP tools loads the Anthropic SDK, the MCP SDK and the price catalog', async () => {
    const program = path.join(root, 'examples/mcp.toml');
    const code = `
      const { LLMProgram } = await import('llmproc');
      const process = await LLMProgram.fromToml(${JSON.stringify(program)}).start({ apiKey: 'sk-ant-lazy-loading-test', baseURL: 'http://127.0.0.1:9' });
      await process.close();`;
    const loaded = await packagesLoadedBy(moduleCode(code));
    expect([...loaded].filter((name) => matches(name, LAZY_PACKAGES))).to.include.members(['@anthropic-ai/sdk', '@modelcontextprotocol/sdk', '@pydantic/genai-prices', 'smol-toml']);
  });
});
