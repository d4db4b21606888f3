/**
 * Which images a model API takes, in one place: the tool output of function tools, MCP results and
 * the tool runner check here, so an image the API would answer 400 to never enters the
 * conversation (RELIABILITY.md R22) — it becomes a text note instead; a provider's mapping checks
 * again for images that reach the history another way.
 *
 * The limits are the Anthropic Messages API's, the strictest of the providers: the four formats
 * below (OpenAI takes the same ones), 5 MB of base64 data per image (the API measures the
 * base64 string, so about 3.75 MB of image), and data whose bytes are an image of the stated type
 * (both APIs read the bytes and answer 400 otherwise).
 *
 * @module
 */
import { base64Problem, MEDIA_TYPE_NAMES, sniffBase64 } from '../input/media-bytes.js';
import type { ImagePart, TextPart, ToolResultPart } from './types.js';

/** The image media types the API takes. */
export const ACCEPTED_IMAGE_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

/** One of {@link ACCEPTED_IMAGE_TYPES}. */
export type AcceptedImageType = (typeof ACCEPTED_IMAGE_TYPES)[number];

/** The most base64 characters one image may have: 5 MB (5,242,880), as the API counts them. */
export const MAX_IMAGE_BASE64_LENGTH = 5 * 1024 * 1024;

/** An image the API takes: its media type is one of {@link ACCEPTED_IMAGE_TYPES}. */
export type AcceptedImagePart = ImagePart & { mediaType: AcceptedImageType };

/** Spellings of an accepted type that the API does not take as written. */
const ALIASES: Readonly<Record<string, AcceptedImageType>> = { 'image/jpg': 'image/jpeg', 'image/pjpeg': 'image/jpeg' };

/** Whether `mediaType` is one the API takes, exactly as written. */
export function isAcceptedImageType(mediaType: string): mediaType is AcceptedImageType {
  return (ACCEPTED_IMAGE_TYPES as readonly string[]).includes(mediaType);
}

/** `mediaType` as the API spells it (`IMAGE/PNG` → `image/png`, `image/jpg` → `image/jpeg`), or `undefined` if it takes no such type. */
export function acceptedImageType(mediaType: string): AcceptedImageType | undefined {
  const normalized = mediaType.trim().toLowerCase();
  return isAcceptedImageType(normalized) ? normalized : ALIASES[normalized];
}

/**
 * `image` when the API takes it (its media type spelled as the API wants), else a text part
 * saying what was left out and why: `[image not sent: image/svg+xml (1234 bytes) is not a type
 * the model API takes; it takes image/jpeg, image/png, image/gif, image/webp]`.
 */
export function acceptedImagePart(image: ImagePart): AcceptedImagePart | TextPart {
  const mediaType = acceptedImageType(image.mediaType);
  const bytes = Buffer.byteLength(image.data, 'base64');
  if (mediaType === undefined) {
    return note(`${image.mediaType || 'an image without a media type'} (${bytes} bytes) is not a type the model API takes; it takes ${ACCEPTED_IMAGE_TYPES.join(', ')}`);
  }
  if (image.data.length > MAX_IMAGE_BASE64_LENGTH) {
    return note(`${mediaType} of ${bytes} bytes is over the model API's limit of ${MAX_IMAGE_BASE64_LENGTH} bytes of base64 per image (about 3.75 MB of image)`);
  }
  // The APIs read the bytes: data that is not base64, or not an image of the stated type, is refused.
  const format = base64Problem(image.data) === undefined ? sniffBase64(image.data) : undefined;
  if (format !== mediaType) {
    return note(`the data of this ${mediaType} image (${bytes} bytes) is ${format ? `${MEDIA_TYPE_NAMES[format]} instead` : 'not such an image'}, which the model API refuses`);
  }
  return mediaType === image.mediaType ? (image as AcceptedImagePart) : { ...image, mediaType };
}

/** `parts` with every image the API would refuse replaced by a note ({@link acceptedImagePart}); the same array when nothing changes. */
export function acceptedParts(parts: ToolResultPart[]): ToolResultPart[] {
  let changed = false;
  const checked = parts.map((part) => {
    if (part.type !== 'image') return part;
    const accepted = acceptedImagePart(part);
    if (accepted !== part) changed = true;
    return accepted;
  });
  return changed ? checked : parts;
}

function note(reason: string): TextPart {
  return { type: 'text', text: `[image not sent: ${reason}]` };
}
