/**
 * run()'s content parts as the rest of llmproc meets them: malformed parts refused with an
 * InvalidInputPartError naming the part (nothing sent, history unchanged), beforeRun rewriting
 * them, events, run logs and traces naming media by type and size (never their data), snapshots
 * keeping them (base64 is the user's data) and restoring them.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sinon from 'sinon';
import { HookError, InvalidArgumentError } from '../../lib/errors.js';
import { InvalidInputPartError, UnsupportedInputError } from '../../lib/input/input-errors.js';
import { writeRunLog } from '../../lib/observability/run-log/write-run-log.js';
import { instrument } from '../../lib/observability/tracing/index.js';
import { LLMProgram } from '../../lib/program/llm-program.js';
import { JPEG_START, textReply, TINY_PNG, tinyPdf, withoutCaching } from '../../lib/testing/index.js';
import { recordSpans } from '../observability/support/spans.js';
import { rejectionOf } from '../support/promises.js';
import { expectValidRequests, SENTINEL_API_KEY, setupTest, type TestSetup } from '../support/setup.js';

const PDF = tinyPdf(3);

describe('run() content parts through the process', () => {
  let t: TestSetup;
  afterEach(async () => t?.close());

  describe('when a part is malformed', () => {
    for (const [label, part, argument, expected] of [
      ['not an object', 'hi', 'input[1]', /expected a content part: \{ type: 'text', text \}/],
      ['of an unknown type', { type: 'audio', data: 'AAAA' }, 'input[1].type', /expected one of \{ type: 'text', text \}.*received "audio"/],
      ['text that is not a string', { type: 'text', text: 42 }, 'input[1].text', /expected a string, received a number/],
      ['an SVG image', { type: 'image', mediaType: 'image/svg+xml', data: 'PHN2Zz4=' }, 'input[1].mediaType', /expected one of image\/jpeg, image\/png, image\/gif, image\/webp, received "image\/svg\+xml"/],
      ['a PNG labelled JPEG', { type: 'image', mediaType: 'image/jpeg', data: TINY_PNG }, 'input[1].data', /expected a JPEG image, as mediaType says, received a PNG image/],
      ['image data that is a data: URL', { type: 'image', mediaType: 'image/png', data: `data:image/png;base64,${TINY_PNG}` }, 'input[1].data', /received a data: URL; give only the base64 text after its comma/],
      ['image data that is not base64', { type: 'image', mediaType: 'image/png', data: 'a photo' }, 'input[1].data', /expected base64 text, received text that is not base64/],
      ['an image part with a url', { type: 'image', url: 'https://example.com/a.png' }, 'input[1]', /an image by URL is \{ type: 'image_url', url \}/],
      ['an image_url that is a data: URL', { type: 'image_url', url: `data:image/png;base64,${TINY_PNG}` }, 'input[1].url', /give image data as \{ type: 'image', mediaType, data \}/],
      ['an image_url of another scheme', { type: 'image_url', url: 'file:///etc/passwd' }, 'input[1].url', /expected an http\(s\) URL, received a file: URL/],
      ['a text document', { type: 'document', mediaType: 'text/plain', data: 'aGk=' }, 'input[1].mediaType', /give plain text as a text part/],
      ['a PDF that is a JPEG', { type: 'document', mediaType: 'application/pdf', data: JPEG_START }, 'input[1].data', /expected a PDF document \(its bytes start with %PDF-\), received a JPEG image/],
      ['a PDF with an empty title', { type: 'document', mediaType: 'application/pdf', data: PDF, title: ' ' }, 'input[1].title', /expected a non-empty string, or no title/],
    ] as const) {
      it(`refuses ${label} with an InvalidInputPartError naming the part; nothing is sent, the history is unchanged`, async () => {
        t = await setupTest();
        t.server.enqueue(textReply('first'));
        await t.process.run('hello');
        const before = t.process.getState();
        const error = await rejectionOf(t.process.run([{ type: 'text', text: 'look' }, part as never]));
        expect(error).to.be.instanceOf(InvalidInputPartError).and.instanceOf(InvalidArgumentError).and.include({ argument, index: 1 });
        expect((error as Error).message).to.match(new RegExp(`^${argument.replace(/[[\].]/g, '\\$&')}: `));
        expect((error as Error).message).to.match(expected);
        expect(t.server.requests).to.have.length(1);
        expect(t.process.getState()).to.deep.equal(before);
        expect(t.process.running).to.equal(false);
      });
    }

    it('refuses parts that are all empty text', async () => {
      t = await setupTest();
      const error = await rejectionOf(t.process.run([{ type: 'text', text: ' ' }]));
      expect(error).to.be.instanceOf(InvalidArgumentError).with.property('argument', 'input');
      expect((error as Error).message).to.equal('input: expected a content part that is not empty text: the input has nothing to send');
    });

    it('refuses media on a provider that does not declare what it takes (checkInput), naming it', async () => {
      t = await setupTest();
      const program = new LLMProgram({ model: 'm', provider: 'anthropic', systemPrompt: '' });
      const provider = { name: 'homemade', complete: sinon.spy(), describeError: () => ({ message: 'x' }) };
      const process = await program.start({ provider });
      const error = await rejectionOf(process.run([{ type: 'text', text: 'hi' }, { type: 'image', mediaType: 'image/png', data: TINY_PNG }]));
      expect(error).to.be.instanceOf(UnsupportedInputError).and.include({ provider: 'homemade', index: 1 });
      expect(provider.complete.called).to.equal(false);
      await process.close();
    });
  });

  describe('beforeRun', () => {
    it('gets the checked parts (a copy) and may answer other parts, which are checked and sent', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('ok'));
      const seen: unknown[] = [];
      const beforeRun = ({ input }: { input: unknown }) => {
        seen.push(structuredClone(input));
        (input as Array<{ type: string }>)[0]!.type = 'changed';
        return { input: [{ type: 'document' as const, mediaType: 'application/pdf' as const, data: Buffer.from(PDF, 'base64') }, { type: 'text' as const, text: 'Summarize.' }] };
      };
      await t.process.run([{ type: 'image', mediaType: 'IMAGE/PNG', data: TINY_PNG }], { hooks: { beforeRun } });
      expect(seen).to.deep.equal([[{ type: 'image', mediaType: 'image/png', data: TINY_PNG }]]);
      const sent = (withoutCaching(t.server.requests[0]!.body) as { messages: Array<{ content: unknown[] }> }).messages[0]!.content;
      expect(sent).to.deep.equal([{ type: 'document', source: { type: 'base64', media_type: 'application/pdf', data: PDF } }, { type: 'text', text: 'Summarize.' }]);
      expectValidRequests(t);
    });

    it('a hook that answers a malformed part fails the run with a HookError whose cause names the part; nothing enters the history', async () => {
      t = await setupTest();
      const error = await rejectionOf(t.process.run('hi', { hooks: { beforeRun: () => ({ input: [{ type: 'image', mediaType: 'image/bmp', data: 'Qk0=' }] as never }) } }));
      expect(error).to.be.instanceOf(HookError);
      expect((error as Error).message).to.include('answered an input that cannot be sent: input[0].mediaType: expected one of image/jpeg');
      expect((error as HookError).cause).to.be.instanceOf(InvalidInputPartError);
      expect(t.server.requests).to.have.length(0);
      expect(t.process.getState()).to.deep.equal([]);
    });
  });

  describe('what observers see', () => {
    let dir: string;
    beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'llmproc-parts-'))));
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('run:start, the run log and the trace name media by type and size, never their data', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('seen'));
      const runStart = sinon.spy();
      t.process.on('run:start', runStart);
      const file = path.join(dir, 'runs.jsonl');
      const detachLog = writeRunLog(t.process, file);
      const spans = recordSpans();
      const detachTrace = instrument(t.process, { tracer: spans.tracer, captureContent: true });
      await t.process.run([
        { type: 'text', text: 'Compare' },
        { type: 'image', mediaType: 'image/png', data: TINY_PNG },
        { type: 'document', mediaType: 'application/pdf', data: PDF, title: 'Q3' },
      ]);
      detachLog();
      detachTrace();
      const event = runStart.firstCall.args[0];
      expect(event.input).to.equal('Compare [image image/png, 70 bytes] [PDF "Q3", 3 pages, ' + `${Buffer.from(PDF, 'base64').length} bytes]`);
      expect(event.parts).to.deep.equal([
        { type: 'text', text: 'Compare' },
        { type: 'image', mediaType: 'image/png', bytes: 70 },
        { type: 'document', mediaType: 'application/pdf', bytes: Buffer.from(PDF, 'base64').length, pages: 3, title: 'Q3' },
      ]);
      const log = readFileSync(file, 'utf8');
      expect(JSON.parse(log.split('\n')[0]!).data.parts).to.deep.equal(event.parts);
      const traced = JSON.stringify(spans.finished().map((span) => span.attributes));
      const prompts = spans.finished().map((span) => String(span.attributes['gen_ai.input.messages'] ?? '')).join('\n');
      expect(prompts).to.include('{"type":"blob","modality":"image","mime_type":"image/png","size":70}');
      expect(prompts).to.include('{"type":"blob","modality":"document","mime_type":"application/pdf"');
      for (const text of [log, JSON.stringify(runStart.args), traced]) {
        expect(text).not.to.include(TINY_PNG);
        expect(text).not.to.include(PDF);
      }
      await spans.shutdown();
    });
  });

  describe('snapshots', () => {
    it('keep the parts with their data, and a restored process sends them again', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('seen'), textReply('again'));
      await t.process.run([{ type: 'text', text: 'Look' }, { type: 'image_url', url: 'https://example.com/a.png' }, { type: 'document', mediaType: 'application/pdf', data: PDF }]);
      const snapshot = JSON.parse(JSON.stringify(t.process.snapshot()));
      expect(snapshot.messages[0].content).to.deep.equal([
        { type: 'text', text: 'Look' },
        { type: 'image_url', url: 'https://example.com/a.png' },
        { type: 'document', mediaType: 'application/pdf', data: PDF },
      ]);
      const restored = await LLMProgram.restore(snapshot, { apiKey: SENTINEL_API_KEY, baseURL: t.server.url, maxRetries: 0 });
      await restored.run('And again?');
      const sent = (t.server.requests[1]!.body as { messages: Array<{ content: Array<{ type: string }> }> }).messages[0]!.content.map((block) => block.type);
      expect(sent).to.deep.equal(['text', 'image', 'document']);
      await restored.close();
    });

    it('a checkpoint taken mid-run keeps the run\'s input parts, and the restored run resumes', async () => {
      t = await setupTest();
      t.server.enqueue(textReply('done'));
      const checkpoints: unknown[] = [];
      t.process.on('checkpoint', ({ snapshot }) => checkpoints.push(JSON.parse(JSON.stringify(snapshot))));
      await t.process.run([{ type: 'image', mediaType: 'image/png', data: TINY_PNG }, { type: 'text', text: 'what?' }]);
      const [first] = checkpoints as Array<{ run: { state: { input: unknown } } }>;
      expect(first!.run.state.input).to.deep.equal([{ type: 'image', mediaType: 'image/png', data: TINY_PNG }, { type: 'text', text: 'what?' }]);
      const restored = await LLMProgram.restore(first, { apiKey: SENTINEL_API_KEY, baseURL: t.server.url, maxRetries: 0 });
      const result = await restored.resume();
      expect(result.stopReason).to.equal('end_turn');
      await restored.close();
    });
  });
});
