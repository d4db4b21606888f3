/**
 * Snapshot version 2: file descriptors. A snapshot holding them is version 2 and is read back;
 * one that is tampered with (descriptors in a version 1 snapshot, an id twice, an id past `next`,
 * a bad id or page size) is refused naming the key path; an older reader's view (version 3) is
 * refused as newer.
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { SnapshotError } from '../../lib/errors.js';
import { readSnapshot } from '../../lib/snapshot/read-snapshot.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { defineTool } from '../../lib/tools/function-tool.js';
import { setupTest } from '../support/setup.js';

const big = defineTool({ name: 'big', description: 'Long.', input: v.object({}), run: () => 'b'.repeat(50) });

function refusal(input: unknown): SnapshotError {
  try {
    readSnapshot(input);
  } catch (error) {
    expect(error).to.be.instanceOf(SnapshotError);
    return error as SnapshotError;
  }
  expect.fail('expected a SnapshotError');
}

describe('snapshots with file descriptors (version 2)', () => {
  let snapshot: Record<string, any>;
  before(async () => {
    const t = await setupTest({ tools: ['read_fd', big], fileDescriptor: { maxDirectOutputChars: 20, defaultPageSize: 10 } });
    try {
      t.server.enqueue(toolUseReply([{ id: 'toolu_big', name: 'big', input: {} }]), textReply('kept'));
      await t.process.run('Go.');
      snapshot = JSON.parse(JSON.stringify(t.process.snapshot()));
    } finally {
      await t.close();
    }
  });
  const altered = (change: (copy: Record<string, any>) => void): Record<string, any> => {
    const copy = structuredClone(snapshot);
    change(copy);
    return copy;
  };

  it('is read back as it was written', () => {
    expect(snapshot.version).to.equal(2);
    expect(readSnapshot(snapshot).fileDescriptors).to.deep.equal(snapshot.fileDescriptors);
    expect(snapshot.program.definition.fileDescriptor).to.deep.equal({ maxDirectOutputChars: 20, defaultPageSize: 10 });
  });

  it('refuses descriptors in a version 1 snapshot, an id twice, an id past next, a bad id or page size', () => {
    expect(refusal(altered((s) => void (s.version = 1))).keyPath).to.equal('fileDescriptors');
    expect(refusal(altered((s) => s.fileDescriptors.entries.push({ ...s.fileDescriptors.entries[0] }))).message).to.include('fileDescriptors.entries[1].fd: fd:1 is in the snapshot twice');
    expect(refusal(altered((s) => void (s.fileDescriptors.next = 1))).keyPath).to.equal('fileDescriptors.entries[0].fd');
    expect(refusal(altered((s) => void (s.fileDescriptors.entries[0].fd = '../fd:1'))).keyPath).to.equal('fileDescriptors.entries[0].fd');
    expect(refusal(altered((s) => void (s.fileDescriptors.entries[0].pageSize = 0))).keyPath).to.equal('fileDescriptors.entries[0].pageSize');
    expect(refusal(altered((s) => void (s.version = 3))).message).to.include('written by a newer llmproc (snapshot version 3); this one reads version 2');
  });
});
