/**
 * What the offline scripted model says about the images and documents it was sent: their type,
 * size, a PNG's or GIF's pixel size, a PDF's title and page count. It reads Messages API blocks
 * (the OpenAI scripted model translates its parts to them first).
 *
 * @module
 */
import { decodedSize, formatBytes, pdfPageCount } from '../input/media-bytes.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Width × height of a PNG (its IHDR chunk) or a GIF (its screen descriptor), when `bytes` is one. */
function pixelSize(bytes: Buffer, mediaType: string): string | undefined {
  if (mediaType === 'image/png' && bytes.length >= 24) return `${bytes.readUInt32BE(16)}×${bytes.readUInt32BE(20)} px`;
  if (mediaType === 'image/gif' && bytes.length >= 10) return `${bytes.readUInt16LE(6)}×${bytes.readUInt16LE(8)} px`;
  return undefined;
}

function describeImage(source: Json): string {
  if (source['type'] === 'url') return `an image at ${String(source['url'])}`;
  const data = typeof source['data'] === 'string' ? source['data'] : '';
  const mediaType = String(source['media_type']);
  const details = [mediaType, pixelSize(Buffer.from(data, 'base64'), mediaType), formatBytes(decodedSize(data))].filter(Boolean);
  return `an image (${details.join(', ')})`;
}

function describeDocument(block: Json, source: Json): string {
  if (source['type'] === 'url') return `a document at ${String(source['url'])}`;
  const data = typeof source['data'] === 'string' ? source['data'] : '';
  const pages = source['media_type'] === 'application/pdf' ? pdfPageCount(Buffer.from(data, 'base64')) : undefined;
  const details = [typeof block['title'] === 'string' ? JSON.stringify(block['title']) : undefined, pages === undefined ? undefined : `${pages} page${pages === 1 ? '' : 's'}`, formatBytes(decodedSize(data))];
  return `a ${source['media_type'] === 'application/pdf' ? 'PDF' : 'document'} (${details.filter(Boolean).join(', ')})`;
}

/** One phrase per image or document block among `blocks`: `an image (image/png, 1×1 px, 67 bytes)`. */
export function describeMedia(blocks: readonly unknown[]): string[] {
  const phrases: string[] = [];
  for (const block of blocks) {
    if (!isObject(block) || !isObject(block['source'])) continue;
    if (block['type'] === 'image') phrases.push(describeImage(block['source']));
    else if (block['type'] === 'document') phrases.push(describeDocument(block, block['source']));
  }
  return phrases;
}
