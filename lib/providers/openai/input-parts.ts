/**
 * A user's content parts as Chat Completions content parts: text; an image as an `image_url` part
 * (a base64 data URL, or the image's own URL); a PDF as a `file` part with its data as a base64
 * data URL and a file name (the API wants one with `file_data`: the part's title, else
 * `document.pdf`). Pure functions, one per part type.
 *
 * @module
 */
import type OpenAI from 'openai';
import type { DocumentPart, ImageUrlPart, InputPart } from '../types.js';
import { toImageContent } from './image-parts.js';

/** A content part of a user message. */
export type InputContentPart = OpenAI.ChatCompletionContentPartText | OpenAI.ChatCompletionContentPartImage | OpenAI.ChatCompletionContentPart.File;

/** An image the API fetches by its URL. */
export function toImageUrlContent(part: ImageUrlPart): OpenAI.ChatCompletionContentPartImage {
  return { type: 'image_url', image_url: { url: part.url } };
}

/** A PDF as a `file` part. */
export function toFileContent(part: DocumentPart): OpenAI.ChatCompletionContentPart.File {
  return { type: 'file', file: { file_data: `data:${part.mediaType};base64,${part.data}`, filename: fileName(part.title) } };
}

/** `part` as a content part; `undefined` for empty text (R8). */
export function toInputContent(part: InputPart): InputContentPart | undefined {
  switch (part.type) {
    case 'text':
      return part.text === '' ? undefined : { type: 'text', text: part.text };
    case 'image':
      return toImageContent(part);
    case 'image_url':
      return toImageUrlContent(part);
    case 'document':
      return toFileContent(part);
  }
}

/** A file name for a PDF: its title with the characters a file name cannot have replaced, ending in `.pdf`. */
function fileName(title: string | undefined): string {
  const base = (title ?? 'document').replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '_').trim() || 'document';
  return /\.pdf$/i.test(base) ? base : `${base}.pdf`;
}
