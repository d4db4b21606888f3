import { expect } from 'chai';
import { fromMcpResult } from '../../../lib/tools/mcp/mcp-content.js';
import { JPEG_START } from '../../../lib/testing/media-fixtures.js';

describe('fromMcpResult', () => {
  it('gives one text item as a string and keeps isError', () => {
    expect(fromMcpResult({ content: [{ type: 'text', text: 'hi' }] })).to.deep.equal({ content: 'hi', isError: false });
    expect(fromMcpResult({ content: [{ type: 'text', text: 'no' }], isError: true })).to.deep.equal({ content: 'no', isError: true });
  });

  it('gives several items as parts: text parts and image parts', () => {
    expect(
      fromMcpResult({
        content: [
          { type: 'text', text: 'a' },
          { type: 'image', mimeType: 'image/jpeg', data: JPEG_START },
          { type: 'text', text: 'b' },
        ],
      }),
    ).to.deep.equal({
      content: [
        { type: 'text', text: 'a' },
        { type: 'image', mediaType: 'image/jpeg', data: JPEG_START },
        { type: 'text', text: 'b' },
      ],
      isError: false,
    });
  });

  it('gives an embedded text resource as its text, and a resource link as JSON text', () => {
    const link = { type: 'resource_link', uri: 'file:///x', name: 'x' };
    expect(fromMcpResult({ content: [{ type: 'resource', resource: { uri: 'memo://n', text: 'note' } }, link] })).to.deep.equal({
      content: [
        { type: 'text', text: 'note' },
        { type: 'text', text: JSON.stringify(link) },
      ],
      isError: false,
    });
  });

  it('summarizes audio and blob resources (type, mime type, size in bytes, uri) instead of sending their base64', () => {
    const base64 = Buffer.alloc(3000, 7).toString('base64');
    const blob = { type: 'resource', resource: { uri: 'file:///y.pdf', mimeType: 'application/pdf', blob: base64 } };
    const audio = { type: 'audio', mimeType: 'audio/wav', data: base64 };
    const { content } = fromMcpResult({ content: [blob, audio] });
    expect(content).to.deep.equal([
      { type: 'text', text: '[resource file:///y.pdf: application/pdf, 3000 bytes of binary data, not shown]' },
      { type: 'text', text: '[audio: audio/wav, 3000 bytes, not shown]' },
    ]);
    expect(JSON.stringify(content)).not.to.include(base64.slice(0, 40));
  });

  it('summarizes one audio item, or a blob without a mime type, the same way', () => {
    expect(fromMcpResult({ content: [{ type: 'audio', mimeType: 'audio/mpeg', data: 'AAAA' }] })).to.deep.equal({ content: '[audio: audio/mpeg, 3 bytes, not shown]', isError: false });
    expect(fromMcpResult({ content: [{ type: 'resource', resource: { uri: 'x://b', blob: 'AAA=' } }] }).content).to.equal(
      '[resource x://b: unknown type, 2 bytes of binary data, not shown]',
    );
  });

  it('gives structured content without content as JSON text, and nothing as an empty string', () => {
    expect(fromMcpResult({ content: [], structuredContent: { answer: 42 } })).to.deep.equal({ content: '{"answer":42}', isError: false });
    expect(fromMcpResult({ toolResult: [1, 2] })).to.deep.equal({ content: '[1,2]', isError: false });
    expect(fromMcpResult({ content: [], isError: true })).to.deep.equal({ content: '', isError: true });
  });

  it('prefers content over structured content when both are there', () => {
    expect(fromMcpResult({ content: [{ type: 'text', text: '42' }], structuredContent: { answer: 42 } })).to.deep.equal({ content: '42', isError: false });
  });
});
