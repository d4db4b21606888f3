/**
 * The read_fd tool on its own: how it shows a bad number, which inputs it names, and that only its
 * own refusals become is_error results (the attack list is in test/reliability/security-fd-tools.test.ts).
 */
import { expect } from 'chai';
import { readFdTool } from '../../../lib/tools/builtin/read-fd.js';
import { FileDescriptorStore } from '../../../lib/tools/file-descriptors/store.js';
import type { ToolResult } from '../../../lib/tools/tool.js';
import { rejectionOf } from '../../support/promises.js';

describe('the read_fd tool', () => {
  function newStore(): FileDescriptorStore {
    const store = new FileDescriptorStore({ maxDirectOutputChars: 10, defaultPageSize: 10, canWrite: false });
    store.keep('r'.repeat(25), { toolName: 'big', toolUseId: 'toolu_big' });
    return store;
  }
  const read = async (input: Record<string, unknown>): Promise<ToolResult> =>
    readFdTool.run(input, { signal: new AbortController().signal, toolUseId: 'toolu_read', fileDescriptors: newStore() });
  const failed = (content: string): ToolResult => ({ content, isError: true });

  it('shows a bad number as a number, anything else as JSON cut to 40 characters, or by its type', async () => {
    const page = (shown: string) => failed(`Error: "page" must be an integer of at least 1, received ${shown}.`);
    expect(await read({ fd: 'fd:1', page: Number.NaN })).to.deep.equal(page('NaN'));
    expect(await read({ fd: 'fd:1', page: Number.NEGATIVE_INFINITY })).to.deep.equal(page('-Infinity'));
    expect(await read({ fd: 'fd:1', page: '2' })).to.deep.equal(page('"2"'));
    expect(await read({ fd: 'fd:1', page: 'p'.repeat(60) })).to.deep.equal(page(`"${'p'.repeat(39)}`));
    expect(await read({ fd: 'fd:1', page: Symbol('s') })).to.deep.equal(page('symbol'));
    expect(await read({ fd: 'fd:1', offset: 0, length: [2] })).to.deep.equal(failed('Error: "length" must be an integer of at least 1, received [2].'));
  });

  it('names every unknown input, each cut to 40 characters', async () => {
    const long = 'q'.repeat(41);
    expect(await read({ fd: 'fd:1', all: true, [long]: 1 })).to.deep.equal(
      failed(`Error: unknown input "all", ${JSON.stringify(long.slice(0, 40))}; read_fd takes fd, and page or offset (with length).`),
    );
  });

  it('refuses a page with a length as it refuses a page with an offset', async () => {
    const both = failed('Error: give "page", or "offset" (with "length"), not both.');
    expect(await read({ fd: 'fd:1', page: 1, length: 3 })).to.deep.equal(both);
    expect(await read({ fd: 'fd:1', page: 1, offset: 0, length: 3 })).to.deep.equal(both);
  });

  it('reads a range of one page by default', async () => {
    const result = await read({ fd: 'fd:1', offset: 20 });
    expect(result.isError).to.equal(false);
    expect(String(result.content).split('\n')[1]).to.equal('rrrrr');
  });

  it('lets an error that is not a refusal through', async () => {
    const keyless = new Proxy({ fd: 'fd:1' }, {
      ownKeys: () => {
        throw new Error('no keys');
      },
    });
    expect(await rejectionOf(read(keyless))).to.have.property('message', 'no keys');
  });
});
