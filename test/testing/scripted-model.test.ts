import { LLMProgram } from '../../lib/program/llm-program.js';
import Anthropic from '@anthropic-ai/sdk';
import { expect } from 'chai';
import sinon from 'sinon';
import {
  asksForTime,
  connectModel,
  type FakeAnthropicServer,
  type FakeReply,
  findArithmetic,
  findFilePath,
  findFolderToList,
  findForkPrompts,
  findGotoRequest,
  findSavePath,
  findSpawnRequest,
  findTimeZone,
  OFFLINE_NOTICE, offlineNotice,
  type RecordedRequest,
  scriptedModel,
  startScriptedModel,
  type WireMessage,
  type WireToolUseBlock,
} from '../../lib/testing/index.js';
import { clientOf, user } from './support.js';

const schema = (properties: Record<string, unknown> = {}, required: string[] = []) => ({ type: 'object' as const, properties, required });
const calculator = { name: 'calculator', input_schema: schema({ expression: { type: 'string' } }, ['expression']) };
const readFile = { name: 'read_file', input_schema: schema({ path: { type: 'string' } }, ['path']) };
const clock = { name: 'clock__current_time', input_schema: schema({ timezone: { type: 'string' } }) };
const timeDifference = { name: 'clock__time_difference', input_schema: schema({ from: {}, to: {} }, ['from', 'to']) };
const spawn = { name: 'spawn', description: 'Runs a query on a linked program. Linked programs: repo_expert, math_expert.', input_schema: schema() };
const fork = { name: 'fork', description: 'Creates copies of yourself.', input_schema: schema() };
const mcpTime = { name: 'time__get_current_time', input_schema: schema({ timezone: { type: 'string' } }, ['timezone']) };

/** The message the scripted model answers `messages` with, offered `tools`. */
async function answer(messages: unknown[], tools: unknown[] = []): Promise<WireMessage> {
  const recorded: RecordedRequest = { method: 'POST', path: '/v1/messages', headers: {}, body: { model: 'm', max_tokens: 100, messages, tools } };
  const reply: FakeReply = await scriptedModel()(recorded);
  if (reply.kind !== 'message') throw new Error(`expected a message reply, got ${reply.kind}`);
  return reply.message;
}

const toolCalls = (message: WireMessage) =>
  message.content.filter((block): block is WireToolUseBlock => block.type === 'tool_use').map(({ name, input }) => ({ name, input }));
const textOf = (message: WireMessage) => message.content.map((block) => (block.type === 'text' ? block.text : '')).join('');

describe('scripted model intents', () => {
  const expressions: Array<[string, string | undefined]> = [
    ['What is 12*34?', '12*34'],
    ['and (3+4)^2, please', '(3+4)^2'],
    ['sqrt(16)', 'sqrt(16)'],
    ['what is sqrt(16) + 1?', 'sqrt(16) + 1'],
    ['compute (2 + 3).', '(2 + 3)'],
    ['(2+3 is what?', '2+3'],
    ['is it 2+3)?', '2+3'],
    ['6 × 7 ÷ 2', '6 * 7 / 2'],
    ['What is 2*pi', '2*pi'],
    ['What is .25 * 4?', '.25 * 4'],
    ['.25+.25', '.25+.25'],
    ['and 1.5 + .5.', '1.5 + .5'],
    ['I have 3 apples', undefined],
    ['gpt-4 is a model', undefined],
    ['hello there', undefined],
  ];
  for (const [text, expected] of expressions) {
    it(`finds ${expected ?? 'no expression'} in "${text}"`, () => expect(findArithmetic(text)).to.equal(expected));
  }

  it('finds file paths', () => {
    expect(findFilePath('Summarize notes.txt please')).to.equal('notes.txt');
    expect(findFilePath('read docs/guide.md.')).to.equal('docs/guide.md');
    expect(findFilePath('look at ./config.toml')).to.equal('./config.toml');
    expect(findFilePath('no file here.')).to.equal(undefined);
  });

  it('knows a question about the time, and the time zone named', () => {
    expect(asksForTime('What time is it in Tokyo right now?')).to.equal(true);
    expect(asksForTime("what's the current date?")).to.equal(true);
    expect(asksForTime('Take your time.')).to.equal(false);
    expect(findTimeZone('in Tokyo')).to.equal('Asia/Tokyo');
    expect(findTimeZone('in Europe/Paris')).to.equal('Europe/Paris');
    expect(findTimeZone('here')).to.equal(undefined);
  });

  it('finds a request to ask a linked program, by its declared name', () => {
    const programs = ['repo_expert', 'Math-Expert'];
    expect(findSpawnRequest('Ask repo_expert: what is llmproc?', programs)).to.deep.equal({ program: 'repo_expert', query: 'what is llmproc?' });
    expect(findSpawnRequest('please ask the math-expert to compute 2+2', programs)).to.deep.equal({ program: 'Math-Expert', query: 'compute 2+2' });
    expect(findSpawnRequest('ask repo_expert', programs)).to.deep.equal({ program: 'repo_expert', query: 'ask repo_expert' });
    expect(findSpawnRequest('Ask oracle: anything', programs)).to.equal(undefined);
    expect(findSpawnRequest('what is llmproc?', programs)).to.equal(undefined);
  });

  it('finds the tasks of a request to fork, split at semicolons and new lines', () => {
    expect(findForkPrompts('Fork: what is 12*34; what is 2^10')).to.deep.equal(['what is 12*34', 'what is 2^10']);
    expect(findForkPrompts('Do these in parallel:\nsummarize a.md\n\nsummarize b.md;')).to.deep.equal(['summarize a.md', 'summarize b.md']);
    expect(findForkPrompts('Fork:  ; ')).to.equal(undefined);
    expect(findForkPrompts('a fork in the road')).to.equal(undefined);
  });

  it('finds a request to go back to a message id, and the message to go on with', () => {
    expect(findGotoRequest('Go back to msg_0 and compute 2^10 instead')).to.deep.equal({ position: 'msg_0', message: 'compute 2^10 instead' });
    expect(findGotoRequest('please goto MSG_12: summarize')).to.deep.equal({ position: 'msg_12', message: 'summarize' });
    expect(findGotoRequest('return to msg_3')).to.deep.equal({ position: 'msg_3', message: 'Start again from here.' });
    expect(findGotoRequest('You went back to msg_0 with the goto tool')).to.equal(undefined);
    expect(findGotoRequest('go back to the start')).to.equal(undefined);
  });
});

describe('scripted model intents for list_dir and file descriptors', () => {
  it('finds the folder a request asks to list, `.` when it names none', () => {
    expect(findFolderToList('List the folder fd-data')).to.equal('fd-data');
    expect(findFolderToList('Please list the files in docs/guides.')).to.equal('docs/guides');
    expect(findFolderToList('What files are in src?')).to.equal('src');
    expect(findFolderToList('List the files')).to.equal('.');
    expect(findFolderToList('ls ..')).to.equal('..');
    expect(findFolderToList('What is 2+2?')).to.equal(undefined);
  });

  it('finds where a request asks to save something', () => {
    expect(findSavePath('Read notes.md and save it to out/copy.md.')).to.equal('out/copy.md');
    expect(findSavePath('write the result as report.txt')).to.equal('report.txt');
    expect(findSavePath('Read notes.md')).to.equal(undefined);
  });
});

describe('scriptedModel', () => {
  describe('when the user asks something a tool does', () => {
    it('calls the calculator for arithmetic, after a short text', async () => {
      const message = await answer([user('What is 12*34?')], [calculator]);
      expect(message.stop_reason).to.equal('tool_use');
      expect(message.content[0]).to.deep.equal({ type: 'text', text: "I'll compute 12*34 with the calculator." });
      expect(message.content[1]).to.deep.equal({ type: 'tool_use', id: 'toolu_scripted_1_1', name: 'calculator', input: { expression: '12*34' } });
    });

    it('calls read_file for a file path', async () => {
      const message = await answer([user('Please summarize notes.txt')], [calculator, readFile]);
      expect(toolCalls(message)).to.deep.equal([{ name: 'read_file', input: { path: 'notes.txt' } }]);
    });

    it('calls a time tool with the time zone its schema requires, preferring *current_time', async () => {
      expect(toolCalls(await answer([user('What time is it?')], [timeDifference, mcpTime]))).to.deep.equal([
        { name: 'time__get_current_time', input: { timezone: 'UTC' } },
      ]);
      expect(toolCalls(await answer([user('What time is it?')], [timeDifference, clock]))).to.deep.equal([{ name: 'clock__current_time', input: {} }]);
      expect(toolCalls(await answer([user('What time is it in Tokyo?')], [clock]))).to.deep.equal([
        { name: 'clock__current_time', input: { timezone: 'Asia/Tokyo' } },
      ]);
    });

    it('calls goto when asked to go back, reading past the [msg_N] id goto shows and the note a goto leaves', async () => {
      const goto = { name: 'goto', input_schema: schema({ position: {}, message: {} }, ['position', 'message']) };
      expect(toolCalls(await answer([user('[msg_2] Go back to msg_0 and compute 2^10 instead')], [goto, calculator]))).to.deep.equal([
        { name: 'goto', input: { position: 'msg_0', message: 'compute 2^10 instead' } },
      ]);
      expect(toolCalls(await answer([user('[msg_7] <goto>You went back to msg_0 with the goto tool; the messages from there on were removed.</goto>\ncompute 2^10 instead')], [goto, calculator]))).to.deep.equal([
        { name: 'calculator', input: { expression: '2^10' } },
      ]);
      expect(toolCalls(await answer([user('Go back to msg_0')], [calculator])), 'not without goto').to.deep.equal([]);
    });

    it('calls several tools at once when asked several things', async () => {
      const message = await answer([user('What time is it in Tokyo right now? And what is 12*34?')], [calculator, clock]);
      expect(toolCalls(message)).to.deep.equal([
        { name: 'clock__current_time', input: { timezone: 'Asia/Tokyo' } },
        { name: 'calculator', input: { expression: '12*34' } },
      ]);
    });

    it('calls spawn, and nothing else, when asked to ask a linked program', async () => {
      const message = await answer([user('Ask math_expert: what is 12*34?')], [calculator, spawn]);
      expect(toolCalls(message)).to.deep.equal([{ name: 'spawn', input: { program_name: 'math_expert', query: 'what is 12*34?' } }]);
      expect(textOf(message)).to.equal("I'll ask math_expert.");
    });

    it('calls fork with one prompt per task, and nothing else', async () => {
      const message = await answer([user('Fork: what is 12*34; what is 2^10')], [calculator, fork]);
      expect(toolCalls(message)).to.deep.equal([{ name: 'fork', input: { prompts: ['what is 12*34', 'what is 2^10'] } }]);
    });

    it('does not spawn or fork without the tool, nor for a program not linked', async () => {
      expect(toolCalls(await answer([user('Fork: what is 12*34; what is 2^10')], [calculator]))).to.deep.equal([
        { name: 'calculator', input: { expression: '12*34' } },
      ]);
      expect(toolCalls(await answer([user('Ask oracle: hello')], [spawn]))).to.deep.equal([]);
    });

    it('works on a forked copy\'s task, which follows the fork call\'s result', async () => {
      const forkCall = { role: 'assistant', content: [{ type: 'tool_use', id: 'f1', name: 'fork', input: { prompts: ['what is 2+2'] } }] };
      const task = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'f1', content: 'You are fork 1 of 1.' }, { type: 'text', text: 'what is 2+2' }] };
      expect(toolCalls(await answer([user('Fork: what is 2+2'), forkCall, task], [calculator, fork]))).to.deep.equal([
        { name: 'calculator', input: { expression: '2+2' } },
      ]);
    });

    it('does not call a tool that is not offered', async () => {
      const message = await answer([user('What is 12*34 in notes.txt at what time?')], [timeDifference]);
      expect(toolCalls(message)).to.deep.equal([]);
      expect(textOf(message)).to.match(/^\[offline scripted model\] You said: "What is 12\*34 in notes\.txt at what time\?"/);
    });
  });

  describe('when the last message holds tool results', () => {
    const calls = { role: 'assistant', content: [{ type: 'tool_use', id: 'c1', name: 'calculator', input: {} }, { type: 'tool_use', id: 'r1', name: 'read_file', input: {} }] };

    it('sums them up, naming each tool', async () => {
      const results = {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: '408' },
          { type: 'tool_result', tool_use_id: 'r1', content: [{ type: 'text', text: 'hello from the file' }] },
        ],
      };
      const message = await answer([user('go'), calls, results], [calculator, readFile]);
      expect(message.stop_reason).to.equal('end_turn');
      expect(textOf(message)).to.equal('The calculator says 408.\nTool "read_file" returned: hello from the file');
    });

    it('says when a tool failed, quoting it, and when it returned nothing', async () => {
      const results = {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'c1', content: 'Error: division by zero', is_error: true },
          { type: 'tool_result', tool_use_id: 'r1' },
        ],
      };
      const message = await answer([user('go'), calls, results]);
      expect(textOf(message)).to.equal('Tool "calculator" failed: "Error: division by zero"\nTool "read_file" returned nothing.');
    });
  });

  describe('when a tool result was kept as a file descriptor', () => {
    const listDir = { name: 'list_dir', input_schema: schema({ path: { type: 'string' } }) };
    const readFd = { name: 'read_fd', input_schema: schema({ fd: { type: 'string' } }, ['fd']) };
    const fdToFile = { name: 'fd_to_file', input_schema: schema({ fd: { type: 'string' }, path: { type: 'string' } }, ['fd', 'path']) };
    const readCall = { role: 'assistant', content: [{ type: 'tool_use', id: 'r1', name: 'read_file', input: { path: 'big.md' } }] };
    const kept = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'r1', content: '<fd_result fd="fd:1" pages="3" page_size="10">\n...' }] };
    const pageCall = { role: 'assistant', content: [{ type: 'tool_use', id: 'p1', name: 'read_fd', input: { fd: 'fd:1', page: 2 } }] };
    const page = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'p1', content: '<fd_content fd="fd:1" page="2" pages="3">\n...' }] };

    it('calls list_dir when asked to list a folder', async () => {
      expect(toolCalls(await answer([user('List the folder docs')], [listDir]))).to.deep.equal([{ name: 'list_dir', input: { path: 'docs' } }]);
    });

    it('reads page 2 with read_fd, then saves the descriptor where the user asked, then sums up', async () => {
      const ask = user('Read big.md and save it to copy.md');
      expect(toolCalls(await answer([ask, readCall, kept], [readFile, readFd, fdToFile]))).to.deep.equal([{ name: 'read_fd', input: { fd: 'fd:1', page: 2 } }]);
      expect(toolCalls(await answer([ask, readCall, kept, pageCall, page], [readFile, readFd, fdToFile]))).to.deep.equal([{ name: 'fd_to_file', input: { fd: 'fd:1', path: 'copy.md' } }]);
      const saveCall = { role: 'assistant', content: [{ type: 'tool_use', id: 's1', name: 'fd_to_file', input: {} }] };
      const saved = { role: 'user', content: [{ type: 'tool_result', tool_use_id: 's1', content: '<fd_file_result fd="fd:1">' }] };
      expect(toolCalls(await answer([ask, readCall, kept, pageCall, page, saveCall, saved], [readFile, readFd, fdToFile]))).to.deep.equal([]);
    });

    it('without read_fd or a save request, sums the note up like any result', async () => {
      const message = await answer([user('Read big.md'), readCall, kept], [readFile, fdToFile]);
      expect(toolCalls(message)).to.deep.equal([]);
      expect(textOf(message)).to.match(/^Tool "read_file" returned: <fd_result fd="fd:1"/);
    });
  });

  describe('when nothing calls for a tool', () => {
    it('echoes the user, with usage that grows with the text', async () => {
      const short = await answer([user('Hello')]);
      const long = await answer([user(`Hello ${'there '.repeat(50)}`)]);
      expect(textOf(short)).to.match(/^\[offline scripted model\] You said: "Hello"\. \S/);
      expect(long.usage.input_tokens).to.be.greaterThan(short.usage.input_tokens + 70);
      expect(long.usage.output_tokens).to.be.greaterThan(short.usage.output_tokens + 70);
      expect(short.usage.output_tokens).to.equal(Math.ceil(textOf(short).length / 4));
    });

    it('answers the same request the same way', async () => {
      const messages = [user('What is 2+2?')];
      expect(await answer(messages, [calculator])).to.deep.equal(await answer(messages, [calculator]));
    });
  });
});

describe('startScriptedModel', () => {
  let server: FakeAnthropicServer;
  let client: Anthropic;
  beforeEach(async () => {
    server = await startScriptedModel();
    client = clientOf(server);
  });
  afterEach(() => server.close());

  const tools: Anthropic.Tool[] = [{ name: 'calculator', description: 'math', input_schema: calculator.input_schema }];

  it('runs a calculator round trip through the real SDK', async () => {
    const question = user('What is 12*34?');
    const first = await client.messages.create({ model: 'claude-test', max_tokens: 100, tools, messages: [question] });
    const call = first.content.find((block): block is Anthropic.ToolUseBlock => block.type === 'tool_use');
    expect(call).to.deep.include({ name: 'calculator', input: { expression: '12*34' } });
    const second = await client.messages.create({
      model: 'claude-test',
      max_tokens: 100,
      tools,
      messages: [question, { role: 'assistant', content: first.content }, user([{ type: 'tool_result', tool_use_id: call!.id, content: '408' }])],
    });
    expect(second.content).to.deep.equal([{ type: 'text', text: 'The calculator says 408.' }]);
    expect(server.requests).to.have.length(2);
  });

  it('streams its answers', async () => {
    const stream = client.messages.stream({ model: 'claude-test', max_tokens: 100, tools, messages: [user('and (3+4)^2?')] });
    const message = await stream.finalMessage();
    expect(message.content[1]).to.deep.include({ type: 'tool_use', name: 'calculator', input: { expression: '(3+4)^2' } });
    const echo = await client.messages.stream({ model: 'claude-test', max_tokens: 100, messages: [user('hi')] }).finalMessage();
    expect(echo.content[0]).to.have.property('text').that.matches(/^\[offline scripted model\] You said: "hi"/);
  });
});

describe('connectModel', () => {
  afterEach(() => sinon.restore());

  it('without a key starts the scripted model and says so', async () => {
    const notice = sinon.spy();
    const model = await connectModel({ env: {}, notice });
    try {
      expect(model.offline).to.equal(true);
      expect(notice.calledOnceWithExactly(OFFLINE_NOTICE)).to.equal(true);
      const turn = await model.startOptions.provider!.complete({ model: 'm', system: undefined, messages: [{ role: 'user', content: [{ type: 'text', text: 'ping' }] }], tools: [], parameters: {} });
      expect(turn.content[0]).to.have.property('text').that.includes('You said: "ping"');
    } finally {
      await model.close();
    }
  });

  it('with a key uses the real API, unless told to go offline', async () => {
    const notice = sinon.spy();
    const online = await connectModel({ env: { ANTHROPIC_API_KEY: 'sk-x' }, notice });
    expect(online.offline).to.equal(false);
    expect(online.startOptions).to.deep.equal({});
    expect(notice.called).to.equal(false);
    const offline = await connectModel({ env: { ANTHROPIC_API_KEY: 'sk-x' }, notice, offline: true });
    expect(offline.startOptions.provider, 'offline, the scripted model answers as the provider').to.not.equal(undefined);
    await offline.close();
    expect(offline.offline).to.equal(true);
    expect(notice.firstCall.args[0]).to.include('--offline');
  });

  it("decides by the program's provider: OPENAI_API_KEY for openai, and an offline scripted model answering an openai program", async () => {
    const notice = sinon.spy();
    const online = await connectModel({ env: { OPENAI_API_KEY: 'sk-x' }, notice, provider: 'openai' });
    expect(online.offline).to.equal(false);
    const offline = await connectModel({ env: { ANTHROPIC_API_KEY: 'sk-x' }, notice, provider: 'openai' });
    try {
      expect(offline.offline).to.equal(true);
      expect(notice.calledOnceWithExactly(offlineNotice('OPENAI_API_KEY'))).to.equal(true);
      const process = await new LLMProgram({ model: 'gpt-4o-mini', provider: 'openai' }).start(offline.startOptions);
      await process.run('ping');
      expect(process.getLastMessage()).to.include('You said: "ping"');
      await process.close();
    } finally {
      await offline.close();
    }
  });
});
