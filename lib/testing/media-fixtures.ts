/**
 * Small, real media for tests and examples: a 1×1 PNG, GIF and WebP, the first bytes of a JPEG, a
 * PDF of any number of pages, and images padded to an exact base64 length (for the APIs' size
 * limits). Each one's bytes are of its media type, as the model APIs (and the fake servers) check.
 *
 * @module
 */

/** A 1×1 PNG, base64. */
export const TINY_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A 1×1 GIF, base64. */
export const TINY_GIF = 'R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';

/** A 1×1 WebP, base64. */
export const TINY_WEBP = 'UklGRhoAAABXRUJQVlA4TA0AAAAvAAAAEAcQERGIiP4HAA==';

/** The start of a JPEG (its SOI and JFIF marker), base64: enough for a media type check. */
export const JPEG_START = '/9j/4AAQSkZJRgABAQAAAQABAAD/';

/** One base64 image of each type the APIs take, by media type. */
export const TINY_IMAGES: Readonly<Record<'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp', string>> = {
  'image/png': TINY_PNG,
  'image/jpeg': JPEG_START,
  'image/gif': TINY_GIF,
  'image/webp': TINY_WEBP,
};

/** The magic bytes of each type, base64, each a multiple of 4 characters with no padding. */
const PREFIXES = { 'image/png': 'iVBORw0KGgoA', 'image/jpeg': '/9j/4AAQ', 'image/gif': 'R0lGODlh', 'image/webp': 'UklGRgAAAABXRUJQ' } as const;

/** An image of `mediaType` whose base64 is exactly `length` characters (a multiple of 4): its magic bytes, then zeros. */
export function paddedImage(mediaType: keyof typeof PREFIXES, length: number): string {
  const prefix = PREFIXES[mediaType];
  if (length % 4 !== 0 || length < prefix.length) throw new RangeError(`length must be a multiple of 4 of at least ${prefix.length}`);
  return prefix + 'A'.repeat(length - prefix.length);
}

/** A PDF of `pages` blank pages (`/Type /Page` objects in a page tree), base64; `title` goes in its info dictionary. */
export function tinyPdf(pages = 1, title = 'llmproc test document'): string {
  const kids = Array.from({ length: pages }, (_, i) => `${i + 3} 0 R`).join(' ');
  const objects = [
    '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj',
    `2 0 obj << /Type /Pages /Kids [${kids}] /Count ${pages} >> endobj`,
    ...Array.from({ length: pages }, (_, i) => `${i + 3} 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >> endobj`),
    `${pages + 3} 0 obj << /Title (${title}) >> endobj`,
  ];
  const text = `%PDF-1.4\n${objects.join('\n')}\ntrailer << /Root 1 0 R /Info ${pages + 3} 0 R >>\n%%EOF\n`;
  return Buffer.from(text, 'latin1').toString('base64');
}
