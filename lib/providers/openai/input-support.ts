/**
 * Which content parts of a run's input Chat Completions takes: images (as base64 data URLs or by
 * URL) and PDFs (as `file` parts) for models that read images, within the API's limits (20 MB per
 * image, 100 PDF pages and 32 MB of PDFs per request, 50 MB of media per request). Models known to
 * read text only (GPT-3.5, the original GPT-4, o1-mini, o3-mini) are sent text only; a model this
 * list does not know (a new one, an OpenAI-compatible server's) is taken to read images.
 *
 * @module
 */
import { checkInputLimits } from '../input-limits.js';
import type { InputPart, InputRefusal } from '../types.js';
import { OPENAI_MAX_IMAGE_BYTES } from './image-parts.js';

const MB = 1024 * 1024;

/** Models that take text only: images and files get a 400 ("Invalid content type"). */
const TEXT_ONLY_MODELS = [/^gpt-3\.5/, /^gpt-4(-0314|-0613|-32k.*)?$/, /^o1-mini/, /^o3-mini/];

/** Whether `model` reads images and PDFs, as far as llmproc knows. */
export function readsImages(model: string): boolean {
  return !TEXT_ONLY_MODELS.some((pattern) => pattern.test(model));
}

/** The first part Chat Completions would refuse for `model`, with why; `undefined` when it takes them all. */
export function openaiInputRefusal(parts: readonly InputPart[], model: string): InputRefusal | undefined {
  if (!readsImages(model)) {
    const index = parts.findIndex((part) => part.type !== 'text');
    if (index !== -1) return { index, reason: `${model} reads text only; use a model with vision (gpt-4o, gpt-4.1, gpt-5, ...) for images and PDFs` };
  }
  return checkInputLimits(parts, {
    label: 'the OpenAI API',
    maxImageBytes: OPENAI_MAX_IMAGE_BYTES,
    maxImages: 500,
    maxPdfPages: 100,
    maxPdfBytes: 32 * MB,
    maxMediaBase64: 50 * MB,
  });
}
