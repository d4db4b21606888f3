import { expect } from 'chai';
import { fromMcpResult } from '../../../lib/tools/mcp/mcp-content.js';

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
          { type: 'image', mimeType: 'image/jpeg', data: 'AAAA' },
          { type: 'text', text: 'b' },
        ],
      }),
    ).to.deep.equal({
      content: [
        { type: 'text', text: 'a' },
        { type: 'image', mediaType: 'image/jpeg', data: 'AAAA' },
        { type: 'text', text: 'b' },
      ],
      isError: false,
    });
  });

  it('gives an embedded text resource as its text, and other items as JSON text', () => {
    const link = { type: 'resource_link', uri: 'file:///x', name: 'x' };
    const blob = { type: 'resource', resource: { uri: 'file:///y', mimeType: 'application/pdf', blob: 'JVBE' } };
    const audio = { type: 'audio', mimeType: 'audio/wav', data: 'UklG' };
    expect(fromMcpResult({ content: [{ type: 'resource', resource: { uri: 'memo://n', text: 'note' } }, link, blob, audio] })).to.deep.equal({
      content: [
        { type: 'text', text: 'note' },
        { type: 'text', text: JSON.stringify(link) },
        { type: 'text', text: JSON.stringify(blob) },
        { type: 'text', text: JSON.stringify(audio) },
      ],
      isError: false,
    });
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
