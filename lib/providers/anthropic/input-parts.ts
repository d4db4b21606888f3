/**
 * The Messages API blocks of a user's content parts beyond text and base64 images: an image by
 * URL (`source: { type: 'url' }`) and a PDF document (`source: { type: 'base64', media_type:
 * 'application/pdf' }`, with its `title`). Pure functions, one per part type.
 *
 * @module
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { DocumentPart, ImageUrlPart } from '../types.js';

/** An image the API fetches by its URL. */
export function toWireImageUrl(part: ImageUrlPart): Anthropic.ImageBlockParam {
  return { type: 'image', source: { type: 'url', url: part.url } };
}

/** A PDF, base64, titled when the part has a title. */
export function toWireDocument(part: DocumentPart): Anthropic.DocumentBlockParam {
  const block: Anthropic.DocumentBlockParam = { type: 'document', source: { type: 'base64', media_type: part.mediaType, data: part.data } };
  if (part.title !== undefined) block.title = part.title;
  return block;
}
