/**
 * File descriptors in a process: a long tool result is kept before it enters the history (the API
 * gets the note, listeners get fd:create, the afterToolCall hook sees the whole text), read_fd
 * pages through it without being kept again, RunResult counts both, and descriptors follow the
 * process into forks, snapshots and restores.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import * as v from 'valibot';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { resultText, toolResultsOf } from '../reliability/mcp-support.js';

/** 989 characters: 7 pages of 150. */
const LONG = Array.from({ length: 30 }, (_, i) => `line ${String(i).padStart(2, '0')} ${'.'.repeat(24)}`).join('\n');
const big = defineTool({ name: 'big', description: 'Returns a long text.', input: v.object({}), run: () => LONG });
const options = { tools: ['read_fd' as const, big], fileDescriptor: { maxDirectOutputChars: 200, defaultPageSize: 150 } };

describe('file descriptors in a process', () => {
  let t: TestSetup;
  afterEach(async () => {
    sinon.restore();
    await t?.close();
  });

  it('keeps a long result: the API gets page 1 and a note, fd:create fires before tool:end, the hook saw it whole', async () => {
    const seen: string[] = [];
    t = await setupTest({ ...options, hooks: { afterToolCall: ({ result }) => void seen.push(String(result.content)) } });
    const order: string[] = [];
    const onCreate = sinon.spy(() => void order.push('fd:create'));
    t.process.on('fd:create', onCreate);
    t.process.on('tool:end', (event) => void order.push(`tool:end ${String(event.result.content).slice(0, 20)}`));
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('done'));
    const result = await t.process.run('Go.');
    expect(seen).to.deep.equal([LONG]);
    expect(onCreate.firstCall.args).to.deep.equal([{ fd: 'fd:1', toolName: 'big', toolUseId: 'toolu_big', chars: LONG.length, bytes: LONG.length, pages: Math.ceil(LONG.length / 150), pageSize: 150, originalChars: LONG.length }]);
    expect(order).to.deep.equal(['fd:create', 'tool:end <fd_result fd="fd:1"']);
    const sent = resultText(toolResultsOf(t.server.requests[1])[0]);
    expect(sent).to.match(/^<fd_result fd="fd:1" pages="7" page_size="150" chars="989" bytes="989">/);
    expect(sent).to.include(`<page number="1">\n${LONG.slice(0, 150)}\n</page>`);
    expect(sent).not.to.include(LONG.slice(150, 300));
    expect(result.fileDescriptors).to.deep.equal({ created: 1, bytesKept: LONG.length, pagesRead: 0 });
    expect(result.toJSON().fileDescriptors).to.deep.equal({ created: 1, bytesKept: LONG.length, pagesRead: 0 });
    expectValidRequests(t);
  });

  it('read_fd returns a later page (not kept again) and counts as a page read; bad reads are is_error results the run survives', async () => {
    t = await setupTest(options);
    const reads = sinon.spy();
    t.process.on('fd:read', reads);
    t.server.enqueue(
      toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]),
      toolUseReply([
        { id: 'toolu_p2', name: 'read_fd', input: { fd: 'fd:1', page: 2 } },
        { id: 'toolu_p99', name: 'read_fd', input: { fd: 'fd:1', page: 99 } },
        { id: 'toolu_nope', name: 'read_fd', input: { fd: 'fd:5' } },
        { id: 'toolu_range', name: 'read_fd', input: { fd: 'fd:1', offset: 900, length: 200 } },
      ]),
      textReply('done'),
    );
    const result = await t.process.run('Go.');
    const [page2, page99, nope, range] = toolResultsOf(t.server.requests[2]);
    expect(resultText(page2)).to.equal(`<fd_content fd="fd:1" page="2" pages="7" offset="150" length="150" chars="989" next_page="3">\n${LONG.slice(150, 300)}\n</fd_content>`);
    expect(page99).to.include({ is_error: true });
    expect(resultText(page99)).to.equal('Error: fd:1 has 7 pages; there is no page 99.');
    expect(resultText(nope)).to.equal('Error: fd:5 does not exist. This process has fd:1.');
    expect(resultText(range)).to.equal(`<fd_content fd="fd:1" pages="7" offset="900" length="89" chars="989">\n${LONG.slice(900)}\n</fd_content>`);
    expect(reads.callCount).to.equal(2);
    expect(result.fileDescriptors).to.deep.equal({ created: 1, bytesKept: LONG.length, pagesRead: 2 });
    expect(result.stopReason).to.equal('end_turn');
    expectValidRequests(t);
  });

  it('a read_fd page longer than max_direct_output_chars (with its header) is never kept as a new descriptor', async () => {
    t = await setupTest({ ...options, fileDescriptor: { maxDirectOutputChars: 200, defaultPageSize: 200 } });
    const created = sinon.spy();
    t.process.on('fd:create', created);
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), toolUseReply([{ id: 'toolu_p2', name: 'read_fd', input: { fd: 'fd:1', page: 2 } }]), textReply('done'));
    await t.process.run('Go.');
    const page = resultText(toolResultsOf(t.server.requests[2])[0]);
    expect(page.length).to.be.greaterThan(200);
    expect(page).to.match(/^<fd_content fd="fd:1" page="2"/);
    expect(created.callCount).to.equal(1);
  });

  it('a program without descriptors leaves long results as they are, and its snapshots stay version 1', async () => {
    t = await setupTest({ tools: [big] });
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('done'));
    const result = await t.process.run('Go.');
    expect(resultText(toolResultsOf(t.server.requests[1])[0])).to.equal(LONG);
    expect(result.toJSON()).not.to.have.property('fileDescriptors');
    expect(t.process.snapshot()).to.include({ version: 1 }).and.not.to.have.property('fileDescriptors');
  });

  it('a snapshot holds the descriptors (version 2); a restored process reads them and goes on numbering', async () => {
    t = await setupTest(options);
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('kept'));
    await t.process.run('Go.');
    const snapshot = JSON.parse(JSON.stringify(t.process.snapshot()));
    expect(snapshot.version).to.equal(2);
    expect(snapshot.fileDescriptors).to.deep.equal({ next: 2, entries: [{ fd: 'fd:1', content: LONG, pageSize: 150, toolName: 'big', toolUseId: 'toolu_big', originalChars: LONG.length }] });
    const restored = await LLMProgram.restore(snapshot, { tools: [big], apiKey: 'sk-test', baseURL: t.server.url, maxRetries: 0 });
    try {
      const created = sinon.spy();
      restored.on('fd:create', created);
      t.server.enqueue(toolUseReply([{ id: 'toolu_p3', name: 'read_fd', input: { fd: 'fd:1', page: 3 } }, { id: 'toolu_big2', name: 'big', input: {} }]), textReply('done'));
      await restored.run('Again.');
      const [page3] = toolResultsOf(t.server.requests.at(-1));
      expect(resultText(page3)).to.include(LONG.slice(300, 450));
      expect(created.firstCall.args[0]).to.include({ fd: 'fd:2' });
    } finally {
      await restored.close();
    }
  });

  it('a fork starts with a copy of its parent’s descriptors; what it keeps stays its own', async () => {
    t = await setupTest(options);
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('kept'));
    await t.process.run('Go.');
    const fork = t.process.fork();
    t.server.enqueue(toolUseReply([{ id: 'toolu_p2', name: 'read_fd', input: { fd: 'fd:1', page: 2 } }, { id: 'toolu_big2', name: 'big', input: {} }]), textReply('done'));
    const result = await fork.run('In the fork.');
    expect(resultText(toolResultsOf(t.server.requests.at(-1))[0])).to.include(LONG.slice(150, 300));
    expect(result.fileDescriptors).to.deep.equal({ created: 1, bytesKept: LONG.length, pagesRead: 1 });
    expect(fork.snapshot().fileDescriptors?.entries.map((entry) => entry.fd)).to.deep.equal(['fd:1', 'fd:2']);
    expect(t.process.snapshot().fileDescriptors?.entries.map((entry) => entry.fd)).to.deep.equal(['fd:1']);
  });

  it('resetState() forgets the descriptors with the conversation', async () => {
    t = await setupTest(options);
    t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('kept'), toolUseReply([{ id: 'toolu_p1', name: 'read_fd', input: { fd: 'fd:1' } }]), textReply('gone'));
    await t.process.run('Go.');
    t.process.resetState();
    await t.process.run('Read it.');
    expect(resultText(toolResultsOf(t.server.requests.at(-1))[0])).to.match(/^Error: fd:1 was released/);
  });
});
