/**
 * `llmproc --log` and `llmproc --trace`, the command run as a child process against the fake
 * Anthropic server with a sentinel key, spans received by a local OTLP/HTTP receiver.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readRunLog } from '../../lib/observability/run-log/read-run-log.js';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { runCli } from '../cli/support.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { type OtlpReceiver, startOtlpReceiver } from './support/otlp-receiver.js';

const calculator = 'examples/calculator.toml';

describe('llmproc --log and --trace', function () {
  this.timeout(60_000);
  let server: FakeAnthropicServer;
  let receiver: OtlpReceiver;
  let dir: string;
  let online: Record<string, string>;
  beforeEach(async () => {
    server = await startFakeAnthropic();
    receiver = await startOtlpReceiver();
    dir = mkdtempSync(path.join(tmpdir(), 'llmproc-cli-observe-'));
    online = { ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url };
    server.enqueue(
      toolUseReply([{ name: 'calculator', input: { expression: '12*34' }, id: 'toolu_calc' }], { usage: { input_tokens: 30, output_tokens: 9, cache_read_input_tokens: 4 } }),
      textReply('12 × 34 = 408.'),
    );
  });
  afterEach(async () => {
    await server.close();
    await receiver.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--log appends the run to a run log that reads back', async () => {
    const log = path.join(dir, 'runs.jsonl');
    const { code, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--log', log], { env: online });
    expect(code, stderr).to.equal(0);
    const records = await readRunLog(log);
    expect(records.map((r) => r.event)).to.deep.equal(['run:start', 'api:start', 'api:call', 'tool:start', 'tool:end', 'api:start', 'api:call', 'run:end']);
    expect(records[0]!.data).to.deep.include({ input: 'What is 12*34?', program: 'Math Assistant' });
    expect(readFileSync(log, 'utf8')).not.to.include(SENTINEL_API_KEY);
  });

  it('--log to a folder that does not exist is refused with exit code 2 before anything runs', async () => {
    const log = path.join(dir, 'missing', 'runs.jsonl');
    const { code, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--log', log], { env: online });
    expect(code).to.equal(2);
    expect(stderr).to.equal(`llmproc: ${log}: cannot open the run log for appending: its folder does not exist\n`);
    expect(server.requests).to.have.length(0);
  });

  it('--trace exports the GenAI spans over OTLP/HTTP (JSON) to OTEL_EXPORTER_OTLP_ENDPOINT before it exits', async () => {
    const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--trace'], { env: { ...online, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url } });
    expect(code, stderr).to.equal(0);
    expect(stdout).to.include('408');
    expect(receiver.requests.map((r) => [r.path, r.contentType])).to.deep.include(['/v1/traces', 'application/json']);
    const spans = receiver.spans();
    expect(spans.map((span) => span.name).sort()).to.deep.equal(['chat claude-haiku-4-5', 'chat claude-haiku-4-5', 'execute_tool calculator', 'invoke_agent Math Assistant']);
    expect(new Set(spans.map((span) => span.scope))).to.deep.equal(new Set(['llmproc']));
    const agent = spans.find((span) => span.name.startsWith('invoke_agent'))!;
    expect(agent.parentSpanId).to.equal(undefined);
    for (const span of spans.filter((s) => s !== agent)) {
      expect(span.parentSpanId).to.equal(agent.spanId);
      expect(span.traceId).to.equal(agent.traceId);
    }
    expect(agent.attributes).to.deep.include({ 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'Math Assistant', 'gen_ai.provider.name': 'anthropic' });
    const chat = spans.find((span) => span.attributes['gen_ai.response.finish_reasons']?.toString() === 'tool_use')!;
    expect(chat.attributes).to.deep.include({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'claude-haiku-4-5',
      'gen_ai.request.max_tokens': 1000,
      'gen_ai.usage.input_tokens': 34,
      'gen_ai.usage.output_tokens': 9,
      'gen_ai.usage.cache_read.input_tokens': 4,
    });
    const tool = spans.find((span) => span.name === 'execute_tool calculator')!;
    expect(tool.attributes).to.deep.include({ 'gen_ai.tool.name': 'calculator', 'gen_ai.tool.call.id': 'toolu_calc', 'gen_ai.tool.type': 'function' });
    expect(tool.attributes).not.to.have.property('gen_ai.tool.call.arguments');
    expect(receiver.requests.map((r) => r.body).join('\n')).not.to.include(SENTINEL_API_KEY);
  });

  it('--trace records content when OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT=true', async () => {
    const env = { ...online, OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_INSTRUMENTATION_GENAI_CAPTURE_MESSAGE_CONTENT: 'true' };
    const { code, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--trace'], { env });
    expect(code, stderr).to.equal(0);
    const tool = receiver.spans().find((span) => span.name === 'execute_tool calculator')!;
    expect(tool.attributes).to.deep.include({ 'gen_ai.tool.call.arguments': '{"expression":"12*34"}', 'gen_ai.tool.call.result': '408' });
  });

  it('--trace with no receiver listening still runs, says the spans were not exported, and exits 0', async () => {
    const gone = receiver.url;
    await receiver.close();
    const { code, stdout, stderr } = await runCli([calculator, '-p', 'What is 12*34?', '--trace'], { env: { ...online, OTEL_EXPORTER_OTLP_ENDPOINT: gone } });
    expect(code, stderr).to.equal(0);
    expect(stdout).to.include('408');
    expect(stderr).to.match(/^llmproc: --trace: /m);
    expect(stderr).not.to.include(SENTINEL_API_KEY);
  });
});
