/**
 * Which content parts of a run's input Gemini takes: images of the types it reads inline and PDFs
 * (both as `inlineData`), within the 20 MB an inline request may carry; an image by URL is refused
 * (Gemini reads `fileData` only from its own File API or Cloud Storage, not from any `http(s)`
 * URL), so such a part is turned down at `run()` instead of getting a 400 from the API.
 *
 * @module
 */
import { checkInputLimits } from '../input-limits.js';
import type { InputPart, InputRefusal } from '../types.js';
import { GEMINI_IMAGE_TYPES, GEMINI_MAX_INLINE_BYTES } from './content-parts.js';

/** The first part Gemini would refuse, with why; `undefined` when it takes them all. */
export function geminiInputRefusal(parts: readonly InputPart[]): InputRefusal | undefined {
  for (const [index, part] of parts.entries()) {
    if (part.type === 'image_url') return { index, reason: 'Gemini does not fetch images by URL; give the image as base64 data (inputPartFromFile reads a file)' };
    if (part.type === 'image' && !GEMINI_IMAGE_TYPES.includes(part.mediaType)) {
      return { index, reason: `Gemini reads images of type ${GEMINI_IMAGE_TYPES.join(', ')}, not ${part.mediaType}` };
    }
  }
  return checkInputLimits(parts, {
    label: 'the Gemini API',
    maxImageBytes: GEMINI_MAX_INLINE_BYTES,
    maxImages: 3000,
    maxPdfPages: 1000,
    maxPdfBytes: GEMINI_MAX_INLINE_BYTES,
    maxMediaBase64: Math.ceil((GEMINI_MAX_INLINE_BYTES * 4) / 3),
  });
}
