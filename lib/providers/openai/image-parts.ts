/**
 * Images as Chat Completions takes them: `image_url` content parts holding a base64 data URL, in
 * `user` messages only. An image it would refuse (a type it does not read, or too large) becomes
 * a text note instead (R22), so one bad tool output cannot break every later call.
 *
 * @module
 */
import type OpenAI from 'openai';
import { base64Problem, decodedSize, sniffBase64 } from '../../input/media-bytes.js';
import type { ImagePart } from '../types.js';

/** The image types Chat Completions reads. */
export const OPENAI_IMAGE_TYPES: readonly string[] = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];

/** The largest image Chat Completions takes, in bytes (20 MB). */
export const OPENAI_MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** A user message's content part: text or an image. */
export type UserContentPart = OpenAI.ChatCompletionContentPartText | OpenAI.ChatCompletionContentPartImage;

/** Why Chat Completions would refuse `image`, or `undefined` when it takes it. */
export function imageProblem(image: ImagePart): string | undefined {
  if (!OPENAI_IMAGE_TYPES.includes(image.mediaType)) {
    return `an image of type ${image.mediaType} was left out: OpenAI takes ${OPENAI_IMAGE_TYPES.join(', ')}`;
  }
  const bytes = decodedSize(image.data);
  if (bytes > OPENAI_MAX_IMAGE_BYTES) return `an image of ${bytes} bytes was left out: OpenAI takes images up to ${OPENAI_MAX_IMAGE_BYTES} bytes`;
  if (base64Problem(image.data) !== undefined || sniffBase64(image.data) !== image.mediaType) return `an image of type ${image.mediaType} was left out: its data is not such an image`;
  return undefined;
}

/** `image` as an `image_url` part with a data URL, or a text note saying why it was left out. */
export function toImageContent(image: ImagePart): UserContentPart {
  const problem = imageProblem(image);
  if (problem) return { type: 'text', text: `[${problem}]` };
  return { type: 'image_url', image_url: { url: `data:${image.mediaType};base64,${image.data}` } };
}
