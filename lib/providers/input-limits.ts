/**
 * The size and count limits a model API puts on the images and documents of one request, checked
 * on a run's input before it is sent (see {@link ModelProvider.checkInput}). Each provider gives
 * its API's numbers; the check is the same.
 *
 * @module
 */
import { decodedSize, formatBytes, pdfPageCount } from '../input/media-bytes.js';
import type { InputPart, InputRefusal } from './types.js';

/** One API's limits on the media of a request. */
export interface InputLimits {
  /** How the API is named in a reason (`the Anthropic API`). */
  label: string;
  /** The largest image, in decoded bytes. */
  maxImageBytes: number;
  /** The largest image, in base64 characters (Anthropic counts those), when the API has such a limit. */
  maxImageBase64?: number | undefined;
  /** The most images (base64 or by URL) in one request. */
  maxImages: number;
  /** The most PDF pages in one request (over all its PDFs). */
  maxPdfPages: number;
  /** The most PDF bytes in one request (over all its PDFs). */
  maxPdfBytes: number;
  /** The most base64 characters of media in one request (the API's request size limit). */
  maxMediaBase64: number;
}

/** The first part of `parts` over `limits`, with why; `undefined` when all are within them. */
export function checkInputLimits(parts: readonly InputPart[], limits: InputLimits): InputRefusal | undefined {
  let images = 0;
  let pages = 0;
  let pdfBytes = 0;
  let media = 0;
  for (const [index, part] of parts.entries()) {
    if (part.type === 'text') continue;
    if (part.type === 'image_url' || part.type === 'image') images++;
    if (images > limits.maxImages) return { index, reason: `${limits.label} takes at most ${limits.maxImages} images in one request` };
    if (part.type === 'image_url') continue;
    media += part.data.length;
    if (media > limits.maxMediaBase64) return { index, reason: `the input's images and documents come to over ${formatBytes(limits.maxMediaBase64)} of base64, more than ${limits.label} takes in one request` };
    const bytes = decodedSize(part.data);
    if (part.type === 'image') {
      if (bytes > limits.maxImageBytes || (limits.maxImageBase64 !== undefined && part.data.length > limits.maxImageBase64)) {
        const limit = limits.maxImageBase64 !== undefined ? `${formatBytes(limits.maxImageBase64)} of base64 per image` : `${formatBytes(limits.maxImageBytes)} per image`;
        return { index, reason: `the image is ${formatBytes(bytes)} (${formatBytes(part.data.length)} of base64), over ${limits.label}'s limit of ${limit}` };
      }
      continue;
    }
    pdfBytes += bytes;
    if (pdfBytes > limits.maxPdfBytes) return { index, reason: `the input's PDFs come to ${formatBytes(pdfBytes)}, over ${limits.label}'s limit of ${formatBytes(limits.maxPdfBytes)} of PDFs per request` };
    pages += pdfPageCount(Buffer.from(part.data, 'base64')) ?? 0;
    if (pages > limits.maxPdfPages) return { index, reason: `the input's PDFs have ${pages} pages, over ${limits.label}'s limit of ${limits.maxPdfPages} pages per request` };
  }
  return undefined;
}
