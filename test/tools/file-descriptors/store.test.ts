/**
 * The descriptor store: what it keeps, how pages and ranges are cut (never half a surrogate pair),
 * what it refuses, what it reports, and its plain-data form.
 */
import { expect } from 'chai';
import sinon from 'sinon';
import { FileDescriptorRefusal, FileDescriptorStore, type FileDescriptorListener } from '../../../lib/tools/file-descriptors/store.js';
import { MAX_DESCRIPTOR_CHARS, MAX_STORE_CHARS } from '../../../lib/tools/file-descriptors/settings.js';
import { keepLongOutput } from '../../../lib/tools/file-descriptors/keep-long-output.js';
import { boundary, boundaryBefore, pageCount, pageRange } from '../../../lib/tools/file-descriptors/pages.js';

const settings = { maxDirectOutputChars: 10, defaultPageSize: 4, canWrite: true };
const origin = { toolName: 'big', toolUseId: 'toolu_1' };

function listener(): FileDescriptorListener & { created: sinon.SinonSpy; read: sinon.SinonSpy } {
  return { created: sinon.spy(), read: sinon.spy() };
}

/** The refusal message of `act`; fails when it does not refuse. */
function refusal(act: () => unknown): string {
  try {
    act();
  } catch (error) {
    expect(error).to.be.instanceOf(FileDescriptorRefusal);
    return (error as Error).message;
  }
  expect.fail('expected a refusal');
}

describe('file descriptors: the store', () => {
  afterEach(() => sinon.restore());

  describe('pages', () => {
    it('cuts fixed windows of the page size, the last one shorter', () => {
      expect(pageCount(10, 4)).to.equal(3);
      expect(pageCount(8, 4)).to.equal(2);
      expect([1, 2, 3].map((page) => pageRange('abcdefghij', 4, page))).to.deep.equal([{ start: 0, end: 4 }, { start: 4, end: 8 }, { start: 8, end: 10 }]);
    });

    it('never splits a surrogate pair: a boundary inside one moves on (pages) or back (a range start)', () => {
      const text = 'abc😀def';
      expect(boundary(text, 4)).to.equal(5);
      expect(boundaryBefore(text, 4)).to.equal(3);
      expect(boundary(text, 3)).to.equal(3);
      const pages = [1, 2, 3].map((page) => pageRange(text, 4, page)).map(({ start, end }) => text.slice(start, end));
      expect(pages).to.deep.equal(['abc😀', 'def', '']);
      expect(pages.join('')).to.equal(text);
    });
  });

  it('keeps a text as fd:1, fd:2, ... and reports each with its size in characters, bytes and pages', () => {
    const spy = listener();
    const store = new FileDescriptorStore(settings, spy);
    expect(store.keep('héllo wörld!', origin).fd).to.equal('fd:1');
    expect(store.keep('x'.repeat(11), { toolName: 'other', toolUseId: 'toolu_2' }).fd).to.equal('fd:2');
    expect(spy.created.firstCall.args[0]).to.deep.equal({ fd: 'fd:1', toolName: 'big', toolUseId: 'toolu_1', chars: 12, bytes: 14, pages: 3, pageSize: 4, originalChars: 12 });
    expect(store.size).to.equal(2);
  });

  it('reads a page or a range, reporting each read; a range never starts or ends inside a surrogate pair', () => {
    const spy = listener();
    const store = new FileDescriptorStore(settings, spy);
    store.keep('abc😀defghijk', origin);
    expect(store.read('fd:1', { page: 1 }, 'toolu_r1')).to.include({ text: 'abc😀', offset: 0, page: 1, pages: 4 });
    expect(store.read('fd:1', { offset: 4, length: 1 }, 'toolu_r2')).to.include({ text: '😀', offset: 3 });
    expect(store.read('fd:1', { offset: 0, length: 4 }, 'toolu_r3').text).to.equal('abc😀');
    expect(spy.read.args.map(([event]) => event)).to.deep.equal([
      { fd: 'fd:1', toolUseId: 'toolu_r1', page: 1, offset: 0, chars: 5 },
      { fd: 'fd:1', toolUseId: 'toolu_r2', offset: 3, chars: 2 },
      { fd: 'fd:1', toolUseId: 'toolu_r3', offset: 0, chars: 5 },
    ]);
  });

  it('refuses ids that are not ids, were never made, or are out of range, listing what it has', () => {
    const store = new FileDescriptorStore(settings);
    store.keep('x'.repeat(11), origin);
    expect(refusal(() => store.lookup(7))).to.equal('"fd" must be a descriptor id such as "fd:1", received number.');
    expect(refusal(() => store.lookup(null))).to.include('received null');
    for (const bad of ['1', 'fd:', 'fd:0', 'fd:01', 'fd:-1', 'fd:1.5', ' fd:1', 'FD:1', 'fd:99999999999999999', 'fd:1\0']) {
      expect(refusal(() => store.lookup(bad)), bad).to.match(/is not a descriptor id; ids look like "fd:1"\.$/);
    }
    expect(refusal(() => store.lookup('fd:2'))).to.equal('fd:2 does not exist. This process has fd:1.');
    expect(refusal(() => store.read('fd:9', { page: 1 }, 't'))).to.equal('fd:9 does not exist. This process has fd:1.');
  });

  it('refuses a page past the end, an offset past the end and a length over what is shown at once', () => {
    const store = new FileDescriptorStore(settings);
    store.keep('x'.repeat(11), origin);
    expect(refusal(() => store.read('fd:1', { page: 4 }, 't'))).to.equal('fd:1 has 3 pages; there is no page 4.');
    expect(refusal(() => store.read('fd:1', { offset: 11, length: 1 }, 't'))).to.equal('fd:1 has 11 characters (offsets 0 to 10); offset 11 is past its end.');
    expect(refusal(() => store.read('fd:1', { offset: 0, length: 11 }, 't'))).to.equal('"length" may be at most 10 (the most shown at once); read fd:1 in parts of up to 10 characters.');
    expect(store.read('fd:1', { offset: 10, length: 10 }, 't').text).to.equal('x');
  });

  it('cuts an output over the most one descriptor holds, and says how long it was', () => {
    const store = new FileDescriptorStore({ ...settings, maxDirectOutputChars: 100, defaultPageSize: 100 });
    const entry = store.keep('y'.repeat(MAX_DESCRIPTOR_CHARS + 5), origin);
    expect(entry.content.length).to.equal(MAX_DESCRIPTOR_CHARS);
    expect(entry.originalChars).to.equal(MAX_DESCRIPTOR_CHARS + 5);
  });

  it('releases the oldest descriptors past the store limit; reading one says it was released', () => {
    const store = new FileDescriptorStore(settings);
    const count = MAX_STORE_CHARS / MAX_DESCRIPTOR_CHARS + 1;
    const big = 'z'.repeat(MAX_DESCRIPTOR_CHARS);
    for (let i = 0; i < count; i++) store.keep(big, origin);
    expect(store.size).to.equal(count - 1);
    expect(refusal(() => store.lookup('fd:1'))).to.match(/^fd:1 was released: a process keeps at most \d+ characters of descriptors, and lets the oldest go first\. This process has fd:2, /);
    expect(store.lookup(`fd:${count}`).fd).to.equal(`fd:${count}`);
  });

  it('round-trips through plain data; a copy has the same descriptors and ids go on from there', () => {
    const store = new FileDescriptorStore(settings);
    store.keep('a'.repeat(11), origin);
    store.keep('b'.repeat(12), origin);
    const data = JSON.parse(JSON.stringify(store.toJSON()));
    expect(data).to.deep.equal({ next: 3, entries: [
      { fd: 'fd:1', content: 'a'.repeat(11), pageSize: 4, toolName: 'big', toolUseId: 'toolu_1', originalChars: 11 },
      { fd: 'fd:2', content: 'b'.repeat(12), pageSize: 4, toolName: 'big', toolUseId: 'toolu_1', originalChars: 12 },
    ] });
    const copy = store.copy();
    expect(copy.keep('c'.repeat(11), origin).fd).to.equal('fd:3');
    expect(store.size, 'the copy is independent').to.equal(2);
    expect(FileDescriptorStore.fromJSON(data, settings).keep('d'.repeat(11), origin).fd).to.equal('fd:3');
  });

  it('clear() forgets every descriptor but never reuses an id', () => {
    const store = new FileDescriptorStore(settings);
    store.keep('a'.repeat(11), origin);
    store.clear();
    expect(store.size).to.equal(0);
    expect(store.keep('a'.repeat(11), origin).fd).to.equal('fd:2');
  });

  describe('keepLongOutput', () => {
    const call = { toolName: 'big', toolUseId: 'toolu_1', source: { kind: 'function' } as const };

    it('leaves a result of at most max_direct_output_chars as it is, and keeps a longer one, showing page 1', () => {
      const store = new FileDescriptorStore(settings);
      expect(keepLongOutput(store, call, { content: 'x'.repeat(10), isError: false })).to.deep.equal({ content: 'x'.repeat(10), isError: false });
      const kept = keepLongOutput(store, call, { content: '0123456789A', isError: true });
      expect(kept.isError, 'an error stays an error').to.equal(true);
      expect(kept.content).to.be.a('string').and.match(/^<fd_result fd="fd:1" pages="3" page_size="4" chars="11" bytes="11">\n<message>/);
      expect(kept.content).to.include('<page number="1">\n0123\n</page>\n</fd_result>');
      expect(kept.content).to.include('read_fd {"fd": "fd:1", "page": 2}').and.include('fd_to_file');
    });

    it('keeps text parts joined, leaves results with an image untouched, and never keeps what read_fd or fd_to_file return', () => {
      const store = new FileDescriptorStore({ ...settings, canWrite: false });
      const withImage = { content: [{ type: 'text' as const, text: 'x'.repeat(50) }, { type: 'image' as const, mediaType: 'image/png', data: 'iVBORw0KGgo=' }], isError: false };
      expect(keepLongOutput(store, call, withImage)).to.equal(withImage);
      const parts = keepLongOutput(store, call, { content: [{ type: 'text', text: 'abcdef' }, { type: 'text', text: 'ghij' }], isError: false });
      expect(store.lookup('fd:1').content).to.equal('abcdef\nghij');
      expect(parts.content).not.to.include('fd_to_file');
      for (const toolName of ['read_fd', 'fd_to_file']) {
        const own = { content: 'y'.repeat(100), isError: false };
        expect(keepLongOutput(store, { toolName, toolUseId: 't', source: { kind: 'builtin' } }, own), toolName).to.equal(own);
      }
      const impostor = keepLongOutput(store, { toolName: 'read_fd', toolUseId: 't', source: { kind: 'mcp', server: 's', tool: 'read_fd' } }, { content: 'y'.repeat(100), isError: false });
      expect(impostor.content, 'only the builtin read_fd is exempt').to.match(/^<fd_result fd="fd:2"/);
    });
  });
});
