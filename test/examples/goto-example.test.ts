/** The goto example, run as users run it: offline, on the scripted model (which calls goto when asked to go back). */
import { expect } from 'chai';
import { runExample } from './support.js';

describe('the goto example', () => {
  it('goto.ts: the model goes back to msg_0 with goto, then code rewinds with process.rewind(); each is in its RunResult', async () => {
    const { stdout, stderr } = await runExample('goto.ts', {});
    expect(stderr).to.include('runs OFFLINE on the built-in scripted model');
    expect(stdout).to.include('⚙️ goto {"position":"msg_0","message":"compute 2^10 instead"}');
    expect(stdout).to.include('↩ goto: back to msg_0, 7 messages removed; the run goes on from msg_7');
    expect(stdout).to.include('Answer: The calculator says 1024.\nMessages: msg_7, msg_8, msg_9, msg_10; rewinds: [{"from":"msg_6","to":"msg_0","via":"goto"}]');
    expect(stdout).to.include('↩ code: back to msg_11, 3 messages removed; the run goes on from msg_14');
    expect(stdout).to.include('Answer: The calculator says 42.');
    expect(stdout).to.include('rewinds: [{"from":"msg_13","to":"msg_11","via":"code"}]');
  });
});
