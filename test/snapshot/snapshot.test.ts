/**
 * process.snapshot() and LLMProgram.restore() (issue 16, R25): a versioned, JSON-serializable
 * snapshot holding the program (TOML file or definition, with a fingerprint), the system prompt as
 * sent, the conversation and the unfinished run; no secret in it; restored, the process continues
 * exactly there; a snapshot that is corrupted, newer or of another program is refused by key path.
 */
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import sinon from 'sinon';
import { SnapshotError } from '../../lib/errors.js';
import type { LLMProcess } from '../../lib/process/llm-process.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { type FakeAnthropicServer, startFakeAnthropic, textReply, toolUseReply, withoutCaching } from '../../lib/testing/index.js';
import type { ToolContext, ToolResult } from '../../lib/tools/tool.js';
import { echoMcpProgram, expectValidHistory } from '../reliability/support.js';
import { SENTINEL_API_KEY } from '../support/setup.js';
import { rejectionOf } from '../support/promises.js';
import { stubTool } from '../support/tools.js';
import { APPROVAL_TOML, tempDir, throughJson } from './support.js';

describe('snapshots', () => {
  let server: FakeAnthropicServer;
  let dir: ReturnType<typeof tempDir>;
  const processes: LLMProcess[] = [];
  const startOptions = () => ({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
  const track = (process: LLMProcess): LLMProcess => (processes.push(process), process);

  beforeEach(async () => {
    server = await startFakeAnthropic();
    dir = tempDir();
  });
  afterEach(async () => {
    sinon.restore();
    await Promise.all(processes.splice(0).map((process) => process.close()));
    await server.close();
    dir.remove();
  });

  const lookup = () => {
    const run = sinon.spy(async (input: Record<string, unknown>, _context: ToolContext): Promise<ToolResult> => ({ content: `found ${String(input['value'])}`, isError: false }));
    return { tool: stubTool('lookup', run), run };
  };

  describe('process.snapshot()', () => {
    it('is versioned plain data: the program definition and fingerprint, the system prompt as sent, the conversation', async () => {
      const notes = dir.write('notes.md', 'Remember the milk.');
      const program = new LLMProgram({ model: 'claude-test', systemPrompt: 'Be brief.', preload: [notes], tools: ['calculator', lookup().tool] });
      const process = track(await program.start(startOptions()));
      server.enqueue(textReply('Noted.'));
      await process.run('hello');
      const snapshot = process.snapshot();
      expect(snapshot).to.include({ version: 1, kind: 'llmproc.snapshot' });
      expect(snapshot.program.source).to.equal('code');
      expect(snapshot.program.fingerprint).to.match(/^sha256:[0-9a-f]{64}$/);
      expect(snapshot.program.definition).to.deep.include({ model: 'claude-test', builtinTools: ['calculator'], preloadFiles: [notes] });
      expect(snapshot.program.definition.functionTools.map((tool) => tool.name)).to.deep.equal(['lookup']);
      expect(snapshot.systemPrompt).to.equal(process.systemPrompt).and.include('Remember the milk.');
      expect(snapshot.messages).to.deep.equal(process.getState());
      expect(snapshot.run).to.equal(undefined);
      expect(throughJson(snapshot)).to.deep.equal(JSON.parse(JSON.stringify(snapshot)));
      snapshot.messages.length = 0;
      expect(process.getState(), 'a copy').to.have.length(2);
    });

    it('holds no secret: neither the API key nor anything of a client given to start()', async () => {
      const program = LLMProgram.fromToml(dir.write('p.toml', APPROVAL_TOML));
      const client = new Anthropic({ apiKey: SENTINEL_API_KEY, baseURL: server.url, maxRetries: 0 });
      for (const process of [track(await program.start(startOptions())), track(await program.start({ client }))]) {
        server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '1+1' }, id: 'toolu_c' }]));
        await process.run('1+1?');
        const text = JSON.stringify(process.snapshot());
        expect(text).not.to.include(SENTINEL_API_KEY);
        expect(text).not.to.include('apiKey');
        expect(text).not.to.include(server.url);
      }
    });

    it('of a TOML program records its file, absolute', async () => {
      const file = dir.write('p.toml', APPROVAL_TOML);
      const process = track(await LLMProgram.fromToml(file).start(startOptions()));
      const snapshot = process.snapshot();
      expect(snapshot.program).to.deep.include({ source: 'toml', file });
    });
  });

  describe('LLMProgram.restore()', () => {
    it('continues an idle conversation with the system prompt as it was sent, even when a preloaded file changed since', async () => {
      const notes = dir.write('notes.md', 'Version one.');
      const program = new LLMProgram({ model: 'claude-test', preload: [notes] });
      const first = track(await program.start(startOptions()));
      server.enqueue(textReply('One.'), textReply('Two.'));
      await first.run('first');
      const snapshot = throughJson(first.snapshot());
      writeFileSync(notes, 'Version two.');
      const restored = track(await LLMProgram.restore(snapshot, startOptions()));
      await restored.run('second');
      const body = withoutCaching(server.requests[1]!.body) as { system: string; messages: unknown[] };
      expect(body.system).to.include('Version one.').and.not.include('Version two.');
      expect(body.messages).to.have.length(3);
      expect(restored.getLastMessage()).to.equal('Two.');
    });

    it("keeps a program's run log: a restored program built in code appends its runs to the same file", async () => {
      const log = `${dir.dir}/runs.jsonl`;
      const program = new LLMProgram({ model: 'claude-test', log: { file: log } });
      const first = track(await program.start(startOptions()));
      server.enqueue(textReply('One.'), textReply('Two.'));
      await first.run('first');
      const restored = track(await LLMProgram.restore(throughJson(first.snapshot()), startOptions()));
      expect(restored.program.log).to.deep.equal({ file: log });
      await restored.run('second');
      const inputs = readFileSync(log, 'utf8').trim().split('\n').map((line) => JSON.parse(line)).filter((record) => record.event === 'run:start').map((record) => record.data.input);
      expect(inputs).to.deep.equal(['first', 'second']);
    });

    it('accepts the snapshot as JSON text too', async () => {
      const process = track(await new LLMProgram({ model: 'claude-test' }).start(startOptions()));
      const restored = track(await LLMProgram.restore(JSON.stringify(process.snapshot()), startOptions()));
      expect(restored.model).to.equal('claude-test');
    });

    it('restores a run paused for approval: approve, resume, and the RunResult has the calls before the pause too', async () => {
      const file = dir.write('p.toml', APPROVAL_TOML);
      const first = track(await LLMProgram.fromToml(file).start(startOptions()));
      server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '12*34' }, id: 'toolu_calc' }], { usage: { input_tokens: 100, output_tokens: 10 } }));
      await first.run('What is 12*34?');
      const restored = track(await LLMProgram.restore(throughJson(first.snapshot()), startOptions()));
      expect(restored.pendingApprovals).to.deep.equal([{ id: 'toolu_calc', toolName: 'calculator', args: { expression: '12*34' } }]);
      expect(await rejectionOf(restored.run('other'))).to.have.property('name', 'UnfinishedRunError');
      restored.approve('toolu_calc');
      server.enqueue(textReply('408.', { usage: { input_tokens: 120, output_tokens: 2 } }));
      const result = await restored.resume();
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2, lastMessage: '408.' });
      expect(result.usage).to.deep.include({ inputTokens: 220, outputTokens: 12 });
      expect(result.toolCalls.map((call) => [call.toolName, call.decision])).to.deep.equal([['calculator', 'approved']]);
      expectValidHistory(restored);
    });

    it('a paused run keeps its prompt caching settings through a snapshot: off stays off, a 1h TTL stays 1h', async () => {
      const file = dir.write('p.toml', APPROVAL_TOML);
      for (const options of [{ promptCaching: false }, { promptCacheTtl: '1h' as const }]) {
        const first = track(await LLMProgram.fromToml(file).start(startOptions()));
        server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '1+1' }, id: 'toolu_calc' }]));
        await first.run('1+1?', options);
        const snapshot = throughJson(first.snapshot());
        expect(first.snapshot().run?.state.options).to.deep.include(options);
        const restored = track(await LLMProgram.restore(snapshot, startOptions()));
        restored.approve('toolu_calc');
        server.enqueue(textReply('2.'));
        await restored.resume();
        const sent = JSON.stringify(server.requests.at(-1)!.body);
        if (options.promptCaching === false) expect(sent).not.to.include('cache_control');
        else expect(sent).to.include('"ttl":"1h"');
      }
    });

    it('continues a run from a checkpoint taken after a model call whose tools had not run: they run (at least once), with their toolUseId', async () => {
      const { tool, run } = lookup();
      const program = new LLMProgram({ model: 'claude-test', tools: [tool] });
      const first = track(await program.start(startOptions()));
      const snapshots: unknown[] = [];
      first.on('checkpoint', ({ step, snapshot }) => {
        if (step === 'model_call' && snapshots.length === 0) snapshots.push(throughJson(snapshot));
      });
      server.enqueue(toolUseReply([{ name: 'lookup', input: { value: 'x' }, id: 'toolu_look' }]), textReply('Found it.'));
      await first.run('look it up');
      expect(run.callCount).to.equal(1);

      const restored = track(await LLMProgram.restore(snapshots[0], { ...startOptions(), tools: [tool] }));
      const refused = await rejectionOf(restored.run('something else'));
      expect(refused).to.have.property('name', 'UnfinishedRunError');
      expect(refused).to.have.deep.property('pendingApprovals', []);
      server.enqueue(textReply('Found it.'));
      const result = await restored.resume();
      expect(run.callCount, 'the call in flight ran again').to.equal(2);
      expect(run.secondCall.args[1]).to.deep.include({ toolUseId: 'toolu_look' });
      expect(result).to.include({ stopReason: 'end_turn', apiCalls: 2 });
      expect(restored.getState()).to.deep.equal(first.getState());
      expect(server.requests[2]!.body).to.deep.equal(server.requests[1]!.body);
    });

    it('starts the MCP servers again', async () => {
      const mcp = echoMcpProgram(['echo']);
      try {
        const first = track(await mcp.program.start(startOptions()));
        const restored = track(await LLMProgram.restore(throughJson(first.snapshot()), startOptions()));
        expect(restored.tools.map((tool) => tool.name)).to.deep.equal(['echo__echo']);
        server.enqueue(toolUseReply([{ name: 'echo__echo', input: { text: 'hi' }, id: 'toolu_e' }]), textReply('done'));
        await restored.run('echo hi');
        expect(JSON.stringify((withoutCaching(server.requests[1]!.body) as { messages: unknown[] }).messages.at(-1))).to.include('hi');
      } finally {
        mcp.remove();
      }
    });

    it('needs the function tools and hooks again, refusing clearly when one is missing or not the same', async () => {
      const { tool } = lookup();
      const beforeToolCall = () => undefined;
      const program = new LLMProgram({ model: 'claude-test', tools: [tool], hooks: { beforeToolCall } });
      const snapshot = throughJson(track(await program.start(startOptions())).snapshot());

      const noTool = (await rejectionOf(LLMProgram.restore(snapshot, { ...startOptions(), hooks: { beforeToolCall } }))) as SnapshotError;
      expect(noTool).to.be.instanceOf(SnapshotError);
      expect(noTool.keyPath).to.equal('program.definition.functionTools[0]');
      expect(noTool.message).to.include('LLMProgram.restore(snapshot, { tools: [lookup] })');

      const otherTool = { ...tool, description: 'Something else.' };
      const changed = (await rejectionOf(LLMProgram.restore(snapshot, { ...startOptions(), tools: [otherTool], hooks: { beforeToolCall } }))) as SnapshotError;
      expect(changed.keyPath).to.equal('program.definition.functionTools[0].description');

      const noHook = (await rejectionOf(LLMProgram.restore(snapshot, { ...startOptions(), tools: [tool] }))) as SnapshotError;
      expect(noHook).to.be.instanceOf(SnapshotError);
      expect(noHook.keyPath).to.equal('hooks.beforeToolCall');

      const restored = track(await LLMProgram.restore(snapshot, { ...startOptions(), tools: [tool], hooks: { beforeToolCall } }));
      expect(restored.tools.map((spec) => spec.name)).to.deep.equal(['lookup']);
    });

    it('restores a TOML program with function tools added in code, and linked programs built in code', async () => {
      const { tool } = lookup();
      const expert = new LLMProgram({ model: 'claude-expert', systemPrompt: 'An expert.', tools: ['calculator'] });
      const fromToml = LLMProgram.fromToml(dir.write('p.toml', APPROVAL_TOML)).addTool(tool);
      const inCode = new LLMProgram({ model: 'claude-test', linkedPrograms: { expert }, tools: ['spawn'] });
      for (const program of [fromToml, inCode]) {
        const snapshot = throughJson(track(await program.start(startOptions())).snapshot());
        const restored = track(await LLMProgram.restore(snapshot, { ...startOptions(), tools: [tool] }));
        expect(restored.tools.map((spec) => spec.name)).to.deep.equal(program.functionTools.length ? ['calculator', 'lookup'] : ['spawn']);
      }
      const restored = track(await LLMProgram.restore(throughJson(track(await inCode.start(startOptions())).snapshot()), startOptions()));
      expect(restored.program.linkedProgram('expert')).to.include({ model: 'claude-expert', systemPrompt: 'An expert.' });
    });

    it('a resumed run refuses to go on without the hooks it had', async () => {
      const send = { ...stubTool('send', async () => ({ content: 'sent', isError: false })), requireApproval: true };
      const process = track(await new LLMProgram({ model: 'claude-test', tools: [send] }).start(startOptions()));
      server.enqueue(toolUseReply([{ name: 'send', input: {}, id: 'toolu_s' }]));
      await process.run('send', { hooks: { afterToolCall: () => undefined } });
      const restored = track(await LLMProgram.restore(throughJson(process.snapshot()), { ...startOptions(), tools: [send] }));
      restored.approve('toolu_s');
      const error = await rejectionOf(restored.resume());
      expect(error).to.have.property('name', 'ResumeError');
      expect(error).to.have.deep.property('missingHooks', ['afterToolCall']);
      server.enqueue(textReply('ok'));
      expect((await restored.resume({ hooks: { afterToolCall: () => undefined } })).stopReason).to.equal('end_turn');
    });

    describe('refuses, with a SnapshotError naming the key path', () => {
      let snapshot: Record<string, any>;
      let file: string;
      beforeEach(async () => {
        file = dir.write('p.toml', APPROVAL_TOML);
        const process = track(await LLMProgram.fromToml(file).start(startOptions()));
        server.enqueue(toolUseReply([{ name: 'calculator', input: { expression: '2+2' }, id: 'toolu_calc' }]));
        await process.run('2+2?');
        snapshot = throughJson(process.snapshot()) as Record<string, any>;
      });
      const refusal = async (input: unknown): Promise<SnapshotError> => {
        const error = await rejectionOf(LLMProgram.restore(input, startOptions()));
        expect(error).to.be.instanceOf(SnapshotError);
        return error as SnapshotError;
      };

      it('a snapshot from a newer llmproc', async () => {
        snapshot['version'] = 3;
        const error = await refusal(snapshot);
        expect(error.keyPath).to.equal('version');
        expect(error.message).to.include('written by a newer llmproc (snapshot version 3); this one reads version 2');
      });

      it('something that is not a snapshot', async () => {
        expect((await refusal({ hello: 'world' })).keyPath).to.equal('kind');
        expect((await refusal('{not json')).message).to.include('not valid JSON');
        expect((await refusal(null)).message).to.include('received null');
      });

      it('a corrupted value', async () => {
        snapshot['messages'][1].content[0].type = 'bogus';
        const error = await refusal(snapshot);
        expect(error.keyPath).to.equal('messages[1].content[0].type');
        snapshot['messages'][1].content[0].type = 'tool_call';
        snapshot['run'].state.iteration = -1;
        expect((await refusal(snapshot)).keyPath).to.equal('run.state.iteration');
      });

      it('a conversation the API would refuse', async () => {
        snapshot['run'].state.next = 'model';
        const error = await refusal(snapshot);
        expect(error.keyPath).to.equal('messages[1]');
        expect(error.message).to.include('ends with tool calls that have no results');
      });

      it('totals that do not add up', async () => {
        snapshot['run'].result.usage.inputTokens += 1;
        expect((await refusal(snapshot)).keyPath).to.equal('run.result.usage');
      });

      it('a program definition altered without its fingerprint', async () => {
        snapshot['program'].definition.model = 'claude-opus-4-1';
        expect((await refusal(snapshot)).keyPath).to.equal('program.fingerprint');
      });

      it('another program: the TOML file now names another model', async () => {
        writeFileSync(file, APPROVAL_TOML.replace('claude-haiku-4-5', 'claude-sonnet-4-5'));
        const error = await refusal(snapshot);
        expect(error.keyPath).to.equal('program.definition.model');
        expect(error.message).to.include('belongs to another program: it was "claude-haiku-4-5", now it is "claude-sonnet-4-5"');
      });

      it('a TOML file that is gone', async () => {
        dir.remove();
        const error = await refusal(snapshot);
        expect(error.keyPath).to.equal('program.file');
      });
    });
  });

  describe('checkpoint events', () => {
    it('come after every model call and every batch of tool results, and at a pause, each with the snapshot at that point', async () => {
      const send = { ...stubTool('send', async () => ({ content: 'sent', isError: false })), requireApproval: true };
      const process = track(await new LLMProgram({ model: 'claude-test', tools: [lookup().tool, send] }).start(startOptions()));
      const checkpoint = sinon.spy();
      process.on('checkpoint', checkpoint);
      server.enqueue(
        toolUseReply([{ name: 'lookup', input: { value: 'a' }, id: 'toolu_1' }]),
        toolUseReply([{ name: 'send', input: {}, id: 'toolu_2' }]),
        textReply('Done.'),
      );
      await process.run('go');
      process.approve('toolu_2');
      await process.resume();
      const steps = checkpoint.args.map(([event]) => [event.step, event.snapshot.run?.state.next, event.snapshot.messages.length]);
      expect(steps).to.deep.equal([
        ['model_call', 'tools', 2],
        ['tool_results', 'model', 3],
        ['model_call', 'tools', 4],
        ['awaiting_approval', 'tools', 4],
        ['tool_results', 'model', 5],
        ['model_call', 'done', 6],
      ]);
      const paused = checkpoint.args[3]![0].snapshot;
      expect(paused.run.state.approvals).to.deep.equal([{ id: 'toolu_2', toolName: 'send', args: {}, status: 'pending' }]);
      expect(paused.run.result.apiCalls).to.equal(2);
    });

    it('are not built when nothing listens', async () => {
      const process = track(await new LLMProgram({ model: 'claude-test' }).start(startOptions()));
      const snapshot = sinon.spy(process, 'snapshot');
      server.enqueue(textReply('hi'));
      await process.run('hello');
      expect(snapshot.called).to.equal(false);
    });
  });
});
