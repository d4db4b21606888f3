import { expect } from 'chai';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const forbid = path.join(root, 'test/observability/fixtures/forbid-otel.mjs');

/** Runs `node --import tsx --import forbid-otel.mjs <args>` in the repository; its exit code and output. */
function node(args: readonly string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--import', forbid, '--conditions=llmproc-source', ...args], {
    cwd: root,
    env: { ...process.env, ANTHROPIC_API_KEY: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out })));
}

const script = (body: string): string[] => ['--input-type=module', '-e', body];

describe('tracing costs nothing until it is turned on', function () {
  this.timeout(60_000);

  it('import("llmproc") loads no OpenTelemetry package from llmproc’s own modules', async () => {
    const { code, out } = await node(script("const llmproc = await import('llmproc'); console.log('loaded', typeof llmproc.writeRunLog);"));
    expect(out).to.include('loaded function');
    expect(code, out).to.equal(0);
  });

  it('the command without --trace loads none either', async () => {
    const { code, out } = await node([path.join(root, 'lib/cli/main.ts'), 'examples/calculator.toml', '-p', 'What is 2+3?', '--offline']);
    expect(code, out).to.equal(0);
    expect(out).to.include('The calculator says 5.');
  });

  it('import("llmproc/otel") does load @opentelemetry/api (so the two tests above can fail)', async () => {
    const { code, out } = await node(script("await import('llmproc/otel');"));
    expect(code).to.not.equal(0);
    expect(out).to.match(/forbidden: lib\/observability\/tracing\/\S+ imports @opentelemetry\/api/);
  });
});
