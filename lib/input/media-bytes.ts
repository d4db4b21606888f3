/**
 * What the bytes of an image or a document are, read from the bytes themselves: the format by its
 * magic number, the size of base64 data, and a PDF's page count. The APIs check the same things
 * (Anthropic answers 400 to an image whose bytes are not of its `media_type`), so llmproc checks
 * them first and says which part is at fault.
 *
 * @module
 */

/** The formats llmproc recognizes by their first bytes. */
export type SniffedMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp' | 'application/pdf';

/** What a format's name is in a sentence (`a PNG image`). */
export const MEDIA_TYPE_NAMES: Readonly<Record<SniffedMediaType, string>> = {
  'image/png': 'a PNG image',
  'image/jpeg': 'a JPEG image',
  'image/gif': 'a GIF image',
  'image/webp': 'a WebP image',
  'application/pdf': 'a PDF document',
};

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0): boolean => prefix.every((byte, i) => bytes[at + i] === byte);
const ascii = (text: string): number[] => [...text].map((char) => char.charCodeAt(0));

/** The format of `bytes` by its magic number, or `undefined` when it is none of {@link SniffedMediaType}. */
export function sniffMediaType(bytes: Uint8Array): SniffedMediaType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(bytes, ascii('%PDF-'))) return 'application/pdf';
  return undefined;
}

/** The format of base64 `data`, read from its first bytes only. */
export function sniffBase64(data: string): SniffedMediaType | undefined {
  return sniffMediaType(Buffer.from(data.slice(0, 32), 'base64'));
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Why `data` is not standard base64 (padded, no whitespace, no `data:` prefix), or `undefined` when it is. */
export function base64Problem(data: string): string | undefined {
  if (data.startsWith('data:')) return 'a data: URL; give only the base64 text after its comma';
  if (data.length % 4 !== 0 || !BASE64.test(data)) return 'text that is not base64 (the characters A-Z a-z 0-9 + /, padded with = to a multiple of 4)';
  return undefined;
}

/** How many bytes base64 `data` decodes to. */
export function decodedSize(data: string): number {
  const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
  return (data.length / 4) * 3 - padding;
}

const PAGE_OBJECT = /\/Type\s*\/Page(?![A-Za-z])/g;

/**
 * The pages of a PDF, counted by its page objects (`/Type /Page`), or `undefined` when none is
 * found (the page tree is in a compressed object stream): then only the API can tell.
 */
export function pdfPageCount(bytes: Uint8Array): number | undefined {
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const pages = text.match(PAGE_OBJECT)?.length ?? 0;
  return pages > 0 ? pages : undefined;
}

/** A size for people: `812 bytes`, `4.2 KB`, `3.1 MB`. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
