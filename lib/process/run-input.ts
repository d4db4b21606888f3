/**
 * The check on `run()`'s input: a prompt (a non-empty string), or content parts — text, images
 * (base64 data, or an `http(s)` URL) and PDF documents. Every part is checked and brought to one
 * form (base64 data as a string, the media type as the APIs spell it) before anything enters the
 * conversation, so a bad part leaves it unchanged (R6); then the provider says which parts it
 * cannot take ({@link assertProviderTakes}).
 *
 * @module
 */
import { InvalidArgumentError } from '../errors.js';
import { ACCEPTED_IMAGE_TYPES, acceptedImageType } from '../providers/accepted-images.js';
import type { DocumentPart, ImagePart, ImageUrlPart, InputPart, ModelProvider, TextPart } from '../providers/types.js';
import { InvalidInputPartError, UnsupportedInputError } from '../input/input-errors.js';
import { base64Problem, MEDIA_TYPE_NAMES, sniffBase64 } from '../input/media-bytes.js';

/** Base64 data as `run()` takes it: a base64 string, or the bytes themselves. */
export type InputData = string | Uint8Array;

/**
 * One content part of `run()`'s input:
 * - `{ type: 'text', text }`;
 * - `{ type: 'image', mediaType, data }`: `image/jpeg`, `image/png`, `image/gif` or `image/webp`,
 *   `data` base64 or bytes;
 * - `{ type: 'image_url', url }`: an `http(s)` URL the provider fetches (Anthropic, OpenAI);
 * - `{ type: 'document', mediaType: 'application/pdf', data, title? }`: a PDF.
 */
export type RunInputPart =
  | TextPart
  | (Omit<ImagePart, 'data'> & { data: InputData })
  | ImageUrlPart
  | (Omit<DocumentPart, 'data'> & { data: InputData });

/** What `run()` takes: a prompt, or content parts (at least one that is not empty text). */
export type RunInput = string | readonly RunInputPart[];

/** A run's input once checked: the prompt, or its parts with base64 data. */
export type CheckedInput = string | InputPart[];

const PART_TYPES = "{ type: 'text', text }, { type: 'image', mediaType, data }, { type: 'image_url', url } or { type: 'document', mediaType: 'application/pdf', data }";

/**
 * Checks `run()`'s input and returns it in one form: a string as it is, parts as new objects with
 * base64 string data.
 * @throws {InvalidArgumentError} (`input`) for an input that is neither a non-empty string nor a
 *   non-empty array of parts; {@link InvalidInputPartError} naming the part (`input[1].mediaType`)
 *   and what was expected.
 */
export function readRunInput(input: unknown): CheckedInput {
  if (typeof input === 'string' && input.trim() !== '') return input;
  if (!Array.isArray(input) || input.length === 0) {
    throw new InvalidArgumentError('input', `expected a non-empty prompt (a string) or an array of content parts, received ${describeInput(input)}`);
  }
  const parts = input.map((part: unknown, index) => readPart(part, index));
  if (parts.every((part) => part.type === 'text' && part.text.trim() === '')) {
    throw new InvalidArgumentError('input', 'expected a content part that is not empty text: the input has nothing to send');
  }
  return parts;
}

/**
 * Asks the provider whether it takes every part of `input` for `model` (a string always goes).
 * @throws {UnsupportedInputError} naming the provider, the part and why.
 */
export function assertProviderTakes(provider: ModelProvider, model: string, input: CheckedInput): void {
  if (typeof input === 'string') return;
  const refusal = provider.checkInput
    ? provider.checkInput(input, model)
    : textOnly(input);
  if (!refusal) return;
  const part = input[refusal.index]!;
  throw new UnsupportedInputError({ provider: provider.name, model, index: refusal.index, partType: part.type, reason: refusal.reason });
}

/** A provider that does not say what it takes is sent text only. */
function textOnly(parts: readonly InputPart[]): { index: number; reason: string } | undefined {
  const index = parts.findIndex((part) => part.type !== 'text');
  return index === -1 ? undefined : { index, reason: 'it does not declare content parts it can send (it has no checkInput), so it is given text only' };
}

function readPart(part: unknown, index: number): InputPart {
  if (part === null || typeof part !== 'object' || Array.isArray(part)) throw new InvalidInputPartError(index, undefined, `a content part: ${PART_TYPES}`, describeInput(part));
  const fields = part as Record<string, unknown>;
  switch (fields['type']) {
    case 'text':
      if (typeof fields['text'] !== 'string') throw new InvalidInputPartError(index, 'text', 'a string', describeInput(fields['text']));
      return { type: 'text', text: fields['text'] };
    case 'image':
      return readImage(fields, index);
    case 'image_url':
      return readImageUrl(fields, index);
    case 'document':
      return readDocument(fields, index);
    default:
      throw new InvalidInputPartError(index, 'type', `one of ${PART_TYPES}`, describeInput(fields['type']));
  }
}

function readImage(fields: Record<string, unknown>, index: number): ImagePart {
  if (fields['url'] !== undefined) throw new InvalidInputPartError(index, undefined, "{ type: 'image', mediaType, data }; an image by URL is { type: 'image_url', url }", 'an image part with a url');
  const given = fields['mediaType'];
  const mediaType = typeof given === 'string' ? acceptedImageType(given) : undefined;
  if (mediaType === undefined) throw new InvalidInputPartError(index, 'mediaType', `one of ${ACCEPTED_IMAGE_TYPES.join(', ')}`, describeInput(given));
  const data = readData(fields['data'], index);
  const format = sniffBase64(data);
  if (format !== mediaType) {
    throw new InvalidInputPartError(index, 'data', `${MEDIA_TYPE_NAMES[mediaType]}, as mediaType says`, format ? MEDIA_TYPE_NAMES[format] : 'data that is not a JPEG, PNG, GIF or WebP image');
  }
  return { type: 'image', mediaType, data };
}

function readImageUrl(fields: Record<string, unknown>, index: number): ImageUrlPart {
  const url = fields['url'];
  if (typeof url !== 'string') throw new InvalidInputPartError(index, 'url', 'an http(s) URL string', describeInput(url));
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new InvalidInputPartError(index, 'url', 'an http(s) URL', 'text that is not a URL');
  }
  if (protocol === 'data:') throw new InvalidInputPartError(index, 'url', "an http(s) URL (give image data as { type: 'image', mediaType, data })", 'a data: URL');
  if (protocol !== 'http:' && protocol !== 'https:') throw new InvalidInputPartError(index, 'url', 'an http(s) URL', `a ${protocol} URL`);
  return { type: 'image_url', url };
}

function readDocument(fields: Record<string, unknown>, index: number): DocumentPart {
  if (fields['mediaType'] !== 'application/pdf') {
    throw new InvalidInputPartError(index, 'mediaType', "'application/pdf' (give plain text as a text part)", describeInput(fields['mediaType']));
  }
  const title = fields['title'];
  if (title !== undefined && (typeof title !== 'string' || title.trim() === '')) throw new InvalidInputPartError(index, 'title', 'a non-empty string, or no title', describeInput(title));
  const data = readData(fields['data'], index);
  const format = sniffBase64(data);
  if (format !== 'application/pdf') throw new InvalidInputPartError(index, 'data', 'a PDF document (its bytes start with %PDF-)', format ? MEDIA_TYPE_NAMES[format] : 'data that is not a PDF');
  return title === undefined ? { type: 'document', mediaType: 'application/pdf', data } : { type: 'document', mediaType: 'application/pdf', data, title };
}

/** `data` as a base64 string: bytes are encoded, a string must be base64 already. */
function readData(data: unknown, index: number): string {
  if (data instanceof Uint8Array) {
    if (data.byteLength === 0) throw new InvalidInputPartError(index, 'data', 'some bytes', 'no bytes');
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  }
  if (typeof data !== 'string') throw new InvalidInputPartError(index, 'data', 'base64 text or a Uint8Array (a Buffer)', describeInput(data));
  if (data === '') throw new InvalidInputPartError(index, 'data', 'base64 text', 'an empty string');
  const problem = base64Problem(data);
  if (problem) throw new InvalidInputPartError(index, 'data', 'base64 text', problem);
  return data;
}

function describeInput(input: unknown): string {
  if (typeof input === 'string') return input.trim() === '' ? 'an empty string' : JSON.stringify(input.length > 60 ? `${input.slice(0, 60)}…` : input);
  if (input === null) return 'null';
  if (Array.isArray(input)) return input.length === 0 ? 'an empty array' : 'an array';
  if (input === undefined) return 'undefined';
  return typeof input === 'object' ? 'an object' : `a ${typeof input}`;
}
