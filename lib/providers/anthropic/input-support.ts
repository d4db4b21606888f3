/**
 * Which content parts of a run's input the Anthropic Messages API takes: images (base64, or by URL
 * except on Claude on Vertex, which answers "URL sources are not supported"), PDFs, within the
 * API's limits (5 MB of base64 per image, 100 images and 100 PDF pages per request, 32 MB per
 * request).
 *
 * @module
 */
import { MAX_IMAGE_BASE64_LENGTH } from '../accepted-images.js';
import { checkInputLimits, type InputLimits } from '../input-limits.js';
import type { InputPart, InputRefusal } from '../types.js';

const MB = 1024 * 1024;

/** What {@link anthropicInputRefusal} needs to know of the API. */
export interface AnthropicInputSupport {
  /** How the API is named (`the Anthropic API`, `Claude on Vertex AI`). */
  label: string;
  /** Whether the API fetches images by URL (not on Vertex). */
  urlSources: boolean;
}

/** The first part the API would refuse, with why; `undefined` when it takes them all. */
export function anthropicInputRefusal(parts: readonly InputPart[], support: AnthropicInputSupport): InputRefusal | undefined {
  if (!support.urlSources) {
    const index = parts.findIndex((part) => part.type === 'image_url');
    if (index !== -1) return { index, reason: `${support.label} takes images as base64 data only, not by URL; download it and give { type: 'image', mediaType, data }` };
  }
  const limits: InputLimits = {
    label: support.label,
    maxImageBytes: MAX_IMAGE_BASE64_LENGTH,
    maxImageBase64: MAX_IMAGE_BASE64_LENGTH,
    maxImages: 100,
    maxPdfPages: 100,
    maxPdfBytes: 32 * MB,
    maxMediaBase64: 32 * MB,
  };
  return checkInputLimits(parts, limits);
}
