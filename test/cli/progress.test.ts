/**
 * The progress view on a real process against the fake server: what a terminal gets (a spinner
 * line redrawn in place) and what a pipe gets (plain lines).
 */
import { expect } from 'chai';
import { attachProgress, type ProgressView } from '../../lib/cli/progress.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest, signalled, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';

/** A terminal or a pipe that records what is written. */
class Capture {
  text = '';
  readonly columns = 80;
  write(chunk: string): boolean {
    this.text += chunk;
    return true;
  }
}

/** What a terminal would show: each `\r\x1b[2K` erases the current line. */
function screenOf(text: string): string {
  const lines: string[] = [''];
  for (const piece of text.split(/(\r\x1b\[2K|\n)/)) {
    if (piece === '\n') lines.push('');
    else if (piece === '\r\x1b[2K') lines[lines.length - 1] = '';
    else lines[lines.length - 1] += piece;
  }
  return lines.join('\n');
}

describe('the progress view', () => {
  let t: TestSetup;
  let view: ProgressView | undefined;
  let entered: ReturnType<typeof signalled<void>>;
  let release: (text: string) => void;

  beforeEach(async () => {
    entered = signalled();
    const gate = signalled<string>();
    release = gate.resolve;
    const waiting = stubTool('wait_here', async () => {
      entered.resolve();
      return { content: await gate.promise, isError: false };
    });
    const failing = stubTool('broken', async () => ({ content: 'it broke\nsecond line', isError: true }));
    t = await setupTest({ tools: [waiting, failing] });
  });
  afterEach(async () => {
    view?.detach();
    await t.close();
  });

  describe('on a terminal', () => {
    it('shows a spinner naming the API call, then the running tool, then a line per finished tool and the answer', async () => {
      const out = new Capture();
      view = attachProgress(t.process, { out, tty: true });
      t.server.enqueue(
        toolUseReply([{ name: 'wait_here', input: { value: 'a' } }], { text: 'Working.' }),
        toolUseReply([{ name: 'broken', input: {} }]),
        textReply('All done.'),
      );
      const run = t.process.run('go');
      await entered.promise;
      expect(out.text).to.match(/\r\x1b\[2K[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] waiting for claude-test \(API call 1\)/);
      expect(screenOf(out.text).split('\n').at(-1)).to.match(/^[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] running wait_here$/);
      release('done waiting');
      await run;
      view.detach();
      expect(screenOf(out.text)).to.match(/^Working\.\n✓ wait_here \{"value":"a"\} \(\d+ms\)\n✗ broken failed \(\d+ms\): it broke\nAll done\.\n$/);
    });

    it('streams text as it arrives, the spinner out of its way', async () => {
      const out = new Capture();
      view = attachProgress(t.process, { out, tty: true });
      t.server.enqueue(textReply('Streamed words.'));
      await t.process.run('go', { stream: true });
      view.detach();
      expect(screenOf(out.text)).to.equal('Streamed words.\n');
    });
  });

  describe('on a pipe', () => {
    it('writes plain lines, no escape codes, and names a child process tool by its program', async () => {
      const out = new Capture();
      view = attachProgress(t.process, { out, tty: false });
      t.server.enqueue(toolUseReply([{ name: 'wait_here', input: {} }]), textReply('Answer.'));
      const run = t.process.run('go');
      await entered.promise;
      expect(out.text).to.equal('[tool] wait_here\n');
      const child = { program: 'Expert', processId: 'proc-x', via: 'spawn' as const };
      t.process.emit('tool:start', { toolName: 'calculator', args: { expression: '1+1' }, toolUseId: 'c1', source: 'builtin', child });
      release('ok');
      await run;
      view.detach();
      expect(out.text).not.to.include('\x1b');
      expect(out.text).to.match(/^\[tool\] wait_here\n\[tool\] calculator \(in Expert\) \{"expression":"1\+1"\}\n\[tool\] wait_here done \(\d+ms\)\nAnswer\.\n$/);
    });
  });
});
