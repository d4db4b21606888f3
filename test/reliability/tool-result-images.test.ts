/**
 * R22: a tool result the API would refuse (an image type or size it does not take) never enters
 * the conversation: it becomes a text note, so one bad tool output cannot break every later run.
 * The fake server refuses such images with the API's 400.
 */
import { expect } from 'chai';
import * as v from 'valibot';
import { defineTool } from '../../lib/tools/function-tool.js';
import { toToolResult } from '../../lib/tools/tool-output.js';
import { fromMcpResult } from '../../lib/tools/mcp/mcp-content.js';
import { textReply, toolUseReply } from '../../lib/testing/index.js';
import { expectValidRequests, setupTest, type TestSetup } from '../support/setup.js';
import { stubTool } from '../support/tools.js';
import { withoutCaching } from '../../lib/testing/without-caching.js';

type Block = { type: string; text?: string; source?: { media_type: string }; content?: Block[] };
type Body = { messages: Array<{ role: string; content: Block[] }> };

const SVG = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>').toString('base64');
const PNG = 'iVBORw0KGgo=';
const JPEG_START = '/9j/4AAQSkZJRgABAQAAAQABAAD/';

describe('reliability: images the API would refuse (R22)', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  /** The content of the tool_result the second request sent back. */
  const sentResult = (): Block[] => (withoutCaching(t.server.requests[1]!.body) as Body).messages[2]!.content[0]!.content ?? [];

  it('R22: an SVG from a function tool and a BMP from a plain tool become text notes; this run and the next succeed', async () => {
    const drawing = defineTool({
      name: 'draw',
      description: 'Draws.',
      input: v.object({}),
      run: async () => [
        { type: 'text', text: 'Here it is.' },
        { type: 'image', mediaType: 'image/svg+xml', data: SVG },
        { type: 'image', mediaType: 'image/png', data: PNG },
      ],
    });
    const bitmap = stubTool('bitmap', async () => ({ content: [{ type: 'image', mediaType: 'image/bmp', data: 'Qk0=' }], isError: false }));
    t = await setupTest({ tools: [drawing, bitmap] });
    t.server.enqueue(
      toolUseReply([
        { name: 'draw', input: {} },
        { name: 'bitmap', input: {} },
      ]),
      textReply('I see a drawing.'),
      textReply('Still fine.'),
    );
    const result = await t.process.run('Draw something');
    expect(result.stopReason).to.equal('end_turn');
    const [drawResult, bitmapResult] = (withoutCaching(t.server.requests[1]!.body) as Body).messages[2]!.content;
    expect(drawResult!.content!.map((block) => block.type)).to.deep.equal(['text', 'text', 'image']);
    expect(drawResult!.content![1]!.text).to.match(/^\[image not sent: image\/svg\+xml \(\d+ bytes\) is not a type the model API takes; it takes image\/jpeg, image\/png, image\/gif, image\/webp\]$/);
    expect(drawResult!.content![2]!.source!.media_type).to.equal('image/png');
    expect(bitmapResult!.content![0]!.text).to.match(/^\[image not sent: image\/bmp \(2 bytes\)/);
    await t.process.run('And now?');
    expect(t.process.getLastMessage()).to.equal('Still fine.');
    expectValidRequests(t);
  });

  it('R22: an accepted type spelled another way is sent as the API spells it', async () => {
    t = await setupTest({ tools: [stubTool('photo', async () => ({ content: [{ type: 'image', mediaType: 'IMAGE/JPG', data: JPEG_START }], isError: false }))] });
    t.server.enqueue(toolUseReply([{ name: 'photo', input: {} }]), textReply('ok'));
    await t.process.run('photo');
    expect(sentResult()[0]!.source!.media_type).to.equal('image/jpeg');
  });

  it('R22: an image whose bytes are not of its media type (the API reads them) becomes a text note; the next run works', async () => {
    const mislabelled = stubTool('photo', async () => ({ content: [{ type: 'image', mediaType: 'image/jpeg', data: PNG }, { type: 'image', mediaType: 'image/png', data: 'not base64!' }], isError: false }));
    t = await setupTest({ tools: [mislabelled] });
    t.server.enqueue(toolUseReply([{ name: 'photo', input: {} }]), textReply('ok'), textReply('still ok'));
    await t.process.run('photo');
    expect(sentResult().map((block) => block.text)).to.deep.equal([
      '[image not sent: the data of this image/jpeg image (8 bytes) is a PNG image instead, which the model API refuses]',
      '[image not sent: the data of this image/png image (8 bytes) is not such an image, which the model API refuses]',
    ]);
    await t.process.run('again');
    expect(t.process.getLastMessage()).to.equal('still ok');
    expectValidRequests(t);
  });

  it('R22: an image over 5 MB of base64 from a function tool or an MCP server becomes a note naming its size and the limit', () => {
    const huge = 'A'.repeat(5 * 1024 * 1024 + 4);
    const fromFunction = toToolResult([{ type: 'image', mediaType: 'image/png', data: huge }]);
    expect(fromFunction.content).to.deep.equal([
      { type: 'text', text: "[image not sent: image/png of 3932163 bytes is over the model API's limit of 5242880 bytes of base64 per image (about 3.75 MB of image)]" },
    ]);
    const fromMcp = fromMcpResult({ content: [{ type: 'text', text: 'shot' }, { type: 'image', mimeType: 'image/png', data: huge }] });
    expect(fromMcp.content).to.deep.equal([{ type: 'text', text: 'shot' }, (fromFunction.content as unknown[])[0]]);
  });

  it('R22: an SVG from an MCP server becomes a note; a PNG stays an image', () => {
    const result = fromMcpResult({ content: [{ type: 'image', mimeType: 'image/svg+xml', data: SVG }, { type: 'image', mimeType: 'image/png', data: PNG }] });
    expect(result.content).to.deep.equal([
      { type: 'text', text: `[image not sent: image/svg+xml (${Buffer.from(SVG, 'base64').length} bytes) is not a type the model API takes; it takes image/jpeg, image/png, image/gif, image/webp]` },
      { type: 'image', mediaType: 'image/png', data: PNG },
    ]);
  });
});
