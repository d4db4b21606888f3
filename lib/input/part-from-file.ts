/**
 * `inputPartFromFile(path)`: an image or a PDF on disk as a content part of `run()`'s input, its
 * type read from its bytes (not its name).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InvalidArgumentError } from '../errors.js';
import type { DocumentPart, ImagePart } from '../providers/types.js';
import { sniffMediaType } from './media-bytes.js';

/**
 * Reads `file` and returns it as an image part (JPEG, PNG, GIF, WebP) or a document part (a PDF,
 * titled with its file name without extension unless `options.title` is given).
 * @throws {InvalidArgumentError} (`file`) when the file is none of those; the file system's error
 *   when it cannot be read.
 */
export async function inputPartFromFile(file: string, options: { title?: string | undefined } = {}): Promise<ImagePart | DocumentPart> {
  const bytes = await readFile(file);
  const mediaType = sniffMediaType(bytes);
  if (mediaType === undefined) throw new InvalidArgumentError('file', `${file} is neither a JPEG, PNG, GIF or WebP image nor a PDF (read from its first bytes)`);
  const data = bytes.toString('base64');
  if (mediaType !== 'application/pdf') return { type: 'image', mediaType, data };
  return { type: 'document', mediaType, data, title: options.title ?? path.basename(file, path.extname(file)) };
}
