/** Message ids and a pending rewind in snapshots: written after a rewind, checked when read (R25). */
import { expect } from 'chai';
import { SnapshotError } from '../../lib/errors.js';
import type { ProcessSnapshot } from '../../lib/snapshot/snapshot-schema.js';
import { readSnapshot } from '../../lib/snapshot/read-snapshot.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { setupTest, type TestSetup } from '../support/setup.js';

describe('snapshots: message ids', () => {
  let t: TestSetup | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  /** A snapshot after one goto: messages msg_5 (the instruction) and msg_6. */
  async function rewoundSnapshot(): Promise<ProcessSnapshot> {
    t = await setupTest({ tools: ['goto'] });
    t.server.enqueue(textReply('A'), toolUseReply([{ name: 'goto', input: { position: 'msg_0', message: 'B' } }]), textReply('B done'));
    await t.process.run('a');
    await t.process.run('b');
    return JSON.parse(JSON.stringify(t.process.snapshot())) as ProcessSnapshot;
  }

  const keyPathOf = (snapshot: unknown): string | undefined => {
    try {
      readSnapshot(snapshot);
    } catch (error) {
      expect(error).to.be.instanceOf(SnapshotError);
      return (error as SnapshotError).keyPath;
    }
    return undefined;
  };

  it('reads the ids it wrote', async () => {
    const snapshot = await rewoundSnapshot();
    expect(readSnapshot(snapshot)).to.deep.include({ messageIds: ['msg_5', 'msg_6'], nextMessageId: 7 });
  });

  it('refuses ids that are not one per message, increasing and below nextMessageId, or are not ids at all', async () => {
    const snapshot = await rewoundSnapshot();
    expect(keyPathOf({ ...snapshot, messageIds: ['msg_5'] })).to.equal('messageIds');
    expect(keyPathOf({ ...snapshot, messageIds: ['msg_6', 'msg_5'] })).to.equal('messageIds[1]');
    expect(keyPathOf({ ...snapshot, messageIds: ['msg_5', 'msg_5'] })).to.equal('messageIds[1]');
    expect(keyPathOf({ ...snapshot, nextMessageId: 6 })).to.equal('messageIds[1]');
    expect(keyPathOf({ ...snapshot, messageIds: ['msg_5', 'six'] })).to.equal('messageIds[1]');
    expect(keyPathOf({ ...snapshot, nextMessageId: undefined })).to.equal('nextMessageId');
    expect(keyPathOf({ ...snapshot, messageIds: undefined })).to.equal('messageIds');
    expect(keyPathOf({ ...snapshot, nextMessageId: -1 })).to.equal('nextMessageId');
  });

  it('refuses a pending rewind to a message the run cannot go back to', async () => {
    const snapshot = await rewoundSnapshot();
    const run = (to: string) => ({
      state: { input: 'b', iteration: 1, next: 'model', results: {}, approvals: [], options: { maxIterations: 10, stream: false }, hooks: [], rewind: { to, instruction: 'x', via: 'code' } },
      result: { apiCalls: 0, apiCallInfos: [], toolCalls: [], usage: { inputTokens: 0, outputTokens: 0, cacheReadInputTokens: 0, cacheCreationInputTokens: 0 }, totalTokens: 0, costUsd: 0, startTime: 0, durationMs: 0, lastMessage: '', completed: false },
    });
    expect(keyPathOf({ ...snapshot, run: run('msg_0') })).to.equal('run.state.rewind.to');
    expect(keyPathOf({ ...snapshot, run: run('msg_6') })).to.equal('run.state.rewind.to');
    expect(keyPathOf({ ...snapshot, run: run('msg_5') })).to.equal(undefined);
  });
});
