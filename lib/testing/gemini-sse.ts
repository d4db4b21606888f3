/**
 * A Gemini response as the chunks `:streamGenerateContent?alt=sse` sends: the text in word-sized
 * pieces, each function call whole, every chunk with the response id and model version, the
 * prompt's token count on each chunk and the full usage and finish reason on the last. On the
 * wire each is `data: {...}` followed by a blank line (`\r\n\r\n`, as Google sends it).
 *
 * @module
 */
import type { WireGeminiPart, WireGeminiResponse } from './gemini-wire.js';
import { wordChunks } from './sse.js';

/** One chunk, as JSON. */
export type WireGeminiChunk = Record<string, unknown>;

/** One chunk as it goes on the wire. */
export function formatGeminiChunk(chunk: WireGeminiChunk): string {
  return `data: ${JSON.stringify(chunk)}\r\n\r\n`;
}

/** The pieces of a part: text in words (the first piece keeps the part's other fields), any other part whole. */
function partPieces(part: WireGeminiPart): WireGeminiPart[] {
  if (typeof part['text'] !== 'string' || part['text'] === '') return [part];
  const { text, ...rest } = part;
  return wordChunks(text).map((piece, i) => (i === 0 ? { ...rest, text: piece } : { text: piece }));
}

/** The chunks that stream `response` (whose `responseId` and `modelVersion` are filled in). */
export function geminiResponseChunks(response: WireGeminiResponse): WireGeminiChunk[] {
  const { candidates, usageMetadata, ...head } = response;
  const candidate = candidates[0];
  const pieces = (candidate?.content.parts ?? []).flatMap(partPieces);
  const prompt = { promptTokenCount: usageMetadata.promptTokenCount, totalTokenCount: usageMetadata.promptTokenCount };
  const chunks: WireGeminiChunk[] = pieces.map((part) => ({ ...head, candidates: [{ content: { role: 'model', parts: [part] }, index: 0 }], usageMetadata: prompt }));
  const last = chunks.at(-1);
  if (!candidate) chunks.push({ ...head, candidates: [], usageMetadata });
  else if (!last) chunks.push({ ...head, candidates: [{ content: { role: 'model', parts: [] }, finishReason: candidate.finishReason, index: 0 }], usageMetadata });
  else {
    (last['candidates'] as Record<string, unknown>[])[0]!['finishReason'] = candidate.finishReason;
    last['usageMetadata'] = usageMetadata;
  }
  return chunks;
}
