/**
 * The interactive session, driven in a real pseudo-terminal (tmux) against the fake Anthropic
 * server: what the screen shows while a tool runs, the answer and the summary, Ctrl-C cancelling
 * a run while the session goes on, and the ways to quit.
 */
import { expect } from 'chai';
import { type FakeAnthropicServer, hang, startFakeAnthropic, textReply, toolUseReply } from '../../lib/testing/index.js';
import { SENTINEL_API_KEY, signalled } from '../support/setup.js';
import { gateServerScript, startGate, type Gate } from './gate.js';
import { cleanEnv, cliCommand, TempPrograms } from './support.js';
import { requireTmux, TmuxSession } from './tmux.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

const SPINNER = '[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏]';

describe('llmproc interactive session (in a pseudo-terminal)', function () {
  this.timeout(30_000);
  let server: FakeAnthropicServer;
  let gate: Gate;
  let temp: TempPrograms;
  let program: string;
  let tmux: TmuxSession | undefined;

  before(() => requireTmux());
  beforeEach(async () => {
    server = await startFakeAnthropic();
    gate = await startGate();
    temp = new TempPrograms();
    const servers = temp.write('servers.json', JSON.stringify({ mcpServers: { gate: { command: process.execPath, args: [gateServerScript, gate.url] } } }));
    program = temp.write(
      'gated.toml',
      [
        '[model]',
        'name = "claude-haiku-4-5"',
        'provider = "anthropic"',
        'display_name = "Gated Assistant"',
        '[prompt]',
        'system_prompt = "You wait at gates."',
        '[mcp]',
        `config_path = ${JSON.stringify(servers)}`,
        '[mcp.tools]',
        'gate = "all"',
        '',
      ].join('\n'),
    );
  });
  afterEach(async () => {
    await tmux?.kill();
    tmux = undefined;
    await gate.close();
    await server.close();
    temp.remove();
  });

  /** Starts `llmproc <program>` in a terminal, online against the fake server, and waits for its prompt. */
  async function startSession(): Promise<TmuxSession> {
    tmux = await TmuxSession.start([...cliCommand, program], cleanEnv({ ANTHROPIC_API_KEY: SENTINEL_API_KEY, ANTHROPIC_BASE_URL: server.url }));
    await tmux.waitFor(/^>$/m);
    return tmux;
  }

  it('shows a spinner naming the running tool, then the tool line, the answer and the summary; `exit` quits with 0', async () => {
    server.enqueue(toolUseReply([{ name: 'gate__wait', input: {} }], { text: 'Waiting at the gate.' }), textReply('The gate said: open sesame.'));
    const t = await startSession();
    expect(await t.screen()).to.include('Gated Assistant (claude-haiku-4-5). Type a prompt; "exit" or Ctrl-D quits, Ctrl-C cancels an answer.');

    await t.type('Wait for the gate');
    await gate.reached;
    const running = await t.waitFor(new RegExp(`^${SPINNER} running gate__wait$`, 'm'));
    expect(running).to.include('> Wait for the gate\nWaiting at the gate.\n');

    gate.open('open sesame');
    const done = await t.waitFor(/^2 API calls · 1 tool call · /m);
    expect(done).to.match(/^✓ gate__wait \(\d+ms\)$/m);
    expect(done).to.include('The gate said: open sesame.');
    expect(done).to.match(/^2 API calls · 1 tool call · 30 tokens \(20 in, 10 out\) · \$[\d.]+ · \d+(\.\d+)?m?s\n>$/m);
    expect(done).not.to.match(new RegExp(SPINNER));
    expect(JSON.stringify(server.requests[1]!.body)).to.include('open sesame');

    await t.type('exit');
    expect(await t.waitForExit()).to.equal(0);
    expect(await t.screen()).not.to.include(SENTINEL_API_KEY);
  });

  it('Ctrl-C during a run cancels that run, and the session goes on; Ctrl-C at the prompt quits with 0', async () => {
    // The first request hangs; the test knows when it has reached the server.
    const arrived = signalled();
    server.respondWith(() => {
      arrived.resolve();
      return hang();
    });
    const t = await startSession();

    await t.type('This will hang');
    await arrived.promise;
    await t.waitFor(new RegExp(`^${SPINNER} waiting for claude-haiku-4-5 \\(API call 1\\)$`, 'm'));
    server.enqueue(textReply('Still here.'));
    await t.send('C-c');
    const cancelled = await t.waitFor(/^Cancelled\. 0 API calls · 0 tool calls · .* · stopped: aborted\n>$/m);
    expect(cancelled).not.to.match(new RegExp(SPINNER));
    expect(await t.exitStatus()).to.equal(undefined);

    // Up recalls the last prompt (history lasts the session); Ctrl-U clears the line again.
    await t.send('Up');
    await t.waitFor((screen) => screen.split('\n').at(-1) === '> This will hang');
    await t.send('C-u');
    await t.waitFor((screen) => screen.split('\n').at(-1) === '>');
    await t.type('Are you there?');
    const answered = await t.waitFor(/^1 API call · 0 tool calls · /m);
    expect(answered).to.include('> Are you there?\nStill here.\n');
    // The second request continues a valid conversation that holds both prompts.
    const messages = (withoutCaching(server.requests[1]!.body) as { messages: unknown[] }).messages;
    expect(JSON.stringify(messages)).to.include('This will hang').and.to.include('Are you there?');

    await t.waitFor(/^>$/m);
    await t.send('C-c');
    expect(await t.waitForExit()).to.equal(0);
  });

  it('without ANTHROPIC_API_KEY and without --offline, refuses to start: exit 2, naming the variable and the flag', async () => {
    tmux = await TmuxSession.start([...cliCommand, program], cleanEnv({ ANTHROPIC_BASE_URL: server.url }));
    expect(await tmux.waitForExit()).to.equal(2);
    // The whole pane with its scrollback, wrapped lines joined: the dead pane's notice scrolls the top line away.
    const screen = await tmux.tmux('capture-pane', '-p', '-J', '-S', '-50', '-t', 'cli');
    expect(screen).to.include('llmproc: no ANTHROPIC_API_KEY set').and.to.include('or pass --offline');
    expect(screen).not.to.include('Type a prompt');
    expect(server.requests).to.have.length(0);
  });

  it('with --offline and no key, runs the session on the scripted model, saying so', async () => {
    tmux = await TmuxSession.start([...cliCommand, program, '--offline'], cleanEnv());
    const t = tmux;
    await t.waitFor(/^>$/m);
    expect(await t.screen()).to.include('llmproc: running OFFLINE on the built-in scripted model (--offline)');
    await t.type('Hello there');
    const answered = await t.waitFor(/^1 API call · 0 tool calls · /m);
    expect(answered).to.include('[offline scripted model] You said: "Hello there".');
    await t.type('exit');
    expect(await t.waitForExit()).to.equal(0);
    expect(server.requests).to.have.length(0);
  });

  it('Ctrl-D at the prompt quits with 0', async () => {
    const t = await startSession();
    await t.send('C-d');
    expect(await t.waitForExit()).to.equal(0);
    expect(server.requests).to.have.length(0);
  });
});
