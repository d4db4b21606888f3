/**
 * The model APIs' checks on the images and documents of a request, for the fake servers: what the
 * Messages API and Chat Completions answer 400 to (a media type they do not take, data that is not
 * base64 or not of its stated type, an image over the size limit, a URL source on Claude on
 * Vertex, a PDF `file` part without a file name), in their words where we know them.
 *
 * @module
 */
import { base64Problem, sniffBase64 } from '../input/media-bytes.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The image media types the APIs take, and the Messages API's limit on an image's base64 data (5 MB, counted in characters). */
const IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];
const MAX_IMAGE_BASE64 = 5 * 1024 * 1024;

/** Options of the Messages API checks. */
export interface MediaCheckOptions {
  /** Claude on Vertex AI: URL sources are refused. */
  vertex?: boolean | undefined;
}

/** Why base64 `data` of `mediaType` would be refused (not base64, or bytes of another format), if it would. */
function dataProblem(data: string, mediaType: string, at: string): string | undefined {
  if (base64Problem(data) !== undefined) return `${at}: The provided data is not valid base64.`;
  const format = sniffBase64(data);
  if (format !== mediaType) return `${at}: The ${mediaType.startsWith('image/') ? 'image' : 'document'} was specified using the ${mediaType} media type, but it does not appear to be a valid ${mediaType} file (it looks like ${format ?? 'something else'}).`;
  return undefined;
}

/** The problem with a Messages API `url` source, if any. */
function urlSourceProblem(source: Json, at: string, options: MediaCheckOptions): string | undefined {
  if (options.vertex) return `${at}.source: URL sources are not supported`;
  return typeof source['url'] === 'string' && /^https?:\/\//.test(source['url']) ? undefined : `${at}.source.url: expected an http(s) URL`;
}

/** The problem with a Messages API image block, if any: four formats, base64 up to 5 MB whose bytes match, or a URL. */
export function checkImageBlock(block: Json, at: string, options: MediaCheckOptions = {}): string | undefined {
  const source = block['source'];
  if (!isObject(source)) return `${at}.source: Field required`;
  if (source['type'] === 'url') return urlSourceProblem(source, at, options);
  if (source['type'] !== 'base64') return `${at}.source.type: Input should be 'base64' or 'url'`;
  const mediaType = source['media_type'];
  if (typeof mediaType !== 'string' || !IMAGE_TYPES.includes(mediaType)) {
    return `${at}.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
  }
  const data = source['data'];
  if (typeof data !== 'string') return `${at}.source.base64.data: Field required`;
  if (data.length > MAX_IMAGE_BASE64) return `${at}.source.base64: image exceeds 5 MB maximum: ${data.length} bytes > ${MAX_IMAGE_BASE64} bytes`;
  return dataProblem(data, mediaType, `${at}.source.base64.data`);
}

/** The problem with a Messages API document block, if any: a base64 PDF, a text source, or a URL. */
export function checkDocumentBlock(block: Json, role: unknown, at: string, options: MediaCheckOptions = {}): string | undefined {
  if (role !== 'user') return `${at}: document blocks are only allowed in user messages`;
  const source = block['source'];
  if (!isObject(source)) return `${at}.source: Field required`;
  if (block['title'] !== undefined && (typeof block['title'] !== 'string' || block['title'] === '')) return `${at}.title: expected a non-empty string`;
  switch (source['type']) {
    case 'url':
      return urlSourceProblem(source, at, options);
    case 'text':
      return source['media_type'] === 'text/plain' && typeof source['data'] === 'string' ? undefined : `${at}.source.text: expected media_type 'text/plain' and a string data`;
    case 'base64': {
      if (source['media_type'] !== 'application/pdf') return `${at}.source.base64.media_type: Input should be 'application/pdf'`;
      const data = source['data'];
      if (typeof data !== 'string' || data === '') return `${at}.source.base64.data: Field required`;
      return dataProblem(data, 'application/pdf', `${at}.source.base64.data`);
    }
    default:
      return `${at}.source.type: Input should be 'base64', 'text', 'content' or 'url'`;
  }
}

const DATA_URL = /^data:([\w.+-]+\/[\w.+-]+);base64,(.*)$/s;

/** The problem with a Chat Completions `image_url` part's URL, if any: an http(s) URL, or a base64 data URL of an image it reads. */
export function checkImageUrl(url: unknown, at: string): string | undefined {
  if (typeof url !== 'string') return `Missing required parameter: '${at}.image_url.url'.`;
  if (/^https?:\/\//.test(url)) return undefined;
  const match = DATA_URL.exec(url);
  if (!match) return `Invalid '${at}.image_url.url': expected an http(s) URL or a base64 data URL of an image.`;
  const [, mediaType, data] = match as unknown as [string, string, string];
  if (!IMAGE_TYPES.includes(mediaType) || base64Problem(data) !== undefined || sniffBase64(data) !== mediaType) {
    return "You uploaded an unsupported image. Please make sure your image has of one the following formats: ['png', 'jpeg', 'gif', 'webp'].";
  }
  return undefined;
}

/** The problem with a Chat Completions `file` part, if any: a PDF as a base64 data URL with a file name, or a file id. */
export function checkFilePart(part: Json, at: string): string | undefined {
  const file = part['file'];
  if (!isObject(file)) return `Missing required parameter: '${at}.file'.`;
  if (typeof file['file_id'] === 'string') return undefined;
  const data = file['file_data'];
  if (typeof data !== 'string') return `Invalid '${at}.file': expected one of file_data or file_id.`;
  if (typeof file['filename'] !== 'string' || file['filename'] === '') return `Missing required parameter: '${at}.file.filename'.`;
  const match = DATA_URL.exec(data);
  if (!match || match[1] !== 'application/pdf') return `Invalid '${at}.file.file_data': expected a base64 data URL of a PDF (data:application/pdf;base64,...).`;
  if (base64Problem(match[2]!) !== undefined || sniffBase64(match[2]!) !== 'application/pdf') return `Invalid file data: '${at}.file'. Expected a valid PDF file.`;
  return undefined;
}
