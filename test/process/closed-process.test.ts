/** A process after `close()`: run(), fork() and preloadFiles() are refused with ProcessClosedError. */
import { expect } from 'chai';
import { LLMProcError, ProcessClosedError } from '../../lib/index.js';
import { textReply } from '../../lib/testing/index.js';
import { rejectionOf } from '../support/promises.js';
import { setupTest, type TestSetup } from '../support/setup.js';
import { thrownBy } from '../support/thrown-by.js';

describe('a closed process', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  it('refuses run() with a ProcessClosedError naming the operation, and sends nothing', async () => {
    t = await setupTest();
    t.server.enqueue(textReply('never sent'));
    await t.process.close();
    const error = await rejectionOf(t.process.run('hi'));
    expect(error).to.be.instanceOf(ProcessClosedError).and.to.be.instanceOf(LLMProcError);
    expect(error).to.include({ name: 'ProcessClosedError', operation: 'run', processId: t.process.id });
    expect((error as Error).message).to.include('program.start()');
    expect(t.server.requests).to.have.length(0);
  });

  it('refuses fork() and preloadFiles() the same way', async () => {
    t = await setupTest();
    await t.process.close();
    const fork = thrownBy(() => t.process.fork(), ProcessClosedError, 'fork() after close()');
    expect(fork.operation).to.equal('fork');
    const preload = await rejectionOf(t.process.preloadFiles(['README.md']));
    expect(preload).to.be.instanceOf(ProcessClosedError).with.property('operation', 'preloadFiles');
  });

  it('refuses them from the moment close() is called, before it has finished', async () => {
    t = await setupTest();
    const closing = t.process.close();
    expect(await rejectionOf(t.process.run('hi'))).to.be.instanceOf(ProcessClosedError);
    await closing;
  });
});
