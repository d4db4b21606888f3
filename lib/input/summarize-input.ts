/**
 * A run's input as events, run logs and traces show it: text as it is, media by type and size,
 * never their data (a PDF's base64 can be megabytes; it is the user's, and stays in the
 * conversation and snapshots only).
 *
 * @module
 */
import type { InputPart } from '../providers/types.js';
import { decodedSize, formatBytes, pdfPageCount } from './media-bytes.js';

/** A content part of a run's input, its data left out. */
export type InputPartSummary =
  | { type: 'text'; text: string }
  | { type: 'image'; mediaType: string; bytes: number }
  | { type: 'image_url'; url: string }
  | { type: 'document'; mediaType: string; bytes: number; pages?: number | undefined; title?: string | undefined };

/** A part without its data. */
export function summarizePart(part: InputPart): InputPartSummary {
  switch (part.type) {
    case 'text':
      return part;
    case 'image':
      return { type: 'image', mediaType: part.mediaType, bytes: decodedSize(part.data) };
    case 'image_url':
      return part;
    case 'document': {
      const pages = pdfPageCount(Buffer.from(part.data, 'base64'));
      return { type: 'document', mediaType: part.mediaType, bytes: decodedSize(part.data), ...(pages === undefined ? {} : { pages }), ...(part.title === undefined ? {} : { title: part.title }) };
    }
  }
}

/** A part in a line of text: its text, or `[image image/png, 4.2 KB]`, `[image https://…]`, `[PDF "Q3", 3 pages, 1.2 MB]`. */
export function partText(part: InputPartSummary): string {
  switch (part.type) {
    case 'text':
      return part.text;
    case 'image':
      return `[image ${part.mediaType}, ${formatBytes(part.bytes)}]`;
    case 'image_url':
      return `[image ${part.url}]`;
    case 'document': {
      const details = [part.title === undefined ? undefined : JSON.stringify(part.title), part.pages === undefined ? undefined : `${part.pages} page${part.pages === 1 ? '' : 's'}`, formatBytes(part.bytes)];
      return `[PDF ${details.filter(Boolean).join(', ')}]`;
    }
  }
}

/** What `run:start` says of an input: the prompt, or the parts' line of text and their summaries. */
export function summarizeInput(input: string | readonly InputPart[]): { input: string; parts?: InputPartSummary[] } {
  if (typeof input === 'string') return { input };
  const parts = input.map(summarizePart);
  return { input: parts.map(partText).filter((text) => text !== '').join(' '), parts };
}
