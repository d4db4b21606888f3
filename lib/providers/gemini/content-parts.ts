/**
 * Neutral content parts as Gemini `Part`s, one small function per kind so that a new kind (a
 * document) is one more case: text is `{ text }`, an image or a PDF `{ inlineData: { mimeType, data } }`.
 * An image Gemini would refuse (a type it does not read, or too large to send inline) becomes a
 * text note instead (R22), so one bad tool output cannot break every later call.
 *
 * @module
 */
import type { Part } from '@google/genai';
import { decodedSize } from '../../input/media-bytes.js';
import type { DocumentPart, ImagePart, ImageUrlPart, TextPart } from '../types.js';

/** The image types Gemini reads inline. */
export const GEMINI_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/webp', 'image/heic', 'image/heif'];

/** The largest request Gemini takes with inline data, in bytes (20 MB); one image may not be larger. */
export const GEMINI_MAX_INLINE_BYTES = 20 * 1024 * 1024;

/** Why Gemini would refuse `image`, or `undefined` when it takes it. */
export function geminiImageProblem(image: ImagePart): string | undefined {
  if (!GEMINI_IMAGE_TYPES.includes(image.mediaType)) {
    return `an image of type ${image.mediaType} was left out: Gemini takes ${GEMINI_IMAGE_TYPES.join(', ')}`;
  }
  const bytes = decodedSize(image.data);
  if (bytes > GEMINI_MAX_INLINE_BYTES) return `an image of ${bytes} bytes was left out: Gemini takes inline data up to ${GEMINI_MAX_INLINE_BYTES} bytes`;
  return undefined;
}

/** The content parts this module maps (an image by URL only as a note: run() refuses it before, see input-support.ts). */
export type GeminiContentPart = TextPart | ImagePart | ImageUrlPart | DocumentPart;

/** `part` as a Gemini part; `undefined` for empty text (Gemini refuses it, R8). */
export function toGeminiPart(part: GeminiContentPart): Part | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { text: part.text };
    case 'image': {
      const problem = geminiImageProblem(part);
      return problem ? { text: `[${problem}]` } : { inlineData: { mimeType: part.mediaType, data: part.data } };
    }
    case 'document':
      return { inlineData: { mimeType: part.mediaType, data: part.data, ...(part.title !== undefined ? { displayName: part.title } : {}) } };
    case 'image_url':
      return { text: `[an image by URL was left out: Gemini does not fetch ${part.url}]` };
  }
}
